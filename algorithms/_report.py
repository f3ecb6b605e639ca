"""Study report: maps rendered by QGIS's layout engine and a self-contained HTML page.

Maps are drawn from real layers (the study's GeoTIFFs and GeoPackages) through a
``QgsPrintLayout`` with a map, legend, scale bar, north arrow and title, and
exported with ``QgsLayoutExporter.exportToImage``. Nothing is re-drawn by hand.

Call from the thread that owns the layers (the study algorithm is flagged
``FlagNoThreading`` for this reason).
"""

import contextlib
import html
import math
import os

from osgeo import gdal
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsMapLayerLegendUtils,
    QgsPrintLayout,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QSize, Qt
from qgis.PyQt.QtGui import QColor, QFont

from ..core.findings import render
from ..core.formatting import format_cell
from ._compat import (
    DISTANCE_KILOMETERS,
    LAYOUT_MILLIMETERS,
    LEGEND_SUBGROUP,
    LEGEND_SYMBOL_LABEL,
    LEGEND_TITLE,
    empty_rectangle,
    set_legend_style_font,
    set_text_format,
)
from ._i18n import tr
from ._io import atomic_path, write_text
from ._styles.tree import legend_order_without_band
from .base import icon_path

# Page of every map (mm) and export resolution: 240 x 180 mm at 127 dpi = 1200 x 900 px.
PAGE_MM = (240.0, 180.0)
DPI = 127
IMAGE_SIZE = (1200, 900)

_MAP_RECT = (5.0, 18.0, 165.0, 157.0)  # x, y, width, height (mm)
_LEGEND_X = 174.0


def north_arrow_svg():
    """Path of the plugin's north-arrow SVG (QGIS's own arrows carry a white "N" that vanishes on white)."""
    return icon_path("north_arrow.svg")


def map_crs(crs):
    """A CRS the layout can use: custom WKT CRSs (no authority id) are rebuilt from their PROJ string.

    QGIS 3.22 cannot compute a map scale for some custom WKT CRSs (the extent
    comes out empty); the same CRS built from PROJ works.
    """
    if crs.authid() or not crs.isValid():
        return crs
    rebuilt = QgsCoordinateReferenceSystem.fromProj(crs.toProj())
    return rebuilt if rebuilt.isValid() else crs


@contextlib.contextmanager
def no_gdal_sidecars():
    """Open rasters without GDAL's ``.aux.xml`` side files while rendering.

    QGIS computes statistics when it styles a raster and GDAL would save them
    beside the file when the dataset closes, possibly after the study moved or
    deleted its staging folder. The setting is read when a dataset opens. It is set for
    this thread only (the study's), not for the whole QGIS process.
    """
    previous = gdal.GetThreadLocalConfigOption("GDAL_PAM_ENABLED", None)
    gdal.SetThreadLocalConfigOption("GDAL_PAM_ENABLED", "NO")
    try:
        yield
    finally:
        gdal.SetThreadLocalConfigOption("GDAL_PAM_ENABLED", previous)


def fit_aspect(extent, aspect, margin=0.0):
    """``extent`` grown by ``margin`` (fraction) and widened or heightened to width/height = ``aspect``."""
    width = max(extent.width(), 1e-9) * (1 + 2 * margin)
    height = max(extent.height(), 1e-9) * (1 + 2 * margin)
    if width / height < aspect:
        width = height * aspect
    else:
        height = width / aspect
    cx, cy = extent.center().x(), extent.center().y()
    return QgsRectangle(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)


def _drop_band_names(legend, root):
    """Hide the "Band 1 (Gray)" line QGIS puts above a raster's classes."""
    model = legend.model()
    for node in root.findLayers():
        if not isinstance(node.layer(), QgsRasterLayer):
            continue
        labels = [str(n.data(Qt.ItemDataRole.DisplayRole) or "") for n in model.layerLegendNodes(node)]
        order = legend_order_without_band(node.layer(), labels)
        if order is not None:
            QgsMapLayerLegendUtils.setLegendNodeOrder(node, order)
            model.refreshLayerLegend(node)


def crs_text(crs):
    """Short CRS description for a map footer."""
    if crs.authid():
        return f"{crs.authid()} {crs.description()}".strip()
    proj = crs.toProj()
    return proj if proj else crs.description()


def _font(size, bold=False):
    font = QFont("DejaVu Sans")
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


