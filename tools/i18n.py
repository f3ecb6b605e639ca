"""Extract the plugin's user-visible strings and keep ``i18n/carbon_spacetime_<lang>.ts`` up to date.

``pylupdate5`` only sees ``tr("literal")``; the plugin also translates strings that
are passed on before ``tr`` sees them (option lists, parameter help, algorithm names,
error messages given to ``fail``). This extractor reads the Python sources with
:mod:`ast` (no QGIS needed) and collects, in one context (``CarbonSpacetime``, see
``algorithms/_i18n.py``):

- the literal first argument of ``tr(...)``, ``self.tr(...)``, ``alg.tr(...)`` and
  ``self.fail(...)``;
- ``DISPLAY_NAME`` and ``GROUP`` of the algorithm classes;
- module-level lists of option labels (names ending in ``_OPTIONS``, and ``SCHEMES``,
  ``MODELS``, ``NEIGHBORHOODS``, and the findings' word lists) and legend classes (``*_CLASSES`` rows: their labels);
- the argument of ``translatable("...")`` (marks a string translated where it is shown);
- the literal help text given with a parameter: the second argument of ``add(param, help)``,
  ``add_parameter(param, help)`` and ``_help(param, help)``, and the second item of
  ``(param, help)`` pairs in a list named ``params`` (also ``params += [...]`` and
  ``params.append((param, help))``);
- the findings of ``core/findings.py``: the headings (first items of its ``sections``
  list), the sentence templates (literal first argument of ``say(...)``) and the words put
  into them (``WORDS``, ``COMPASS_WORDS``, ``_AXES``); core has no Qt, the report
  translates them where it prints them (``core.findings.render`` with ``tr``).

The shipped graphical models (``resources/models/*.model3``) give their group, description
(``ALG_DESC``) and their parameters' labels, help and options (``translate_model`` in
``algorithms/_i18n.py`` shows them translated; the model's name is its id and stays).

Long help texts are files, not ``.ts`` strings: ``resources/help/<algorithm id>.html`` in
English, translated as ``resources/help/<lang>/<algorithm id>.html``; sections shared by
several tools are fragments ``_<name>.html`` included by ``<!-- include: _<name>.html -->``
(see ``read_help`` in ``algorithms/_i18n.py``).

Usage (from the repository root, any Python 3)::

    python3 tools/i18n.py update      # rewrite the .ts files: new strings added (unfinished),
                                      # translations of known strings kept, vanished ones marked obsolete
    python3 tools/i18n.py check       # list strings missing from or unfinished in each .ts (exit 1 if any)
    python3 tools/i18n.py strings     # print every extracted string

``make translations`` runs ``update`` and then ``lrelease`` to build the ``.qm`` files.
"""

import ast
import glob
import os
import sys
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONTEXT = "CarbonSpacetime"
SOURCES = ["plugin.py", "algorithms/*.py", "algorithms/_styles/*.py", "algorithms/study/*.py", "core/findings.py"]
MODELS = ["resources/models/*.model3"]
LANGUAGES = ["zh_CN"]
OPTION_LISTS = {"SCHEMES", "MODELS", "NEIGHBORHOODS", "WORDS", "COMPASS_WORDS", "_AXES"}
CLASS_STRINGS = {"DISPLAY_NAME", "GROUP"}


def ts_path(lang):
    return os.path.join(ROOT, "i18n", f"carbon_spacetime_{lang}.ts")


