"""Write the .qml styles of the spatial-distribution outputs with the QGIS API.

Run with the system Python (QGIS bindings): ``/usr/bin/python3 tools/make_styles.py``.
The resulting files in resources/styles are committed; this script documents how
they were made and regenerates them after a change.
"""

import importlib.util
import os
import sys

from qgis.core import (
    QgsApplication,
    QgsArrowSymbolLayer,
    QgsFillSymbol,
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsProperty,
    QgsSingleSymbolRenderer,
    QgsSymbolLayer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor, QFont

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STYLES = os.path.join(ROOT, "resources", "styles")


def _load_compat():
    """The plugin's version switches (algorithms/_compat.py), loaded from the file itself."""
    spec = importlib.util.spec_from_file_location("carbon_compat", os.path.join(ROOT, "algorithms", "_compat.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


LabelPlacement = _load_compat().LabelPlacement

def year_ramp(field):
    rank = f"array_find(array_sort(array_distinct(aggregate(@layer, 'array_agg', \"{field}\"))), \"{field}\")"
    count = f"array_length(array_distinct(aggregate(@layer, 'array_agg', \"{field}\")))"
    return f"ramp_color('Turbo', if({count} > 1, {rank} / ({count} - 1), 0.5))"


def text_format(size=9, bold=False):
    fmt = QgsTextFormat()
    font = QFont("Sans")
    font.setBold(bold)
    fmt.setFont(font)
    fmt.setSize(size)
    fmt.setColor(QColor("#1b1b1b"))
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(1.0)
    buffer.setColor(QColor("white"))
    fmt.setBuffer(buffer)
    return fmt


def labels(expression, placement, size=9, bold=False):
    settings = QgsPalLayerSettings()
    settings.fieldName = expression
    settings.isExpression = True
    settings.placement = placement
    settings.setFormat(text_format(size, bold))
    return QgsVectorLayerSimpleLabeling(settings)


def centres_style():
    layer = QgsVectorLayer("Point?field=year:string", "centres", "memory")
    symbol = QgsMarkerSymbol.createSimple(
        {"name": "circle", "size": "3.2", "outline_color": "#1b1b1b", "outline_width": "0.4"}
    )
    symbol.symbolLayer(0).setDataDefinedProperty(
        QgsSymbolLayer.Property.PropertyFillColor, QgsProperty.fromExpression(year_ramp("year"))
    )
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    layer.setLabeling(labels('"year"', LabelPlacement.OverPoint, 9, True))
    layer.setLabelsEnabled(True)
    settings = layer.labeling().settings()
    settings.yOffset = -3.0
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    return layer


def trajectory_style():
    layer = QgsVectorLayer("LineString?field=from_year:string&field=to_year:string", "trajectory", "memory")
    arrow = QgsArrowSymbolLayer()
    arrow.setIsCurved(False)
    arrow.setIsRepeated(False)
    arrow.setArrowWidth(0.8)
    arrow.setArrowStartWidth(0.8)
    arrow.setHeadLength(3.0)
    arrow.setHeadThickness(2.0)
    fill = QgsFillSymbol.createSimple({"color": "#c1121f", "outline_color": "#540b0e", "outline_width": "0.2"})
    arrow.setSubSymbol(fill)
    symbol = QgsLineSymbol()
    symbol.changeSymbolLayer(0, arrow)
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    layer.setLabeling(
        labels(
            "concat(\"from_year\", '→', \"to_year\", ': ', format_number(\"dist_km\", 1), ' km ', \"direction\")",
            LabelPlacement.Line,
            8,
        )
    )
    layer.setLabelsEnabled(True)
    return layer


def ellipses_style():
    layer = QgsVectorLayer("Polygon?field=year:string", "ellipses", "memory")
    symbol = QgsFillSymbol.createSimple(
        {"color": "0,0,0,0", "style": "no", "outline_color": "#264653", "outline_width": "0.7"}
    )
    symbol.symbolLayer(0).setDataDefinedProperty(
        QgsSymbolLayer.Property.PropertyStrokeColor, QgsProperty.fromExpression(year_ramp("year"))
    )
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    layer.setLabeling(labels('"year"', LabelPlacement.Line, 8))
    layer.setLabelsEnabled(True)
    return layer


def main():
    app = QgsApplication([], False)
    app.initQgis()
    os.makedirs(STYLES, exist_ok=True)
    for name, make in (("centers", centres_style), ("trajectory", trajectory_style), ("ellipses", ellipses_style)):
        layer = make()
        path = os.path.join(STYLES, f"{name}.qml")
        message, ok = layer.saveNamedStyle(path)
        if not ok:
            print(f"could not write {path}: {message}", file=sys.stderr)
            return 1
        print(path)
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