def render_map(path, title, layers, extent=None, subtitle=None, legend_title="Legend", legend_columns=1):
    """Render ``layers`` (top to bottom) to a PNG of :data:`IMAGE_SIZE` pixels.

    Parameters
    ----------
    path : str
        PNG file to write.
    title, subtitle : str
        Printed above the map.
    layers : list of QgsMapLayer
        Already styled, drawn in the order given (first on top). They are
        added to a private project that takes ownership of them.
    extent : QgsRectangle, optional
        Area to show (in the first layer's CRS); default: union of the layers' extents.
    """
    crs = map_crs(layers[0].crs())
    project = QgsProject()
    project.setCrs(crs)
    project.addMapLayers(layers, False)
    root = project.layerTreeRoot()
    for layer in layers:
        root.addLayer(layer)

    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    page = layout.pageCollection().page(0)
    page.setPageSize(QgsLayoutSize(PAGE_MM[0], PAGE_MM[1], LAYOUT_MILLIMETERS))

    label = QgsLayoutItemLabel(layout)
    label.setText(title)
    set_text_format(label, _font(16, bold=True))
    label.attemptMove(QgsLayoutPoint(5, 3, LAYOUT_MILLIMETERS))
    label.attemptResize(QgsLayoutSize(PAGE_MM[0] - 10, 9, LAYOUT_MILLIMETERS))
    layout.addLayoutItem(label)
    if subtitle:
        sub = QgsLayoutItemLabel(layout)
        sub.setText(subtitle)
        set_text_format(sub, _font(9), QColor("#444444"))
        sub.attemptMove(QgsLayoutPoint(5, 11.5, LAYOUT_MILLIMETERS))
        sub.attemptResize(QgsLayoutSize(PAGE_MM[0] - 10, 6, LAYOUT_MILLIMETERS))
        layout.addLayoutItem(sub)

    x, y, w, h = _MAP_RECT
    map_item = QgsLayoutItemMap(layout)
    # Add before moving: a map item moved before it belongs to the layout gets an empty extent.
    layout.addLayoutItem(map_item)
    map_item.attemptMove(QgsLayoutPoint(x, y, LAYOUT_MILLIMETERS))
    map_item.attemptResize(QgsLayoutSize(w, h, LAYOUT_MILLIMETERS))
    map_item.setCrs(crs)
    map_item.setLayers(layers)
    map_item.setFrameEnabled(True)
    map_item.setFrameStrokeColor(QColor("#888888"))
    map_item.setBackgroundColor(QColor("#ffffff"))
    if extent is None:
        extent = empty_rectangle()
        for layer in layers:
            extent.combineExtentWith(layer.extent())
    extent = fit_aspect(extent, w / h, margin=0.04)
    # setExtent with the item's own aspect ratio keeps the item size (QGIS resizes it otherwise).
    map_item.setExtent(extent)
    map_item.attemptResize(QgsLayoutSize(w, h, LAYOUT_MILLIMETERS))
    map_item.zoomToExtent(extent)
    if map_item.extent().isEmpty() or not math.isfinite(map_item.scale()):
        raise RuntimeError(f"QGIS could not set the map extent for '{title}'.")

    legend = QgsLayoutItemLegend(layout)
    legend.setTitle(legend_title)
    legend.setLinkedMap(map_item)
    legend.setAutoUpdateModel(True)
    legend.setColumnCount(legend_columns)
    set_legend_style_font(legend, LEGEND_TITLE, _font(11, bold=True))
    set_legend_style_font(legend, LEGEND_SUBGROUP, _font(9, bold=True))
    set_legend_style_font(legend, LEGEND_SYMBOL_LABEL, _font(8.5))
    legend.setSymbolWidth(6)
    legend.setSymbolHeight(4)
    legend.setWrapString("|")
    legend.setBackgroundEnabled(True)
    legend.setBackgroundColor(QColor(255, 255, 255, 230))
    legend.setResizeToContents(True)
    legend.attemptMove(QgsLayoutPoint(_LEGEND_X, y, LAYOUT_MILLIMETERS))
    layout.addLayoutItem(legend)
    _drop_band_names(legend, root)

    bar = QgsLayoutItemScaleBar(layout)
    bar.setStyle("Single Box")
    bar.setLinkedMap(map_item)
    bar.setUnits(DISTANCE_KILOMETERS)
    bar.setUnitLabel("km")
    bar.setNumberOfSegments(2)
    bar.setNumberOfSegmentsLeft(0)
    set_text_format(bar, _font(8))
    bar.setBackgroundEnabled(True)
    bar.setBackgroundColor(QColor(255, 255, 255, 220))
    layout.addLayoutItem(bar)
    bar.applyDefaultSize(DISTANCE_KILOMETERS)
    bar.attemptMove(QgsLayoutPoint(_LEGEND_X, y + h - 12, LAYOUT_MILLIMETERS))

    arrow = QgsLayoutItemPicture(layout)
    arrow.setPicturePath(north_arrow_svg())
    arrow.attemptMove(QgsLayoutPoint(PAGE_MM[0] - 22, y + h - 36, LAYOUT_MILLIMETERS))
    arrow.attemptResize(QgsLayoutSize(12, 16, LAYOUT_MILLIMETERS))
    arrow.setBackgroundEnabled(False)
    layout.addLayoutItem(arrow)

    crs_label = QgsLayoutItemLabel(layout)
    crs_label.setText(f"CRS: {crs_text(layers[0].crs())}")
    set_text_format(crs_label, _font(7), QColor("#555555"))
    crs_label.attemptMove(QgsLayoutPoint(x, y + h + 2, LAYOUT_MILLIMETERS))
    crs_label.attemptResize(QgsLayoutSize(w, 5, LAYOUT_MILLIMETERS))
    layout.addLayoutItem(crs_label)

    settings = QgsLayoutExporter.ImageExportSettings()
    settings.dpi = DPI
    settings.imageSize = QSize(*IMAGE_SIZE)
    exporter = QgsLayoutExporter(layout)
    with atomic_path(path) as tmp:
        gdal.PushErrorHandler("CPLQuietErrorHandler")  # PNG cannot take GDAL georeferencing; harmless
        try:
            result = exporter.exportToImage(tmp, settings)
        finally:
            gdal.PopErrorHandler()
        if result != QgsLayoutExporter.ExportResult.Success or not os.path.exists(tmp):
            raise RuntimeError(f"QGIS could not export the map '{title}' (error {result}).")
    # Keep the project alive until the export is done; then let it (and its layers) go.
    project.clear()
    return path


