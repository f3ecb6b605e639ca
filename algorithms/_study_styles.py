"""Symbology of the study's layers, shared by the report maps and the loaded layers.

Styles that depend on the data (emission classes common to all years,
coefficient classes centred on zero) are built here in code; the same
functions style the layers loaded into the project and those in the maps, so
what the analyst sees in QGIS is what the report shows.
"""

import math

import numpy as np
from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsColorRampShader,
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

from ..core.formatting import format_significant as format_number
from ._compat import LabelPlacement, set_central_marker
from ._i18n import tr, translatable

# Yellow-orange-red, light to dark (ColorBrewer YlOrRd, 7 classes).
EMISSION_COLOURS = ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"]
#: "Not significant" in every map of the plugin (hot spots, Local Moran, coefficients; tools and study).
NOT_SIGNIFICANT_COLOUR = "#e6e6e6"
# Gi_Bin -3..3, the familiar hot/cold spot palette.
HOTSPOT_CLASSES = [
    (3, "#d62f27", "Hot spot – 99% confidence"),
    (2, "#ed7551", "Hot spot – 95% confidence"),
    (1, "#fab984", "Hot spot – 90% confidence"),
    (0, NOT_SIGNIFICANT_COLOUR, "Not significant"),
    (-1, "#c0ccbe", "Cold spot – 90% confidence"),
    (-2, "#7b9ebd", "Cold spot – 95% confidence"),
    (-3, "#4575b5", "Cold spot – 99% confidence"),
]
# Blue (negative) to red (positive), ColorBrewer RdBu 6 classes.
DIVERGING_COLOURS = ["#2166ac", "#67a9cf", "#d1e5f0", "#fddbc7", "#ef8a62", "#b2182b"]
YEAR_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]


def year_colour(index, count):
    """A distinct colour for the ``index``-th of ``count`` years."""
    if count <= len(YEAR_COLOURS):
        return QColor(YEAR_COLOURS[index])
    colour = QColor()
    colour.setHsvF(0.75 * index / max(count - 1, 1), 0.8, 0.8)
    return colour


def emission_breaks(arrays, classes=7):
    """Upper class bounds shared by all years: quantiles of the positive cell values.

    Emission grids are very skewed (a few industrial cells hold much of the
    total), so equal intervals would paint almost every cell in the first
    class. Quantiles of all years pooled keep the years comparable.
    """
    values = np.concatenate([a[np.isfinite(a) & (a > 0)] for a in arrays]) if arrays else np.array([])
    if values.size == 0:
        return [1.0]
    qs = np.quantile(values, np.linspace(0, 1, classes + 1)[1:])
    bounds = []
    for q in qs:
        q = float(q)
        if not bounds or q > bounds[-1] * (1 + 1e-9):
            bounds.append(q)
    bounds[-1] = float(values.max())
    return bounds


def display_unit(unit, bounds):
    """Factor and unit name that keep legend numbers readable (e.g. Mt -> t for 1 km cells).

    Returns ``(factor, name)``: legend values are ``value * factor`` in ``name``.
    """
    if not bounds or not unit or not unit.lower().startswith("mt"):
        return 1.0, unit
    typical = bounds[len(bounds) // 2]
    if typical < 0.01:
        return 1e6, "t" + unit[2:]
    if typical < 10:
        return 1e3, "kt" + unit[2:]
    return 1.0, unit


def style_emission_raster(layer, bounds, unit):
    """Discrete yellow-to-red classes with the given upper bounds (shared by all years).

    Class labels are shown in :func:`display_unit` (the data keep their unit).
    """
    factor, _ = display_unit(unit, bounds)
    items = []
    lower = 0.0
    # Spread the palette over however many classes there are (few classes when values repeat).
    picks = (
        np.linspace(0, len(EMISSION_COLOURS) - 1, len(bounds)).round().astype(int) if len(bounds) > 1 else [3]
    )
    colours = [EMISSION_COLOURS[i] for i in picks]
    for i, upper in enumerate(bounds):
        colour = QColor(colours[min(i, len(colours) - 1)])
        label = f"{format_number(lower * factor, 3)} – {format_number(upper * factor, 3)}"
        items.append(
            QgsColorRampShader.ColorRampItem(upper if i < len(bounds) - 1 else float("inf"), colour, label)
        )
        lower = upper
    ramp = QgsColorRampShader(0.0, bounds[-1], None, QgsColorRampShader.Type.Discrete)
    ramp.setColorRampItemList(items)
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(ramp)
    renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), 1, shader)
    renderer.setClassificationMin(0.0)
    renderer.setClassificationMax(bounds[-1])
    layer.setRenderer(renderer)
    layer.setCustomProperty("carbon_spacetime/unit", unit)
    layer.triggerRepaint()


def style_outline(layer, colour="#555555", width=0.35, fill=None):
    props = {
        "color": fill or "0,0,0,0",
        "outline_color": colour,
        "outline_width": str(width),
        "style": "solid" if fill else "no",
    }
    layer.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(props)))
    layer.triggerRepaint()


