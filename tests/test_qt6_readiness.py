"""QGIS 4 / Qt6 readiness: our sources use scoped enums, qgis.PyQt, and declare Qt6 support.

Qt6 (PyQt6) drops unscoped enum access (``Qt.DisplayRole``) and QGIS 3.30+ moved many
enums into ``Qgis`` (old names are deprecated there and gone in QGIS 4). The plugin
uses scoped names that exist on 3.22 and later, and routes the rest through
``algorithms/_compat.py``. This test reads the sources as text (no QGIS needed) and
fails on any pattern below, naming file, line and the fix.
"""

import ast
import configparser
import pathlib
import re
import warnings

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
SCANNED = ["algorithms", "core", "tools", "sampledata", "tests", "benchmarks", "plugin.py", "__init__.py"]
COMPAT = ROOT / "algorithms" / "_compat.py"

# (pattern, what to write instead). Each pattern matches the unscoped (old) spelling only.
RULES = [
    (r"\bQgsProcessing\.Type[A-Z]\w*", "QgsProcessing.SourceType.TypeX"),
    (r"\bQgsProcessingParameterNumber\.(Double|Integer)\b", "QgsProcessingParameterNumber.Type.X"),
    (r"\bQgsProcessingParameterField\.(Any|Numeric|String|DateTime|Binary|Boolean)\b",
     "QgsProcessingParameterField.DataType.X"),
    (r"\bQgsProcessingParameterFile\.(File|Folder)\b", "QgsProcessingParameterFile.Behavior.X"),
    (r"\bQgsProcessingParameterDateTime\.(Date|Time|DateTime)\b", "QgsProcessingParameterDateTime.Type.X"),
    (r"\bQgsProcessingParameterDefinition\.Flag(Advanced|Hidden|Optional|IsModelOutput)\b",
     "QgsProcessingParameterDefinition.Flag.FlagX"),
    (r"\bQgsProcessingAlgorithm\.Flag[A-Z]\w*", "QgsProcessingAlgorithm.Flag.FlagX"),
    (r"\bQgsFeatureSink\.(FastInsert|RegeneratePrimaryKey)\b", "QgsFeatureSink.Flag.X"),
    (r"\bQgsFeatureRequest\.(NoGeometry|SubsetOfAttributes|ExactIntersect|NoFlags)\b", "QgsFeatureRequest.Flag.X"),
    (r"\bQgsVectorFileWriter\.(NoError|Err\w+|CreateOrOverwrite\w+|Append\w+)\b",
     "QgsVectorFileWriter.WriterError.X / ActionOnExistingFile.X"),
    (r"\bQgsLayoutExporter\.(Success|Canceled|MemoryError|FileError|PrintError|SvgLayerError|IteratorError)\b",
     "QgsLayoutExporter.ExportResult.X"),
    (r"\bQgsColorRampShader\.(Discrete|Interpolated|Exact)\b", "QgsColorRampShader.Type.X"),
    (r"\bQgsSymbolLayer\.Property(?!\.)\w+", "QgsSymbolLayer.Property.PropertyX"),
    (r"\bQgsWkbTypes\.(?!geometryType\b|isMultiType\b|flatType\b|displayString\b|hasZ\b|hasM\b|"
     r"singleType\b|multiType\b|geometryDisplayString\b|translatedDisplayString\b|Type\b|GeometryType\b)[A-Z]\w*",
     "_compat.WkbType.X / POINT_GEOMETRY, LINE_GEOMETRY, POLYGON_GEOMETRY"),
    (r"\bQgsUnitTypes\.(Distance|Area|Layout|Render)(?!Unit\b)[A-Z]\w*",
     "_compat.DISTANCE_METERS, LAYOUT_MILLIMETERS..."),
    (r"\bQgsLegendStyle\.(Title|Group|Subgroup|Symbol|SymbolLabel|Hidden|Undefined)\b", "_compat.LEGEND_X"),
    (r"\bQgsPalLayerSettings\.(AroundPoint|OverPoint|Line|Curved|Horizontal|Free|OrderedPositionsAroundPoint|"
     r"PerimeterCurved|OutsidePolygons)\b", "_compat.LabelPlacement.X"),
    (r"\bQgis\.(Info|Warning|Critical|Success|NoLevel)\b", "Qgis.MessageLevel.X"),
    (r"\bQgis\.(Float32|Float64|Int32|UInt32|Int16|UInt16|Byte|UnknownDataType)\b", "Qgis.DataType.X"),
    (r"\bQVariant\.(Int|UInt|LongLong|ULongLong|Double|String|Date|DateTime|Time|Bool|List|Map|StringList|"
     r"ByteArray|Invalid)\b", "_compat.FieldType.X (QMetaType on 3.38+)"),
    (r"\bQt\.(DisplayRole|EditRole|UserRole|ToolTipRole|DecorationRole|CheckStateRole|ForegroundRole|"
     r"BackgroundRole|FontRole|TextAlignmentRole)\b", "Qt.ItemDataRole.X"),
    (r"\bQt\.(Align(Left|Right|Center|HCenter|VCenter|Top|Bottom|Justify))\b", "Qt.AlignmentFlag.X"),
    (r"\bQt\.(Checked|Unchecked|PartiallyChecked)\b", "Qt.CheckState.X"),
    (r"\bQt\.(white|black|red|green|blue|gray|transparent|darkGray|lightGray)\b", "Qt.GlobalColor.X"),
    (r"\bQt\.(Horizontal|Vertical)\b", "Qt.Orientation.X"),
    (r"\bQt\.(NoPen|SolidLine|DashLine|DotLine)\b", "Qt.PenStyle.X"),
    (r"\bQt\.(NoBrush|SolidPattern)\b", "Qt.BrushStyle.X"),
    (r"\bQt\.(KeepAspectRatio|IgnoreAspectRatio)\b", "Qt.AspectRatioMode.X"),
    (r"\bQt\.(SmoothTransformation|FastTransformation)\b", "Qt.TransformationMode.X"),
    (r"\bQt\.(WaitCursor|ArrowCursor|PointingHandCursor)\b", "Qt.CursorShape.X"),
    (r"\bQt\.(ItemIs\w+)\b", "Qt.ItemFlag.X"),
    (r"\bQt\.(LeftDockWidgetArea|RightDockWidgetArea)\b", "Qt.DockWidgetArea.X"),
    (r"\bQt\.(RichText|PlainText)\b", "Qt.TextFormat.X"),
    (r"\bQFont\.(Bold|Normal|Light|DemiBold)\b", "QFont.Weight.X"),
    (r"\bQImage\.Format_\w+", "QImage.Format.Format_X"),
    (r"\bQPainter\.(Antialiasing|TextAntialiasing|SmoothPixmapTransform)\b", "QPainter.RenderHint.X"),
    (r"\bQMessageBox\.(Yes|No|Ok|Cancel|Warning|Information|Critical|Question)\b",
     "QMessageBox.StandardButton.X / Icon.X"),
    (r"\bQSizePolicy\.(Expanding|Preferred|Fixed|Minimum|Maximum)\b", "QSizePolicy.Policy.X"),
    (r"\bQDialogButtonBox\.(Ok|Cancel|Close|Help)\b", "QDialogButtonBox.StandardButton.X"),
    (r"\bQAbstractItemView\.(SingleSelection|ExtendedSelection|NoEditTriggers|SelectRows)\b",
     "QAbstractItemView.SelectionMode.X / EditTrigger.X / SelectionBehavior.X"),
    (r"\bQHeaderView\.(Stretch|ResizeToContents|Interactive)\b", "QHeaderView.ResizeMode.X"),
    (r"\bQFrame\.(HLine|VLine|NoFrame|StyledPanel|Sunken)\b", "QFrame.Shape.X / Shadow.X"),
    (r"^\s*(from|import)\s+(PyQt5|PyQt6|PySide2|PySide6)\b", "from qgis.PyQt import ..."),
    (r"\bexec_\(\)", "exec()"),
    (r"\.writeAsVectorFormat(V2)?\(", "QgsVectorFileWriter.writeAsVectorFormatV3 (3.20+)"),
]
# Calls that QGIS 3.40 flags as deprecated and whose replacements 3.22 lacks: only _compat.py may make them.
COMPAT_ONLY = [
    (r"\.parameterAsFields\(", "_compat.parameter_as_strings"),
    (r"\.setStyleFont\(", "_compat.set_legend_style_font"),
    (r"\.setMinimal\(\)", "_compat.empty_rectangle()"),
    (r"\b(?!fmt\.|text\.|format\.)\w+\.setFontColor\(", "_compat.set_text_format"),
    (r"\bgdal\.UseExceptions\(\)|\bogr\.UseExceptions\(\)|\bosr\.UseExceptions\(\)", "_compat.gdal_exceptions()"),
]


def _sources():
    for entry in SCANNED:
        path = ROOT / entry
        files = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for f in files:
            if any(part in (".venv", ".build", "__pycache__") for part in f.parts):
                continue
            yield f


def _code_lines(path):
    """(line number, line) of code, with string literals and comments blanked out."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    blank = {}
    tree = ast.parse(text)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for n in range(node.lineno, (node.end_lineno or node.lineno) + 1):
                blank.setdefault(n, []).append(node)
    for n, line in enumerate(lines, start=1):
        code = line.split("#", 1)[0] if "#" in line and '"' not in line and "'" not in line else line
        if n in blank:
            for node in blank[n]:
                if node.lineno == node.end_lineno == n:
                    code = code[:node.col_offset] + " " * (node.end_col_offset - node.col_offset) + \
                        code[node.end_col_offset:]
                else:
                    code = ""
        yield n, code


def _violations(rules, skip_compat):
    found = []
    for path in _sources():
        if path == pathlib.Path(__file__).resolve():
            continue
        if skip_compat and path == COMPAT:
            continue
        raw = path.read_text(encoding="utf-8").splitlines()
        for n, code in _code_lines(path):
            if "# compat-ok" in raw[n - 1]:
                continue  # a deliberate use, explained on the line
            for pattern, fix in rules:
                m = re.search(pattern, code)
                if m:
                    found.append(f"{path.relative_to(ROOT)}:{n}: '{m.group(0).strip()}' -> use {fix}")
    return found


def test_no_unscoped_enums_or_direct_pyqt_imports():
    found = _violations(RULES, skip_compat=False)
    assert not found, "Unscoped Qt/QGIS enums or direct PyQt imports:\n" + "\n".join(found)


def test_version_dependent_calls_only_in_compat():
    found = _violations(COMPAT_ONLY, skip_compat=True)
    assert not found, "Calls that must go through algorithms/_compat.py:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "snippet",
    [
        "QgsProcessing.TypeVectorAnyGeometry",
        "QgsProcessingParameterNumber.Double",
        "QgsFeatureSink.FastInsert",
        "Qt.DisplayRole",
        "QgsWkbTypes.Point",
        "QgsWkbTypes.PolygonGeometry",
        "QVariant.Double",
        "Qgis.Critical",
        "QgsUnitTypes.DistanceMeters",
        "from PyQt5.QtCore import QVariant",
        "QgsLayoutExporter.Success",
    ],
)
def test_scanner_catches_the_old_spellings(snippet):
    assert any(re.search(p, snippet) for p, _ in RULES)


@pytest.mark.parametrize(
    "snippet",
    [
        "QgsProcessing.SourceType.TypeVectorAnyGeometry",
        "QgsProcessingParameterNumber.Type.Double",
        "QgsFeatureSink.Flag.FastInsert",
        "Qt.ItemDataRole.DisplayRole",
        "QgsWkbTypes.geometryType(source.wkbType())",
        "Qgis.MessageLevel.Critical",
        "from qgis.PyQt.QtCore import QVariant",
        "QgsLayoutExporter.ExportResult.Success",
    ],
)
def test_scanner_accepts_the_scoped_spellings(snippet):
    assert not any(re.search(p, snippet) for p, _ in RULES)


def test_metadata_declares_qt6_and_qgis4():
    meta = configparser.ConfigParser(interpolation=None)
    meta.read(ROOT / "metadata.txt", encoding="utf-8")
    general = meta["general"]
    assert general.get("supportsQt6", "").strip() == "True"
    assert general.get("qgisMinimumVersion") == "3.22"
    assert float(general.get("qgisMaximumVersion", "3.99")) >= 4.0
    assert general.get("changelog", "").strip()
    assert "example.org" not in (ROOT / "metadata.txt").read_text(encoding="utf-8")


def test_deprecations_from_our_modules_fail_the_tests():
    # pytest's filterwarnings (pyproject.toml) turn them into errors; third-party ones stay quiet.
    with pytest.raises(DeprecationWarning):
        warnings.warn_explicit("old API", DeprecationWarning, "layers.py", 1,
                               module="carbon_spacetime.algorithms.layers")
    warnings.warn_explicit("old API", DeprecationWarning, "other.py", 1, module="someone_else.module")


def test_a_qgis_deprecation_from_our_code_is_caught():
    qgis_core = pytest.importorskip("qgis.core")
    if qgis_core.Qgis.QGIS_VERSION_INT < 33800:
        pytest.skip("QgsField(name, QVariant.Type) is deprecated from QGIS 3.38 on")
    from qgis.PyQt.QtCore import QVariant

    # Run the deprecated call as if it were in one of our modules: sip attributes the
    # warning to the calling frame's module.
    scope = {"__name__": "carbon_spacetime.algorithms.example", "QgsField": qgis_core.QgsField,
             "QVariant": QVariant}
    with pytest.raises(DeprecationWarning):
        exec(compile("QgsField('x', QVariant.Type.Double)", "example.py", "exec"), scope)
