"""Renderers that depend on the data: emission classes and stops, coefficient classes, years.

Each function finishes one result kind after its ``.qml`` (if any) is loaded; the class
bounds and stops come from :mod:`...core.legend`, the colours from :mod:`.palettes`.
"""

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsColorRampShader,
    QgsExpressionContextUtils,
    QgsFillSymbol,
    QgsLineSymbol,
    QgsMarkerLineSymbolLayer,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsRasterShader,
    QgsRendererCategory,
    QgsRuleBasedRenderer,
    QgsSingleBandPseudoColorRenderer,
    QgsSingleSymbolRenderer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor, QFont

from ...core.formatting import format_significant as format_number
from ...core.legend import display_unit, spread_indices, symmetric_class_bounds
from .._compat import LINE_GEOMETRY, POINT_GEOMETRY, LabelPlacement, set_central_marker
from .._i18n import tr, translatable
from .palettes import (
    DIVERGING_COLOURS,
    EMISSION_COLOURS,
    HOTSPOT_CLASSES,
    NOT_SIGNIFICANT_COLOUR,
    TRAJECTORY_COLOUR,
    YEAR_COLOURS,
)


def emission_classes(layer, bounds, unit):
    """Discrete yellow-to-red classes with the upper ``bounds`` (shared by all years).

    Class labels are in :func:`...core.legend.display_unit` (the data keep their unit).
    """
    factor, _ = display_unit(unit, bounds)
    # Spread the palette over however many classes there are (few classes when values repeat).
    colours = [EMISSION_COLOURS[i] for i in spread_indices(len(EMISSION_COLOURS), len(bounds))]
    items, lower = [], 0.0
    for i, upper in enumerate(bounds):
        label = f"{format_number(lower * factor, 3)} – {format_number(upper * factor, 3)}"
        value = upper if i < len(bounds) - 1 else float("inf")
        items.append(QgsColorRampShader.ColorRampItem(value, QColor(colours[i]), label))
        lower = upper
    ramp = QgsColorRampShader(0.0, bounds[-1], None, QgsColorRampShader.Type.Discrete)
    ramp.setColorRampItemList(items)
    _set_pseudocolour(layer, ramp, 0.0, bounds[-1])
    layer.setCustomProperty("carbon_spacetime/unit", unit)


def emission_ramp(layer, stops):
    """The colours of the loaded ``emissions.qml`` ramp moved to the colour ``stops`` of one grid."""
    renderer = layer.renderer()
    if renderer is None or not hasattr(renderer, "shader") or len(stops) < 2:
        return
    function = renderer.shader().rasterShaderFunction()
    items = function.colorRampItemList()
    if not items:
        return
    colours = [items[i].color for i in spread_indices(len(items), len(stops))]
    function.setColorRampItemList([
        QgsColorRampShader.ColorRampItem(float(value), colour, format_number(value, 4))
        for value, colour in zip(stops, colours)
    ])
    function.setMinimumValue(float(stops[0]))
    function.setMaximumValue(float(stops[-1]))
    renderer.setClassificationMin(float(stops[0]))
    renderer.setClassificationMax(float(stops[-1]))


def _set_pseudocolour(layer, ramp, minimum, maximum):
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(ramp)
    renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), 1, shader)
    renderer.setClassificationMin(minimum)
    renderer.setClassificationMax(maximum)
    layer.setRenderer(renderer)


def _is_null(value):
    return value is None or (hasattr(value, "isNull") and value.isNull()) or str(value) in ("", "NULL")


def hotspot_labels(layer):
    """Gi* classes of the loaded ``hotspots*.qml`` hot first, labelled in the interface language.

    The "No result" class (no value or no neighbours) is listed only when some feature has it.
    """
    renderer = layer.renderer()
    if not isinstance(renderer, QgsCategorizedSymbolRenderer):
        return
    order = [str(value) for value, _, _ in HOTSPOT_CLASSES]
    labels = {str(value): tr(label) for value, _, label in HOTSPOT_CLASSES}
    index = layer.fields().lookupField(renderer.classAttribute())
    has_null = index < 0 or any(_is_null(v) for v in layer.uniqueValues(index))

    def rank(category):
        key = str(category.value())
        return order.index(key) if key in order else len(order)

    categories = [
        QgsRendererCategory(c.value(), c.symbol().clone(), labels.get(str(c.value()), tr(c.label())), c.renderState())
        for c in sorted(renderer.categories(), key=rank)
        if has_null or not _is_null(c.value())
    ]
    layer.setRenderer(QgsCategorizedSymbolRenderer(renderer.classAttribute(), categories))


def outline(layer, colour="#555555", width=0.35, fill=None):
    """Outlines only (or filled with ``fill``): regions or cells under a report map."""
    props = {
        "color": fill or "0,0,0,0",
        "outline_color": colour,
        "outline_width": str(width),
        "style": "solid" if fill else "no",
    }
    layer.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(props)))
    layer.triggerRepaint()


def year_colour(index, count):
    """A distinct colour for the ``index``-th of ``count`` years."""
    if count <= len(YEAR_COLOURS):
        return QColor(YEAR_COLOURS[index])
    colour = QColor()
    colour.setHsvF(0.75 * index / max(count - 1, 1), 0.8, 0.8)
    return colour


def layer_years(layer, field="year"):
    """Distinct non-null values of ``field`` in ``layer``, sorted (empty if there is no such field)."""
    index = layer.fields().lookupField(field)
    if index < 0:
        return []
    values = [v for v in layer.uniqueValues(index) if v is not None and not (hasattr(v, "isNull") and v.isNull())]
    return sorted(values, key=lambda v: (str(type(v)), v))