def _text(node):
    """The string of a literal (implicit concatenations are one literal), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        if left is not None and right is not None:
            return left + right
    return None


def _call_name(node):
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def extract_file(path):
    """``[(text, line)]`` of the translatable strings of one source file."""
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    found = []

    def add(node):
        text = _text(node)
        if text and text.strip():
            found.append((text, node.lineno))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _call_name(node)
            if name in ("tr", "fail", "translatable", "say") and node.args:
                add(node.args[0])
            elif name in ("add", "add_parameter", "_help") and len(node.args) >= 2:
                add(node.args[1])
            elif (name == "append" and isinstance(node.func, ast.Attribute)
                  and isinstance(node.func.value, ast.Name) and node.func.value.id == "params"
                  and node.args and isinstance(node.args[0], ast.Tuple) and len(node.args[0].elts) == 2):
                add(node.args[0].elts[1])  # params.append((param, help))
        elif (isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id == "params"
              and isinstance(node.value, ast.List)):
            for element in node.value.elts:  # params += [(param, help), ...]
                if isinstance(element, ast.Tuple) and len(element.elts) == 2:
                    add(element.elts[1])
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.Assign) and len(item.targets) == 1:
                    target = item.targets[0]
                    if isinstance(target, ast.Name) and target.id in CLASS_STRINGS:
                        add(item.value)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if (name.endswith("_OPTIONS") or name in OPTION_LISTS) and isinstance(node.value, (ast.List, ast.Tuple)):
                for element in node.value.elts:
                    add(element)
            elif name.endswith("_CLASSES") and isinstance(node.value, (ast.List, ast.Tuple)):
                for element in node.value.elts:  # (value, colour, label) rows of a legend
                    if isinstance(element, ast.Tuple):
                        for item in element.elts:
                            text = _text(item)
                            if text and not text.startswith("#"):
                                add(item)
            elif name == "params" and isinstance(node.value, ast.List):
                for element in node.value.elts:
                    if isinstance(element, ast.Tuple) and len(element.elts) == 2:
                        add(element.elts[1])
            elif name == "sections" and isinstance(node.value, ast.List):
                for element in node.value.elts:  # (heading, ...) of the report's findings
                    if isinstance(element, ast.Tuple) and element.elts:
                        add(element.elts[0])
    return found


def extract_model(path):
    """``[(text, line)]`` of the translatable strings of a ``.model3`` graphical model."""
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    found = []
    root = ET.parse(path).getroot()

    def add(text):
        if text and text.strip():
            quoted = escape(text, {'"': "&quot;"})
            line = next((i + 1 for i, row in enumerate(lines) if f'value="{quoted}"' in row), 0)
            found.append((text, line))

    for option in root:
        name = option.get("name")
        if name == "model_group":
            add(option.get("value"))
        elif name == "help":
            for item in option:
                if item.get("name") == "ALG_DESC":
                    add(item.get("value"))
        elif name == "parameterDefinitions":
            for definition in option:
                for item in definition:
                    if item.get("name") in ("description", "help"):
                        add(item.get("value"))
                    elif item.get("name") == "options":
                        for choice in item:
                            add(choice.get("value"))
    return found


def extract():
    """``{text: [(relative path, line)]}`` over all sources, in source order."""
    strings = {}
    for pattern in SOURCES + MODELS:
        for path in sorted(glob.glob(os.path.join(ROOT, pattern))):
            rel = os.path.relpath(path, ROOT)
            found = extract_model(path) if path.endswith(".model3") else extract_file(path)
            for text, line in found:
                strings.setdefault(text, []).append((rel, line))
    return strings


def read_ts(path):
    """``{source: (translation, unfinished)}`` of an existing .ts (empty if there is none)."""
    if not os.path.exists(path):
        return {}
    messages = {}
    for message in ET.parse(path).getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        text = (translation.text or "") if translation is not None else ""
        kind = translation.get("type", "") if translation is not None else "unfinished"
        messages[source] = (text, kind in ("unfinished", "obsolete", "vanished") or not text)
    return messages


def write_ts(path, lang, strings, known):
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>", f'<TS version="2.1" language="{lang}">',
             "<context>", f"    <name>{CONTEXT}</name>"]

    def message(source, translation, kind, locations=()):
        lines.append("    <message>")
        for rel, line in locations:
            lines.append(f'        <location filename="../{escape(rel)}" line="{line}"/>')
        lines.append(f"        <source>{escape(source)}</source>")
        attr = f' type="{kind}"' if kind else ""
        lines.append(f"        <translation{attr}>{escape(translation)}</translation>")
        lines.append("    </message>")

    for source, locations in strings.items():
        translation, unfinished = known.get(source, ("", True))
        message(source, translation, "unfinished" if unfinished else "", locations)
    for source, (translation, _) in known.items():
        if source not in strings and translation:
            message(source, translation, "vanished")
    lines += ["</context>", "</TS>", ""]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines))


def update(langs=LANGUAGES):
    strings = extract()
    for lang in langs:
        path = ts_path(lang)
        write_ts(path, lang, strings, read_ts(path))
        print(f"{path}: {len(strings)} strings")


def problems(lang, strings=None):
    """``(missing, unfinished)``: extracted strings absent from the .ts, or without a translation."""
    strings = extract() if strings is None else strings
    known = read_ts(ts_path(lang))
    missing = [s for s in strings if s not in known]
    unfinished = [s for s in strings if s in known and known[s][1]]
    return missing, unfinished


def check(langs=LANGUAGES):
    bad = False
    for lang in langs:
        missing, unfinished = problems(lang)
        for text in missing:
            print(f"{lang}: missing: {text!r}")
        for text in unfinished:
            print(f"{lang}: unfinished: {text!r}")
        bad = bad or bool(missing or unfinished)
    return 1 if bad else 0


def main(argv):
    command = argv[1] if len(argv) > 1 else "check"
    if command == "update":
        update()
        return 0
    if command == "check":
        return check()
    if command == "strings":
        for text in extract():
            print(repr(text))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