def style_hotspots(layer, field="Gi_Bin"):
    categories = []
    for value, colour, label in HOTSPOT_CLASSES:
        symbol = QgsFillSymbol.createSimple(
            {"color": colour, "outline_color": "#ffffff", "outline_width": "0.05", "outline_style": "solid"}
        )
        categories.append(QgsRendererCategory(value, symbol, tr(label)))
    layer.setRenderer(QgsCategorizedSymbolRenderer(field, categories))
    layer.triggerRepaint()


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
        return False
    categories = [
        QgsRendererCategory(year, symbol_for(year_colour(i, len(years)).name()), f"{tr(label)} {year}")
        for i, year in enumerate(years)
    ]
    layer.setRenderer(QgsCategorizedSymbolRenderer("year", categories))
    return True


def style_ellipses(layer, years=None):
    """Ellipse outlines coloured by year, with a legend entry per year (no map labels: they crowd)."""
    _by_year(layer, years, lambda colour: QgsFillSymbol.createSimple(
        {"color": "0,0,0,0", "style": "no", "outline_color": colour, "outline_width": "0.7"}),
        translatable("Ellipse"))
    layer.setLabelsEnabled(False)
    layer.triggerRepaint()


def _labels(layer, expression, size=9):
    settings = QgsPalLayerSettings()
    settings.fieldName = expression
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


def style_centres(layer, years=None):
    """Centre rings coloured by year (a legend entry per year), labelled with the year.

    Rings, not discs: at province scale a year's shift is shorter than a marker, and the
    trajectory's arrowheads below must stay visible through the centres.
    """
    _by_year(layer, years, lambda colour: QgsMarkerSymbol.createSimple(
        {"name": "circle", "size": "2.6", "color": "0,0,0,0", "outline_color": colour,
         "outline_width": "0.6"}),
        translatable("Centre"))
    _labels(layer, '"year"')
    layer.triggerRepaint()


def trajectory_symbol(colour="#222222"):
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


def style_trajectory(layer):
    renderer = QgsSingleSymbolRenderer(trajectory_symbol())
    layer.setRenderer(renderer)
    layer.triggerRepaint()


def round_significant(value, digits=2):
    """``value`` rounded to ``digits`` significant digits (0 stays 0)."""
    value = float(value)
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - int(math.floor(math.log10(abs(value)))))


def coefficient_bounds(values, classes=6):
    """Class bounds symmetric about 0 covering ``values`` (only classes that hold data).

    The class width is rounded to two significant digits (rounded up, so the classes still
    cover every value) and the middle edge is exactly 0: legends read "-0.12 to 0", never
    "-5.55e-17".
    """
    values = np.asarray(values, float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return []
    m = float(np.max(np.abs(values))) or 1.0
    half = classes // 2
    step = round_significant(m / half, 2)
    if step * half < m:
        step = round_significant(step + 10 ** (math.floor(math.log10(step)) - 1), 2)
    edges = [round_significant(step * (k - half), 6) for k in range(classes + 1)]
    lo, hi = float(values.min()), float(values.max())
    out = []
    for i in range(classes):
        a, b = float(edges[i]), float(edges[i + 1])
        if b < lo or a > hi:
            continue
        out.append((i, a, b))
    return out


def _area_symbol(layer, colour):
    """A fill, marker or line symbol of ``colour`` for the layer's geometry type."""
    geometry = layer.geometryType()
    if geometry == 0:  # points
        return QgsMarkerSymbol.createSimple(
            {"name": "circle", "size": "2.2", "color": colour, "outline_color": "#555555", "outline_width": "0.1"}
        )
    if geometry == 1:  # lines
        return QgsLineSymbol.createSimple({"line_color": colour, "line_width": "0.6"})
    return QgsFillSymbol.createSimple({"color": colour, "outline_color": "#ffffff", "outline_width": "0.05"})


def style_coefficient(layer, field, sig_field=None, values=None):
    """Diverging classes centred on 0; locations not significant in grey (when ``sig_field`` exists).

    Every class is a legend entry; the legend title (layer name) should name the term.
    """
    if values is None:
        values = [f[field] for f in layer.getFeatures() if f[field] is not None]
    root = QgsRuleBasedRenderer.Rule(None)
    has_sig = sig_field and layer.fields().lookupField(sig_field) >= 0
    bounds = coefficient_bounds(values)
    for k, (i, a, b) in enumerate(bounds):
        symbol = _area_symbol(layer, DIVERGING_COLOURS[i])
        upper_op = "<=" if k == len(bounds) - 1 else "<"
        expr = f'"{field}" >= {a!r} AND "{field}" {upper_op} {b!r}'
        if has_sig:
            expr = f'"{sig_field}" = 1 AND {expr}'
        label = tr("{low} to {high}").format(low=format_number(a, 3), high=format_number(b, 3))
        root.appendChild(QgsRuleBasedRenderer.Rule(symbol, 0, 0, expr, label))
    if has_sig:
        symbol = _area_symbol(layer, NOT_SIGNIFICANT_COLOUR)
        root.appendChild(QgsRuleBasedRenderer.Rule(symbol, 0, 0, f'"{sig_field}" = 0', tr("Not significant")))
    layer.setRenderer(QgsRuleBasedRenderer(root))
    layer.triggerRepaint()
