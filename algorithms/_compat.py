"""The one place where QGIS versions differ (3.22 to 3.44 and QGIS 4 / Qt6).

Everything else in the plugin uses scoped enums that exist on every supported
version (``QgsProcessing.SourceType.TypeVector``, ``QgsFeatureSink.Flag.FastInsert``,
``Qt.ItemDataRole.DisplayRole``, ``Qgis.MessageLevel.Warning``...). Where the
modern API is missing on 3.22, and the old one is deprecated (or gone) on newer
versions, the choice is made here once, keyed on ``Qgis.QGIS_VERSION_INT``:

- ``FieldType.Int / LongLong / Double / String / Date / DateTime``: the type for
  ``QgsField(name, FieldType.Double)`` (``QMetaType.Type`` from 3.38, ``QVariant.Type``
  before);
- ``WkbType.Point / LineString / Polygon / NoGeometry``: ``Qgis.WkbType`` from 3.30,
  ``QgsWkbTypes.Type`` before;
- ``POINT_GEOMETRY / LINE_GEOMETRY / POLYGON_GEOMETRY``: what ``geometryType()``
  returns (``Qgis.GeometryType`` from 3.30, ``QgsWkbTypes.GeometryType`` before);
- ``DISTANCE_METERS / DISTANCE_KILOMETERS / DISTANCE_DEGREES / LAYOUT_MILLIMETERS``: units;
- ``parameter_as_strings(alg, parameters, name, context)``: field names chosen in a
  field parameter (``parameterAsStrings`` from 3.32, ``parameterAsFields`` before);
- ``set_text_format(item, font, colour=None)``: font of a layout label or scale bar
  (``setTextFormat`` where the item has it, ``setFont``/``setFontColor`` before);
- ``set_legend_style_font(legend, style, font)``: a legend style's font
  (``QgsLegendStyle.setTextFormat`` from 3.30, ``setStyleFont`` before);
- ``LEGEND_TITLE / LEGEND_SUBGROUP / LEGEND_SYMBOL_LABEL``: legend styles;
- ``LabelPlacement.OverPoint / AroundPoint / Line``: label placement (``Qgis.LabelPlacement``
  from 3.26, ``QgsPalLayerSettings.Placement`` before);
- ``set_central_marker(marker_line)`` / ``has_central_marker(marker_line)``: a marker
  line symbol layer drawing its marker half-way along the line (``setPlacements`` with
  ``Qgis.MarkerLinePlacement`` from 3.24, ``setPlacement`` before);
- ``empty_rectangle()``: a rectangle that any ``combineExtentWith`` replaces
  (``setNull`` from 3.34, ``setMinimal`` before);
- ``gdal_exceptions()``: GDAL/OGR/OSR raise Python exceptions inside the block (or the
  decorated function) and the caller's error mode is restored afterwards, so the plugin
  never changes the process-wide mode other plugins rely on (``gdal.ExceptionMgr`` does
  this from GDAL 3.7; Debian 12 has 3.6).
"""

import contextlib

from osgeo import gdal, ogr, osr
from qgis.core import (
    Qgis,
    QgsLegendStyle,
    QgsMarkerLineSymbolLayer,
    QgsPalLayerSettings,
    QgsRectangle,
    QgsTextFormat,
    QgsUnitTypes,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QMetaType, QVariant

QGIS_VERSION_INT = Qgis.QGIS_VERSION_INT


class FieldType:
    """Field types for ``QgsField(name, type)`` on every QGIS version."""

    if QGIS_VERSION_INT >= 33800:
        Int = QMetaType.Type.Int
        LongLong = QMetaType.Type.LongLong
        Double = QMetaType.Type.Double
        String = QMetaType.Type.QString
        Date = QMetaType.Type.QDate
        DateTime = QMetaType.Type.QDateTime
    else:
        Int = QVariant.Type.Int
        LongLong = QVariant.Type.LongLong
        Double = QVariant.Type.Double
        String = QVariant.Type.String
        Date = QVariant.Type.Date
        DateTime = QVariant.Type.DateTime


if QGIS_VERSION_INT >= 33000:
    WkbType = Qgis.WkbType
    POINT_GEOMETRY = Qgis.GeometryType.Point
    LINE_GEOMETRY = Qgis.GeometryType.Line
    POLYGON_GEOMETRY = Qgis.GeometryType.Polygon
    DISTANCE_METERS = Qgis.DistanceUnit.Meters
    DISTANCE_KILOMETERS = Qgis.DistanceUnit.Kilometers
    DISTANCE_DEGREES = Qgis.DistanceUnit.Degrees
    LAYOUT_MILLIMETERS = Qgis.LayoutUnit.Millimeters
else:
    WkbType = QgsWkbTypes.Type
    POINT_GEOMETRY = QgsWkbTypes.GeometryType.PointGeometry
    LINE_GEOMETRY = QgsWkbTypes.GeometryType.LineGeometry
    POLYGON_GEOMETRY = QgsWkbTypes.GeometryType.PolygonGeometry
    DISTANCE_METERS = QgsUnitTypes.DistanceUnit.DistanceMeters
    DISTANCE_KILOMETERS = QgsUnitTypes.DistanceUnit.DistanceKilometers
    DISTANCE_DEGREES = QgsUnitTypes.DistanceUnit.DistanceDegrees
    LAYOUT_MILLIMETERS = QgsUnitTypes.LayoutUnit.LayoutMillimeters

if QGIS_VERSION_INT >= 33000 and hasattr(Qgis, "LegendComponent"):
    LEGEND_TITLE = Qgis.LegendComponent.Title
    LEGEND_SUBGROUP = Qgis.LegendComponent.Subgroup
    LEGEND_SYMBOL_LABEL = Qgis.LegendComponent.SymbolLabel
else:
    LEGEND_TITLE = QgsLegendStyle.Style.Title
    LEGEND_SUBGROUP = QgsLegendStyle.Style.Subgroup
    LEGEND_SYMBOL_LABEL = QgsLegendStyle.Style.SymbolLabel

LabelPlacement = Qgis.LabelPlacement if QGIS_VERSION_INT >= 32600 else QgsPalLayerSettings.Placement


def parameter_as_strings(alg, parameters, name, context):
    """The field names chosen in a multiple field parameter, as a list of str."""
    if QGIS_VERSION_INT >= 33200:
        return list(alg.parameterAsStrings(parameters, name, context))
    return list(alg.parameterAsFields(parameters, name, context))


def _text_format(font, colour=None):
    fmt = QgsTextFormat.fromQFont(font)
    if colour is not None:
        fmt.setColor(colour)
    return fmt


def set_text_format(item, font, colour=None):
    """Font (and colour) of a layout label or scale bar."""
    if hasattr(item, "setTextFormat"):  # scale bars from 3.14, labels from 3.24
        item.setTextFormat(_text_format(font, colour))
        return
    item.setFont(font)
    if colour is not None:
        item.setFontColor(colour)


def set_legend_style_font(legend, style, font):
    """Font of one style (title, group, symbol label...) of a layout legend."""
    if QGIS_VERSION_INT >= 33000:
        legend.rstyle(style).setTextFormat(_text_format(font))
    else:
        legend.setStyleFont(style, font)


def set_central_marker(marker_line):
    """Draw the marker of a ``QgsMarkerLineSymbolLayer`` at the middle of the line only."""
    if hasattr(marker_line, "setPlacements"):
        marker_line.setPlacements(Qgis.MarkerLinePlacements(Qgis.MarkerLinePlacement.CentralPoint))
    else:
        marker_line.setPlacement(QgsMarkerLineSymbolLayer.Placement.CentralPoint)


def has_central_marker(marker_line):
    """Whether a ``QgsMarkerLineSymbolLayer`` draws its marker at the middle of the line."""
    if hasattr(marker_line, "placements"):
        return bool(marker_line.placements() & Qgis.MarkerLinePlacement.CentralPoint)
    return marker_line.placement() == QgsMarkerLineSymbolLayer.Placement.CentralPoint


def empty_rectangle():
    """An empty rectangle to grow with ``combineExtentWith``."""
    rect = QgsRectangle()
    if hasattr(rect, "setNull"):
        rect.setNull()
    else:
        rect.setMinimal()
    return rect


@contextlib.contextmanager
def gdal_exceptions():
    """GDAL, OGR and OSR raise exceptions inside; their previous modes come back after.

    Usable as ``with gdal_exceptions():`` or as a decorator ``@gdal_exceptions()``.
    """
    modules = (gdal, ogr, osr)
    saved = [m.GetUseExceptions() for m in modules]
    for m in modules:
        if not m.GetUseExceptions():
            m.UseExceptions()
    try:
        yield
    finally:
        # GDAL keeps a stack of error handlers: give them back in the reverse order.
        for m, was in reversed(list(zip(modules, saved))):
            if not was and m.GetUseExceptions():
                m.DontUseExceptions()