def _by_year(layer, years, symbol_for, label):
    """Categorise ``layer`` on its ``year`` field: ``symbol_for(colour name)`` per year.

    ``years`` None reads the distinct values of the layer's ``year`` field.
    """
    if years is None:
        years = layer_years(layer)
    if not years:
        return
    categories = [
        QgsRendererCategory(year, symbol_for(year_colour(i, len(years)).name()), f"{tr(label)} {year}")
        for i, year in enumerate(years)
    ]
    layer.setRenderer(QgsCategorizedSymbolRenderer("year", categories))


def ellipses(layer, years=None):
    """Ellipse outlines coloured by year, with a legend entry per year (no map labels: they crowd)."""
    _by_year(layer, years, lambda colour: QgsFillSymbol.createSimple(
        {"color": "0,0,0,0", "style": "no", "outline_color": colour, "outline_width": "0.7"}),
        translatable("Ellipse"))
    layer.setLabelsEnabled(False)


def _year_labels(layer, size=9):
    settings = QgsPalLayerSettings()
    settings.fieldName = '"year"'
    settings.isExpression = True
    text = QgsTextFormat()
    text.setFont(QFont("DejaVu Sans"))
    text.setSize(size)
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(1.0)
    buffer.setColor(QColor("white"))
    text.setBuffer(buffer)
    settings.setFormat(text)
    # Cartographic placement tries eight positions around the point; labels that would
    # overprint another are left out (the legend still names every year).
    settings.placement = LabelPlacement.OrderedPositionsAroundPoint
    settings.dist = 1.0
    settings.displayAll = False
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)


def centres(layer, years=None):
    """Centre rings coloured by year (a legend entry per year), labelled with the year.

    Rings, not discs: at province scale a year's shift is shorter than a marker, and the
    trajectory's arrowheads below must stay visible through the centres.
    """
    _by_year(layer, years, lambda colour: QgsMarkerSymbol.createSimple(
        {"name": "circle", "size": "2.6", "color": "0,0,0,0", "outline_color": colour,
         "outline_width": "0.6"}),
        translatable("Centre"))
    _year_labels(layer)


def trajectory_symbol(colour=TRAJECTORY_COLOUR):
    """A line with its arrowhead half-way along each shift.

    At province scale a year's shift is a few millimetres on the map and ends under the
    next centre's marker, so a head at the line's end is hidden: the head sits at the
    middle of every segment instead (and keeps its size, whatever the scale).
    """
    symbol = QgsLineSymbol.createSimple({"line_color": colour, "line_width": "0.5"})
    head = QgsMarkerSymbol.createSimple(
        {"name": "filled_arrowhead", "size": "3.0", "color": colour, "outline_style": "no", "angle": "0"}
    )
    marker_line = QgsMarkerLineSymbolLayer(True, 0)
    set_central_marker(marker_line)
    marker_line.setSubSymbol(head)
    symbol.appendSymbolLayer(marker_line)
    return symbol


def trajectory(layer):
    """The trajectory line with its arrowheads (labels, if any, from ``trajectory.qml``)."""
    layer.setRenderer(QgsSingleSymbolRenderer(trajectory_symbol()))


def _area_symbol(layer, colour):
    """A fill, marker or line symbol of ``colour`` for the layer's geometry type."""
    geometry = layer.geometryType()
    if geometry == POINT_GEOMETRY:
        return QgsMarkerSymbol.createSimple(
            {"name": "circle", "size": "2.2", "color": colour, "outline_color": "#555555", "outline_width": "0.1"}
        )
    if geometry == LINE_GEOMETRY:
        return QgsLineSymbol.createSimple({"line_color": colour, "line_width": "0.6"})
    return QgsFillSymbol.createSimple({"color": colour, "outline_color": "#ffffff", "outline_width": "0.05"})


def coefficients(layer, term, values=None):
    """Local coefficients ``b_<term>`` in diverging classes centred on 0, not significant grey.

    Every class is a legend entry; locations with ``sig_<term>`` = 0 (when that field
    exists) are "Not significant", and the classes then cover the significant
    coefficients only (a class of grey locations alone would be a legend entry with
    no colour on the map). The term is also the layer variable ``coefficient_term``
    (read by ``resources/styles/coefficients.qml``).
    """
    QgsExpressionContextUtils.setLayerVariable(layer, "coefficient_term", term)
    field, sig_field = f"b_{term}", f"sig_{term}"
    has_sig = layer.fields().lookupField(sig_field) >= 0
    if values is None:
        values = [f[field] for f in layer.getFeatures()
                  if f[field] is not None and (not has_sig or f[sig_field] == 1)]
    root = QgsRuleBasedRenderer.Rule(None)
    bounds = symmetric_class_bounds(values)
    for k, (i, a, b) in enumerate(bounds):
        upper_op = "<=" if k == len(bounds) - 1 else "<"
        expr = f'"{field}" >= {a!r} AND "{field}" {upper_op} {b!r}'
        if has_sig:
            expr = f'"{sig_field}" = 1 AND {expr}'
        label = tr("{low} to {high}").format(low=format_number(a, 3), high=format_number(b, 3))
        root.appendChild(QgsRuleBasedRenderer.Rule(_area_symbol(layer, DIVERGING_COLOURS[i]), 0, 0, expr, label))
    if has_sig:
        symbol = _area_symbol(layer, NOT_SIGNIFICANT_COLOUR)
        root.appendChild(QgsRuleBasedRenderer.Rule(symbol, 0, 0, f'"{sig_field}" = 0', tr("Not significant")))
    layer.setRenderer(QgsRuleBasedRenderer(root))
