"""zh_CN translation: names, labels and report headings come out in Chinese; no string is left out.

After adding or changing user-visible strings run ``make translations`` (``tools/i18n.py
update`` keeps the existing translations and adds the new strings as unfinished, then
``lrelease`` builds the .qm); ``python3 tools/i18n.py check`` names what is still missing.
"""

import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import i18n  # noqa: E402 - tools/i18n.py, the extractor


@pytest.fixture
def chinese(carbon_provider):
    from carbon_spacetime.algorithms import _i18n

    assert _i18n.install_translator("zh_CN"), "i18n/carbon_spacetime_zh_CN.qm is missing: run make translations"
    yield _i18n
    _i18n.remove_translator()


def _algorithm(alg_id):
    from qgis.core import QgsApplication

    alg = QgsApplication.processingRegistry().algorithmById(f"carbon:{alg_id}").create()
    return alg


def test_algorithm_names_groups_and_labels_in_chinese(chinese):
    hot = _algorithm("hotspots")
    assert hot.displayName() == "热点分析（Getis-Ord Gi*）"
    assert hot.group() == "空间聚类"
    assert hot.parameterDefinition("BAND").description() == "波段编号（栅格输入）"
    assert hot.parameterDefinition("NEIGHBORHOOD").options()[3] == "Queen 邻接"
    mgwr = _algorithm("mgwr")
    assert mgwr.displayName() == "多尺度地理加权回归"
    assert mgwr.parameterDefinition("DEPENDENT").description() == "因变量"
    study = _algorithm("emissionstudy")
    assert study.displayName() == "运行碳排放研究"
    assert study.parameterDefinition("LIGHT_PATTERN").help() == "输入文件夹中的文件名；{year} 会替换为各年份。"
    assert "土地利用" in study.parameterDefinition("LANDUSE").help()


def test_report_headings_in_chinese(chinese, tmp_path):
    from carbon_spacetime.algorithms import _report
    from carbon_spacetime.algorithms._i18n import tr
    from carbon_spacetime.core.findings import Finding

    assert tr("Carbon emission study") == "碳排放研究报告"
    path = _report.write_html(str(tmp_path / "r.html"), tr("Carbon emission study"), [], [Finding("A", "x")], [])
    text = open(path, encoding="utf-8").read()
    assert "<h1>碳排放研究报告</h1>" in text and "主要发现" in text


def test_english_without_the_translator(carbon_provider):
    from carbon_spacetime.algorithms import _i18n

    _i18n.remove_translator()
    assert _algorithm("hotspots").displayName() == "Hot spot analysis (Getis-Ord Gi*)"


def test_every_string_is_in_the_ts_and_translated():
    missing, unfinished = i18n.problems("zh_CN")
    assert not missing, f"not in i18n/carbon_spacetime_zh_CN.ts (run make translations): {missing}"
    assert not unfinished, f"untranslated in i18n/carbon_spacetime_zh_CN.ts: {unfinished}"


def test_the_qm_is_built_from_the_ts(chinese):
    """Every finished translation of the .ts is in the committed .qm (make translations was run)."""
    from carbon_spacetime.algorithms._i18n import tr

    known = i18n.read_ts(i18n.ts_path("zh_CN"))
    stale = [s for s, (text, unfinished) in known.items() if not unfinished and tr(s) != text]
    assert not stale, f"rebuild the .qm (make translations): {stale[:10]}"


def test_extractor_finds_the_kinds_of_strings(tmp_path):
    source = tmp_path / "sample.py"
    source.write_text(
        'X_OPTIONS = ["Option a", "Option b"]\n'
        "class A:\n    DISPLAY_NAME = 'Name'\n    GROUP = 'Group'\n"
        "    def f(self):\n        self.tr('Label')\n        self.fail('Bad ' 'input')\n"
        "        add(param, 'Help of a parameter')\n"
        "        params = [(p1, 'Listed help')]\n"
        "        params += [(p2, 'Added help')]\n"
        "        params.append((p3, 'Appended help'))\n"
        "        others.append((p4, 'Not a parameter list'))\n"
    )
    found = [text for text, _ in i18n.extract_file(str(source))]
    assert set(found) == {"Option a", "Option b", "Name", "Group", "Label", "Bad input", "Help of a parameter",
                          "Listed help", "Added help", "Appended help"}


