"""Write the .qml styles of the spatial-distribution outputs with the QGIS API.

Run with the system Python (QGIS bindings): ``/usr/bin/python3 tools/make_styles.py``.
The resulting files in resources/styles are committed; this script documents how
they were made and regenerates them after a change.
"""

import os
import sys

from qgis.core import (
    QgsApplication,
    QgsFillSymbol,
    QgsLineSymbol,
    QgsMarkerLineSymbolLayer,
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

STYLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "resources", "styles")

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
        QgsSymbolLayer.PropertyFillColor, QgsProperty.fromExpression(year_ramp("year"))
    )
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    # Cartographic placement (eight positions around the point); a label that would overprint
    # another is left out instead of printing "20020010".
    layer.setLabeling(labels('"year"', QgsPalLayerSettings.OrderedPositionsAroundPoint, 9, True))
    layer.setLabelsEnabled(True)
    settings = layer.labeling().settings()
    settings.dist = 1.0
    settings.displayAll = False
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    return layer


def trajectory_style():
    layer = QgsVectorLayer("LineString?field=from_year:string&field=to_year:string", "trajectory", "memory")
    # The arrowhead half-way along each shift (as algorithms/_study_styles.trajectory_symbol):
    # a head at the line end hides under the next centre's marker at province scale.
    symbol = QgsLineSymbol.createSimple({"line_color": "#222222", "line_width": "0.5"})
    head = QgsMarkerSymbol.createSimple(
        {"name": "filled_arrowhead", "size": "3.0", "color": "#222222", "outline_style": "no"}
    )
    marker_line = QgsMarkerLineSymbolLayer(True, 0)
    marker_line.setPlacement(QgsMarkerLineSymbolLayer.CentralPoint)
    marker_line.setSubSymbol(head)
    symbol.appendSymbolLayer(marker_line)
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    layer.setLabeling(
        labels(
            "concat(\"from_year\", '→', \"to_year\", ': ', format_number(\"dist_km\", 1), ' km ', \"direction\")",
            QgsPalLayerSettings.Line,
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
        QgsSymbolLayer.PropertyStrokeColor, QgsProperty.fromExpression(year_ramp("year"))
    )
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    # No year labels on the outlines: near-identical ellipses made them crowd. The loaded
    # layer is categorised by year (algorithms/_study_styles.style_ellipses), so the legend
    # names the years.
    layer.setLabelsEnabled(False)
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
