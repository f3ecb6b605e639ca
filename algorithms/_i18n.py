"""Translations: the plugin's own ``QTranslator`` and the ``tr`` of every module.

All strings live in one Qt context, ``CarbonSpacetime`` (algorithm names, parameter
labels, option lists, messages, report headings), extracted by ``tools/i18n.py`` into
``i18n/carbon_spacetime_<lang>.ts``; ``make translations`` builds the ``.qm`` files
(committed, so the plugin needs no Qt tools). Long help texts are files:
``resources/help/<algorithm id>.html`` (English) and ``resources/help/<lang>/<algorithm id>.html``
(translations). A section shared by several tools is written once per language, as a
fragment ``_<name>.html`` beside them, and pulled in by a line
``<!-- include: _<name>.html -->`` (resolved by :func:`read_help`, fragments may include
fragments): ``_clustering_weights.html`` (input and neighbourhood of the clustering tools),
``_clustering_weights_analytical.html`` (the same without PERMUTATIONS/SEED, for hot spots),
``_distribution_input.html`` (the centre and ellipse tools' inputs).

The translator follows the QGIS user interface language (Settings > Options > General,
``locale/userLocale``; QGIS applies the system locale when none is set). It is installed
once, by the provider (so headless ``qgis_process`` runs and tests get it too), and
removed when the plugin unloads. Nothing else process-wide is changed.
"""

import os
import re

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QSettings, QTranslator

CONTEXT = "CarbonSpacetime"
I18N_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "i18n")
HELP_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "resources", "help")

_state = {"translator": None, "locale": None}
#: QGIS names its Chinese interfaces zh-Hans / zh-Hant; our files follow Qt's zh_CN.
_ALIASES = {"zh-Hans": "zh_CN", "zh_Hans": "zh_CN", "zh_SG": "zh_CN", "zh": "zh_CN"}


def tr(text):
    """``text`` in the plugin's current language (the English text if there is no translation)."""
    return QCoreApplication.translate(CONTEXT, text)


def translatable(text):
    """Mark ``text`` for extraction (``tools/i18n.py``); it is translated where it is shown."""
    return text


def qgis_locale():
    """The QGIS user-interface locale, e.g. ``zh_CN`` or ``en_US``."""
    locale = ""
    if hasattr(QgsApplication, "locale"):
        locale = QgsApplication.locale() or ""
    if not locale:
        settings = QSettings()
        if settings.value("locale/overrideFlag", False, type=bool):
            locale = settings.value("locale/userLocale", "") or ""
    return locale or QLocale.system().name()


def install_translator(locale=None):
    """Install the translator for ``locale`` (default: QGIS's); True if a translation was found.

    Replaces a translator this module installed before; English (or a language without a
    ``.qm``) installs none.
    """
    locale = locale or qgis_locale()
    remove_translator()
    base = locale.replace("-", "_").split("_")[0]
    traditional = any(tag in locale for tag in ("Hant", "TW", "HK", "MO"))  # no Simplified fallback
    for name in dict.fromkeys((locale, _ALIASES.get(locale), base, None if traditional else _ALIASES.get(base))):
        if not name:
            continue
        path = os.path.join(I18N_DIR, f"carbon_spacetime_{name}.qm")
        if not os.path.exists(path):
            continue
        translator = QTranslator()
        if translator.load(path):
            QCoreApplication.installTranslator(translator)
            _state["translator"], _state["locale"] = translator, name
            return True
    return False


def ensure_translator():
    """Install the QGIS-locale translator unless one is installed already."""
    if _state["translator"] is None:
        install_translator()


def remove_translator():
    if _state["translator"] is not None:
        QCoreApplication.removeTranslator(_state["translator"])
    _state["translator"], _state["locale"] = None, None


def active_locale():
    """The language whose translation is installed (e.g. ``zh_CN``), or None for English."""
    return _state["locale"]


_INCLUDE = re.compile(r"<!--\s*include:\s*([\w.-]+)\s*-->")


def read_help(path, _depth=0):
    """The HTML of the help file ``path`` with its ``<!-- include: NAME -->`` lines replaced.

    ``NAME`` is a file in the same folder; an include that names no file is left as it is
    (an HTML comment, invisible in the help panel; the tests reject it).
    """
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    folder = os.path.dirname(path)

    def include(match):
        fragment = os.path.join(folder, match.group(1))
        if _depth > 8 or not os.path.exists(fragment):
            return match.group(0)
        return read_help(fragment, _depth + 1)

    return _INCLUDE.sub(include, text)


def help_path(alg_id, locale=None):
    """``resources/help[/<locale>]/<alg_id>.html`` (English when ``locale`` is None)."""
    return os.path.join(HELP_DIR, *([locale] if locale else []), f"{alg_id}.html")


def help_text(alg_id):
    """The help of ``alg_id`` in the active language, else in English ("" if it has none)."""
    for path in (help_path(alg_id, active_locale()), help_path(alg_id)):
        if os.path.exists(path):
            return read_help(path)
    return ""


def translate_model(model):
    """Show a shipped graphical model's group, description and inputs in the active language.

    The model's name is also its id (``carbon:<name>``, a public contract), so it stays as
    saved; so does the group id (QGIS keeps ``groupId`` when the group name changes). The
    strings are extracted from the ``.model3`` by ``tools/i18n.py``.
    """
    model.setGroup(tr(model.group()))
    content = dict(model.helpContent())
    if content.get("ALG_DESC"):
        content["ALG_DESC"] = tr(content["ALG_DESC"])
        model.setHelpContent(content)
    # The outputs' labels: a copy of the model (the run dialog's) rebuilds its destination
    # parameters from the child algorithms' model outputs.
    for child_id in model.childAlgorithms():
        child = model.childAlgorithm(child_id)
        outputs = child.modelOutputs()
        for output in outputs.values():
            output.setDescription(tr(output.description()))
        child.setModelOutputs(outputs)
    model.updateDestinationParameters()
    for definition in model.parameterDefinitions():
        definition.setDescription(tr(definition.description()))
        if definition.help():
            definition.setHelp(tr(definition.help()))
        if definition.type() == "enum":
            definition.setOptions([tr(option) for option in definition.options()])