@pytest.mark.parametrize("locale,expected", [("zh-Hans", "zh_CN"), ("zh_CN", "zh_CN"), ("zh", "zh_CN"),
                                             ("zh-Hant", None), ("en_US", None), ("de", None)])
def test_qgis_locale_names_find_the_translation(carbon_provider, locale, expected):
    from carbon_spacetime.algorithms import _i18n

    try:
        assert _i18n.install_translator(locale) == (expected is not None)
        assert _i18n.active_locale() == expected
    finally:
        _i18n.remove_translator()


def test_help_stands_alone_on_one_line(carbon_provider):
    """The help panel makes each line break a paragraph; METHODS.md is not shipped with the plugin."""
    from carbon_spacetime.algorithms.base import CarbonAlgorithm
    from qgis.core import QgsApplication

    for alg in QgsApplication.processingRegistry().providerById("carbon").algorithms():
        if not isinstance(alg, CarbonAlgorithm):
            continue  # the shipped model: QGIS formats its help itself
        text = alg.shortHelpString() or ""
        assert "\n" not in text, alg.id()
        assert "METHODS.md" not in text, alg.id()


def test_help_in_chinese_where_translated(chinese):
    help_text = _algorithm("hotspots").shortHelpString()
    assert "热点" in help_text and "\n" not in help_text
    assert "因变量" in _algorithm("mgwr").shortHelpString()


def _identifiers(html):
    """Parameter keys and field names of a help text (CamelCase, snake_case, UPPER_CASE words)."""
    import re

    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", re.sub(r"<[^>]+>", " ", html)))
    return {w for w in words if "_" in w.strip("_") or re.search(r"[a-z][A-Z]", w) or (w.isupper() and len(w) > 2)}


def test_every_algorithm_has_chinese_help(chinese):
    """Each algorithm's zh_CN help exists, is what shortHelpString shows, and names the same keys and fields."""
    from carbon_spacetime.algorithms.base import CarbonAlgorithm
    from carbon_spacetime.algorithms.provider import ALGORITHM_CLASSES

    assert len(ALGORITHM_CLASSES) >= 13
    for cls in ALGORITHM_CLASSES:
        alg = _algorithm(cls.ALG_ID)
        assert isinstance(alg, CarbonAlgorithm)
        path = ROOT / "resources" / "help" / "zh_CN" / f"{cls.ALG_ID}.html"
        assert path.exists(), f"no Chinese help for {cls.ALG_ID}"
        shown = alg.shortHelpString()
        assert shown == " ".join(chinese.read_help(str(path)).split()), cls.ALG_ID
        assert sum(ord(c) > 0x4E00 for c in shown) > 50, cls.ALG_ID  # Chinese text, not a stub
        english = chinese.read_help(chinese.help_path(cls.ALG_ID))
        missing = _identifiers(english) - _identifiers(shown) - {"CRS"}  # CRS is written 坐标系
        assert not missing, f"{cls.ALG_ID}: Chinese help lacks {sorted(missing)}"


def test_help_files_and_their_shared_sections(carbon_provider):
    """Every algorithm has an English help file; every include resolves; a shared section is written once."""
    import re

    from carbon_spacetime.algorithms import _i18n
    from carbon_spacetime.algorithms.provider import ALGORITHM_CLASSES

    help_dir = ROOT / "resources" / "help"
    ids = {cls.ALG_ID for cls in ALGORITHM_CLASSES}
    for folder in (help_dir, help_dir / "zh_CN"):
        pages = {p.stem for p in folder.glob("*.html") if not p.name.startswith("_")}
        assert pages == ids, folder  # one page per algorithm, no stale page
        fragments = {p.name for p in folder.glob("_*.html")}
        assert {"_clustering_weights.html", "_clustering_weights_analytical.html", "_distribution_input.html"} <= (
            fragments)
        used = set()
        for path in folder.glob("*.html"):
            used.update(re.findall(r"<!-- include: ([\w.-]+) -->", path.read_text(encoding="utf-8")))
            assert "<!-- include" not in _i18n.read_help(str(path)), path  # every include names a file
        assert used == fragments, folder  # no fragment left unused
    _i18n.remove_translator()
    weights = " ".join(_i18n.read_help(str(help_dir / "_clustering_weights.html")).split())
    for alg_id in ("globalmoransi", "generalg", "localmoran"):
        assert weights in _algorithm(alg_id).shortHelpString(), alg_id
    hot = _algorithm("hotspots").shortHelpString()
    assert weights not in hot and "(PERMUTATIONS)" not in hot and "(NEIGHBORHOOD)" in hot


def test_help_includes_resolve_nested_and_leave_unknown_names(tmp_path):
    from carbon_spacetime.algorithms import _i18n

    (tmp_path / "_inner.html").write_text("<li>inner</li>\n", encoding="utf-8")
    (tmp_path / "_outer.html").write_text("<ul>\n<!-- include: _inner.html -->\n</ul>\n", encoding="utf-8")
    (tmp_path / "page.html").write_text(
        "<p>a</p>\n<!-- include: _outer.html -->\n<!--include:_missing.html-->\n", encoding="utf-8"
    )
    text = _i18n.read_help(str(tmp_path / "page.html"))
    assert " ".join(text.split()) == "<p>a</p> <ul> <li>inner</li> </ul> <!--include:_missing.html-->"


def test_findings_templates_keep_their_placeholders():
    """A translated findings template names exactly the values of the English one (else the report falls back)."""
    import re

    from carbon_spacetime.core import findings

    known = i18n.read_ts(i18n.ts_path("zh_CN"))
    templates = [t for t, _ in i18n.extract_file(str(ROOT / "core" / "findings.py")) if "{" in t]
    assert len(templates) > 50
    for template in templates:
        translation = known[template][0]
        assert set(re.findall(r"\{\w+\}", translation)) == set(re.findall(r"\{\w+\}", template)), template
    # and a broken translation cannot break the report: the English template is used
    sentence = findings.say("In {year} x.", year="2000")
    assert findings.render(sentence, lambda text: "{missing}") == "In 2000 x."


def _fixture_findings():
    from carbon_spacetime.core.findings import study_findings

    return study_findings(
        statistics=[{"year": 2000, "total": 100.0, "peak": 5.0, "mean": 1.0, "std": 0.5, "cells": 100},
                    {"year": 2005, "total": 150.0, "peak": 6.0, "mean": 1.5, "std": 0.7, "cells": 100}],
        trajectory=[{"from_year": 2000, "to_year": 2005, "dist_km": 35.19, "bearing": 225.0}],
        ellipses=[{"year": 2000, "major_km": 300.0, "minor_km": 150.0, "major_bearing": 45.0, "area_km2": 1.4e5},
                  {"year": 2005, "major_km": 310.0, "minor_km": 150.0, "major_bearing": 47.0, "area_km2": 1.5e5}],
        moran=[{"year": 2000, "morans_i": 0.61, "expected_i": -0.01, "z_score": 9.0, "p_value": 1e-6},
               {"year": 2005, "morans_i": 0.05, "expected_i": -0.01, "z_score": 1.0, "p_value": 0.3}],
        hotspots={2000: {3: 4, 2: 1, 0: 90, -1: 5}, 2005: {3: 6, 0: 94}},
        mgwr=[{"year": 2005, "variable": "Intercept", "bandwidth": 50, "mean": 0.1, "min": -0.2, "max": 0.3},
              {"year": 2005, "variable": "gdp", "bandwidth": 100, "mean": 0.5, "min": 0.1, "max": 0.9}],
        mgwr_diagnostics={2005: {"R2": 0.8, "AICC": 123.4}},
        n_obs={2005: 100},
    )


def test_findings_in_chinese_in_the_report(chinese, tmp_path):
    """Under zh_CN the report's findings are Chinese sentences with the numbers formatted as in English."""
    from carbon_spacetime.algorithms import _report
    from carbon_spacetime.algorithms._i18n import tr
    from carbon_spacetime.core.findings import render

    found = _fixture_findings()
    english = [f.text for f in found]
    assert "Total emissions rose from 100 Mt CO2 in 2000 to 150 Mt CO2 in 2005 (+50.0%)." in english
    chinese_text = [render(f.text, tr) for f in found]
    assert "排放总量从 2000 年的 100 Mt CO2 上升至 2005 年的 150 Mt CO2 (+50.0%)。" in chinese_text
    assert "2000 年至 2005 年，排放中心向西南移动了 35.2 km（方位角 225°、每年 7.0 km）。" in chinese_text
    assert "2000 年 100 个像元中：5 个热点（置信度 99%：4 个、置信度 95%：1 个）；5 个冷点（置信度 90%：5 个）。" in (
        chinese_text)
    for en, zh in zip(english, chinese_text):
        assert zh != en and sum(ord(c) > 0x4E00 for c in zh) >= 2, en  # every sentence translated
    path = _report.write_html(str(tmp_path / "r.html"), tr("Carbon emission study"), [], found, [])
    text = open(path, encoding="utf-8").read()
    assert "排放中心向西南移动了 35.2 km" in text and "Total emissions" not in text


def test_findings_stay_english_without_the_translator(carbon_provider, tmp_path):
    from carbon_spacetime.algorithms import _i18n, _report

    _i18n.remove_translator()
    found = _fixture_findings()
    path = _report.write_html(str(tmp_path / "r.html"), "Carbon emission study", [], found, [])
    text = open(path, encoding="utf-8").read()
    assert "Between 2000 and 2005 the emission centre moved 35.2 km southwest (bearing 225°, 7.0 km a year)." in text


def test_the_model_in_chinese_keeps_its_name_and_id(chinese):
    """The shipped model: group, description and input labels translate; its name (= its id) does not."""
    from carbon_spacetime.algorithms import _i18n
    from qgis.core import QgsProcessingModelAlgorithm

    model = QgsProcessingModelAlgorithm()
    assert model.fromFile(str(ROOT / "resources" / "models" / "emission_study.model3"))
    _i18n.translate_model(model)
    assert model.name() == model.displayName() == "Emission study (one year)"
    assert model.group() == "研究" and model.groupId() == "Study"
    assert "单一年份的排放研究" in model.shortHelpString()
    assert model.parameterDefinition("landuse").description() == "土地利用"
    assert model.parameterDefinition("neighborhood").options()[3] == "Queen 邻接"
    copy = model.create()  # what the run dialog shows
    assert copy.name() == "Emission study (one year)"
    assert copy.parameterDefinition("landuse").description() == "土地利用"
    labels = [d.description() for d in copy.destinationParameterDefinitions()]
    assert "加权平均中心" in labels, labels
    registered = _algorithm("Emission study (one year)")
    assert registered.id() == "carbon:Emission study (one year)" and registered.groupId() == "Study"


def test_every_parameter_tooltip_in_chinese(chinese):
    """Every parameter of every tool that has a tooltip shows it in Chinese (none left in English)."""
    from carbon_spacetime.algorithms.provider import ALGORITHM_CLASSES

    english = []
    for cls in ALGORITHM_CLASSES:
        alg = _algorithm(cls.ALG_ID)  # kept alive while its parameters are read
        for param in alg.parameterDefinitions():
            text = param.help()
            if text and not any(ord(c) > 0x4E00 for c in text):
                english.append(f"{cls.ALG_ID}.{param.name()}: {text}")
    assert not english, "untranslated tooltips:\n" + "\n".join(english)