# ---------------------------------------------------------------------------
# HTML

_CSS = """
body{font-family:'DejaVu Sans',Arial,sans-serif;margin:2em auto;max-width:1250px;color:#222;line-height:1.45}
h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:2px solid #c0392b;padding-bottom:.2em;margin-top:1.8em}
table{border-collapse:collapse;margin:.6em 0 1.2em 0;font-size:.9em}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}th{background:#f3f3f3}
td.text,th.text{text-align:left}caption{caption-side:top;text-align:left;font-weight:bold;padding:.3em 0}
figure{margin:1em 0}figure img{max-width:100%;border:1px solid #ddd}figcaption{font-size:.9em;color:#555}
.findings li{margin:.25em 0}.meta{color:#555;font-size:.9em}.note{color:#666;font-size:.85em}
"""


def html_table(table_id, caption, columns, rows, note=None):
    """An HTML table whose cells carry the full-precision value in ``data-value``.

    Parameters
    ----------
    columns : list of (key, heading)
        Which row keys to show and their column headings.
    rows : list of dict
    """
    out = [f'<table id="{html.escape(table_id)}"><caption>{html.escape(caption)}</caption><thead><tr>']
    for key, heading in columns:
        out.append(f'<th data-key="{html.escape(key)}">{html.escape(heading)}</th>')
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        for key, _ in columns:
            value = row.get(key)
            is_text = isinstance(value, str)
            attr = (
                "" if value is None else f' data-value="{html.escape(repr(value) if not is_text else value)}"'
            )
            cls = ' class="text"' if is_text else ""
            text = format_cell(value)
            out.append(f"<td{cls}{attr}>{html.escape(text)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    if note:
        out.append(f'<p class="note">{html.escape(note)}</p>')
    return "".join(out)


def write_html(path, title, meta_lines, findings, sections):
    """Write the report page.

    Parameters
    ----------
    meta_lines : list of str
        Lines under the title (inputs, parameters, run time).
    findings : list of core.findings.Finding
    sections : list of (heading, list of html fragments)
        Fragments are trusted HTML produced by :func:`html_table` / :func:`figure`.
    """
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    for line in meta_lines:
        parts.append(f"<p class='meta'>{html.escape(line)}</p>")
    if findings:
        parts.append(f"<h2 id='findings'>{html.escape(tr('Findings'))}</h2><div class='findings'>")
        current = None
        for finding in findings:
            if finding.section != current:
                if current is not None:
                    parts.append("</ul>")
                parts.append(f"<h3>{html.escape(tr(finding.section))}</h3><ul>")
                current = finding.section
            parts.append(f"<li>{html.escape(render(finding.text, tr))}</li>")
        parts.append("</ul></div>")
        parts.append(
            "<p class='note'>These sentences are generated from the tables below; each states only "
            "what the numbers show (significance at the stated level).</p>"
        )
    for heading, fragments in sections:
        if not fragments:
            continue
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        parts.extend(fragments)
    parts.append("</body></html>")
    return write_text(path, "\n".join(parts))


def figure(src, caption):
    """An ``<img>`` of a map PNG (``src`` relative to the HTML file)."""
    return (
        f"<figure><img src='{html.escape(src)}' alt='{html.escape(caption)}' "
        f"width='{IMAGE_SIZE[0]}' height='{IMAGE_SIZE[1]}'>"
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )
