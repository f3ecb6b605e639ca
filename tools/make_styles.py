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
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsLineSymbol,
    QgsMarkerLineSymbolLayer,
    QgsMarkerSymbol,
    QgsPalettedRasterRenderer,
    QgsPalLayerSettings,
    QgsProperty,
    QgsRasterLayer,
    QgsRendererCategory,
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


def _load(name, *path):
    """A module of the plugin loaded from its file (this script runs outside the plugin package)."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, "algorithms", *path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_COMPAT = _load("carbon_compat", "_compat.py")  # the plugin's version switches
LabelPlacement = _COMPAT.LabelPlacement
set_central_marker = _COMPAT.set_central_marker
#: The 17 emerging hot spot patterns (PATTERN_CODE, label, colour): the one palette of the plugin.
EMERGING = _load("carbon_palettes", "_styles", "palettes.py").EMERGING_PATTERNS

def year_ramp(field):
    rank = f"array_find(array_sort(array_distinct(aggregate(@layer, 'array_agg', \"{field}\"))), \"{field}\")"
    count = f"array_length(array_distinct(aggregate(@layer, 'array_agg', \"{field}\")))"
    return f"ramp_color('Turbo', if({count} > 1, {rank} / ({count} - 1), 0.5))"


def coloured_by_year(layer, symbol, colour_property):
    """One symbol whose ``colour_property`` follows the year (loaded layers are categorised by year)."""
    symbol.symbolLayer(0).setDataDefinedProperty(colour_property, QgsProperty.fromExpression(year_ramp("year")))
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))


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
    coloured_by_year(layer, symbol, QgsSymbolLayer.Property.PropertyFillColor)
    # Cartographic placement (eight positions around the point); a label that would overprint
    # another is left out instead of printing "20020010".
    layer.setLabeling(labels('"year"', LabelPlacement.OrderedPositionsAroundPoint, 9, True))
    layer.setLabelsEnabled(True)
    settings = layer.labeling().settings()
    settings.dist = 1.0
    settings.displayAll = False
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    return layer


def trajectory_style():
    layer = QgsVectorLayer("LineString?field=from_year:string&field=to_year:string", "trajectory", "memory")
    # The arrowhead half-way along each shift (as algorithms/_styles/renderers.trajectory_symbol):
    # a head at the line end hides under the next centre's marker at province scale.
    symbol = QgsLineSymbol.createSimple({"line_color": "#222222", "line_width": "0.5"})
    head = QgsMarkerSymbol.createSimple(
        {"name": "filled_arrowhead", "size": "3.0", "color": "#222222", "outline_style": "no"}
    )
    marker_line = QgsMarkerLineSymbolLayer(True, 0)
    set_central_marker(marker_line)
    marker_line.setSubSymbol(head)
    symbol.appendSymbolLayer(marker_line)
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    layer.setLabeling(
        labels(
            "concat(\"from_year\", '→', \"to_year\", ': ', format_number(\"dist_km\", 1), ' km ', \"direction\")",
            LabelPlacement.Line,
            8,
        )
    )
    settings = layer.labeling().settings()
    settings.dist = 1.5  # above the line, clear of the 3 mm arrowhead
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)
    return layer


def ellipses_style():
    layer = QgsVectorLayer("Polygon?field=year:string", "ellipses", "memory")
    symbol = QgsFillSymbol.createSimple(
        {"color": "0,0,0,0", "style": "no", "outline_color": "#264653", "outline_width": "0.7"}
    )
    coloured_by_year(layer, symbol, QgsSymbolLayer.Property.PropertyStrokeColor)
    # No year labels on the outlines: near-identical ellipses made them crowd. The loaded
    # layer is categorised by year (algorithms/_styles/renderers.ellipses), so the legend
    # names the years.
    layer.setLabelsEnabled(False)
    return layer


def emerging_style(geometry):
    """Categories on PATTERN_CODE for polygons, points or lines."""
    layer = QgsVectorLayer(f"{geometry}?field=PATTERN_CODE:integer", "emerging", "memory")
    categories = []
    for code, label, colour in EMERGING:
        if geometry == "Point":
            symbol = QgsMarkerSymbol.createSimple(
                {"name": "circle", "size": "2.6", "color": colour, "outline_color": "#606060",
                 "outline_width": "0.2"})
        elif geometry == "LineString":
            symbol = QgsLineSymbol.createSimple({"color": colour, "width": "0.8"})
        else:
            # white hairlines, as every polygon result map (hot spots, Local Moran, coefficients)
            symbol = QgsFillSymbol.createSimple(
                {"color": colour, "outline_color": "#ffffff", "outline_width": "0.05"})
        categories.append(QgsRendererCategory(code, symbol, label))
    layer.setRenderer(QgsCategorizedSymbolRenderer("PATTERN_CODE", categories))
    return layer


def emerging_raster_style():
    """Paletted band 1 (pattern code) of the emerging hot spot raster."""
    import tempfile

    from osgeo import gdal

    path = os.path.join(tempfile.mkdtemp(), "codes.tif")
    ds = gdal.GetDriverByName("GTiff").Create(path, 2, 2, 4, gdal.GDT_Float32)
    ds.SetGeoTransform((0, 1, 0, 2, 0, -1))
    ds = None
    layer = QgsRasterLayer(path, "emerging")
    classes = [QgsPalettedRasterRenderer.Class(code, QColor(colour), label) for code, label, colour in EMERGING]
    layer.setRenderer(QgsPalettedRasterRenderer(layer.dataProvider(), 1, classes))
    return layer


def main():
    app = QgsApplication([], False)
    app.initQgis()
    os.makedirs(STYLES, exist_ok=True)
    makers = (("centers", centres_style), ("trajectory", trajectory_style), ("ellipses", ellipses_style),
              ("emerging_hotspots", lambda: emerging_style("Polygon")),
              ("emerging_hotspots_points", lambda: emerging_style("Point")),
              ("emerging_hotspots_lines", lambda: emerging_style("LineString")),
              ("emerging_hotspots_raster", emerging_raster_style))
    only = set(sys.argv[1:])  # e.g. emerging_hotspots: regenerate only the named styles
    for name, make in makers:
        if only and name not in only:
            continue
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
