"""Maps and the HTML report of the emission study (rendered by QGIS's print layout)."""

import os
from dataclasses import dataclass
from functools import partial
from typing import Callable

from qgis.core import QgsRasterLayer, QgsRectangle, QgsVectorLayer

from ...core.legend import display_unit, quantile_class_bounds
from .. import _report, _styles
from .._i18n import tr
from .._io import read_band
from .._styles.palettes import HOTSPOT_CLASSES
from .._styles.renderers import outline
from . import emerging
from .geodetector import geodetector_section
from .io import StudyCancelled, safe_field


def background_layer(regions_path, grid_path):
    """The regions outline, or without regions the analysis cells, for under a map."""
    if regions_path:
        layer = QgsVectorLayer(regions_path, "Regions", "ogr")
        outline(layer, "#444444", 0.3)
        return layer
    layer = QgsVectorLayer(grid_path, "Analysis cells", "ogr")
    outline(layer, "#bbbbbb", 0.1)
    return layer


@dataclass
class MapSpec:
    """One map of the report: what to draw (``layers()`` -> ``(layers, extent)``) and how to caption it."""

    kind: str
    year: object
    file: str
    caption: str
    title: str
    subtitle: str
    legend_title: str
    layers: Callable


def render_maps(specs, maps_dir, feedback):
    """Render the maps ``specs`` (:func:`map_specs`) as PNG files into ``maps_dir``.

    Returns ``(kind, year, file, caption)`` rows; stops between maps when ``feedback`` is cancelled.
    """
    maps = []
    for spec in specs:
        if feedback.isCanceled():
            raise StudyCancelled("Cancelled by the user.")
        layers, extent = spec.layers()
        _report.render_map(
            os.path.join(maps_dir, spec.file),
            spec.title,
            layers,
            extent=extent,
            subtitle=spec.subtitle,
            legend_title=spec.legend_title,
        )
        maps.append((spec.kind, spec.year, spec.file, spec.caption))
    return maps


def emission_bounds(emissions):
    """The emission classes shared by every year's map and loaded layer (``emissions``: year -> GeoTIFF)."""
    return quantile_class_bounds([read_band(path) for path in emissions.values()])


def map_specs(years, emissions, hotspots, mgwr_layers, regions_path, staging, unit, grid_info, bounds):
    """The maps of the report in order: emissions per year, centres and ellipses, hot spots, MGWR.

    ``bounds``: the emission classes (:func:`emission_bounds`)."""
    _, shown_unit = display_unit(unit, bounds)
    first_grid = grid_info["grids"][years[0]]

    def background():
        return background_layer(regions_path, first_grid)

    def staged(name, title):
        return QgsVectorLayer(os.path.join(staging, name), title, "ogr")

    def centre_layers():
        centres = staged("centres.gpkg", "Mean centres")
        _styles.apply(centres, "centres", years=years)
        if len(years) == 1:
            return centres, None
        trajectory = staged("trajectory.gpkg", "Centre trajectory")
        _styles.apply(trajectory, "trajectory")
        return centres, trajectory

    def emission_map(year):
        raster = QgsRasterLayer(emissions[year], f"{shown_unit} per cell")
        _styles.apply(raster, "emission_classes", bounds=bounds, unit=unit)
        return [background(), raster], None

    def trajectory_map():
        ellipses = staged("ellipses.gpkg", "Standard deviational ellipses")
        _styles.apply(ellipses, "ellipses", years=years)
        centres, trajectory = centre_layers()
        back = background()
        return [layer for layer in (centres, trajectory, ellipses, back) if layer is not None], back.extent()

    def trajectory_detail_map():
        # The centres move tens of km in a province hundreds of km wide: a close-up shows the path.
        centres, trajectory = centre_layers()
        detail = QgsRectangle(centres.extent())
        pad = max(
            detail.width(), detail.height(), 10 * grid_info["cell_size"] / max(grid_info["factor"], 1)
        )
        detail.grow(0.35 * pad)
        return [centres, trajectory, background()], detail

    def hotspot_map(year):
        layer = QgsVectorLayer(hotspots[year], f"Gi* {year}", "ogr")
        _styles.apply(layer, "hotspots")
        return ([background(), layer] if regions_path else [layer]), None

    def coefficient_map(year, term):
        layer = QgsVectorLayer(mgwr_layers[year], f"{term} coefficient {year}", "ogr")
        _styles.apply(layer, "coefficients", term=term)
        return ([background(), layer] if regions_path else [layer]), None

    specs = [
        MapSpec("emissions", year, f"emissions_{year}.png", f"Gridded CO2 emissions, {year}",
                f"CO2 emissions {year}",
                f"Downscaled emissions per grid cell ({shown_unit}); classes shared by all years",
                f"Emissions {year}", partial(emission_map, year))
        for year in years
    ]
    specs.append(MapSpec("trajectory", None, "trajectory.png",
                         "Mean-centre trajectory and standard deviational ellipses",
                         "Emission centre and standard deviational ellipses",
                         "Weighted mean centre per year, its trajectory and the ellipse per year",
                         "Legend", trajectory_map))
    if len(years) > 1:
        specs.append(MapSpec("trajectory", None, "trajectory_detail.png", "Close-up of the mean-centre trajectory",
                             "Emission centre trajectory (close-up)", "Weighted mean centre per year and its moves",
                             "Legend", trajectory_detail_map))
    specs += [
        MapSpec("hotspots", year, f"hotspots_{year}.png", f"Hot and cold spots, {year}",
                f"Hot and cold spots (Getis-Ord Gi*) {year}",
                f"Analysis cells of {grid_info['cell_size'] / 1000:g} km; confidence of the Gi* z-score",
                "Gi* class", partial(hotspot_map, year))
        for year in years
    ]
    if mgwr_layers:
        last = years[-1]
        probe = QgsVectorLayer(mgwr_layers[last], "probe", "ogr")
        terms = [f.name()[2:] for f in probe.fields() if f.name().startswith("b_")]
        probe = None
        specs += [
            MapSpec("mgwr", last, f"mgwr_{last}_{safe_field(term)}.png",
                    f"MGWR local coefficients of {term}, {last}", f"MGWR coefficient: {term} ({last})",
                    "Local coefficients (standardised variables); grey: not significant "
                    "at the term's adjusted critical t",
                    "Local coefficient", partial(coefficient_map, last, term))
            for term in terms
        ]
    return specs


def write_report(html_path, maps_rel, results):
    """Write the self-contained HTML report: tables, findings, maps and the list of files.

    ``maps_rel`` is the maps folder relative to ``html_path``; ``results`` a :class:`StudyResults`.
    """
    years, tables, findings, maps = results.years, results.tables, results.findings, results.maps
    unit, grid_info, out_folder = results.unit, results.grid_info, results.out_folder
    neighbourhood, elapsed = results.neighbourhood, results.elapsed
    sections = []
    fig = {
        kind: [m for m in maps if m[0] == kind]
        for kind in ("emissions", "trajectory", "hotspots", "mgwr")
    }
    stats = _report.html_table(
        "table-statistics",
        tr("Table 1. Yearly emissions ({unit})").format(unit=unit),
        [
            ("year", tr("Year")),
            ("total", tr("Total")),
            ("peak", tr("Peak cell")),
            ("mean", tr("Mean")),
            ("std", tr("Std. dev.")),
            ("cells", tr("Cells")),
            ("growth", tr("Growth")),
            ("growth_pct", tr("Growth %")),
        ],
        tables["statistics"],
        note=tr("Growth is relative to the previous study year."),
    )
    sections.append(
        (
            tr("Emissions over time"),
            [stats] + [_report.figure(f"{maps_rel}/{m[2]}", m[3]) for m in fig["emissions"]],
        )
    )
    parts = [
        _report.html_table(
            "table-centres",
            tr("Weighted mean centres (layer CRS units)"),
            [("year", tr("Year")), ("XCoord", tr("X")), ("YCoord", tr("Y")), ("weight_sum", tr("Weight sum"))],
            tables["centres"],
        )
    ]
    if tables["trajectory"]:
        parts.append(
            _report.html_table(
                "table-trajectory",
                tr("Centre shifts between study years"),
                [
                    ("from_year", tr("From")),
                    ("to_year", tr("To")),
                    ("dist_km", tr("Distance (km)")),
                    ("bearing", tr("Bearing (°)")),
                    ("direction", tr("Direction")),
                    ("km_per_year", tr("km per year")),
                ],
                tables["trajectory"],
                note=tr("Bearing in degrees clockwise from north."),
            )
        )
    parts.append(
        _report.html_table(
            "table-ellipses",
            tr("Standard deviational ellipses"),
            [
                ("year", tr("Year")),
                ("CenterX", tr("Centre X")),
                ("CenterY", tr("Centre Y")),
                ("XStdDist", tr("XStdDist")),
                ("YStdDist", tr("YStdDist")),
                ("Rotation", tr("Rotation (°)")),
                ("major_km", tr("Long axis (km)")),
                ("minor_km", tr("Short axis (km)")),
                ("major_bearing", tr("Long-axis bearing (°)")),
                ("area_km2", tr("Area (km²)")),
                ("flattening", tr("Flattening")),
            ],
            tables["ellipses"],
        )
    )
    parts += [_report.figure(f"{maps_rel}/{m[2]}", m[3]) for m in fig["trajectory"]]
    sections.append((tr("Centre and spread"), parts))
    parts = [
        _report.html_table(
            "table-moran",
            tr("Table 2. Global Moran's I of emissions per year (randomisation)"),
            [
                ("year", tr("Year")),
                ("morans_i", tr("Index")),
                ("expected_i", tr("Expected index")),
                ("variance", tr("Variance")),
                ("z_score", tr("z-score")),
                ("p_value", tr("p-value")),
                ("n", tr("Cells")),
            ],
            tables["moran"],
            note=f"On analysis cells of {grid_info['cell_size']:g} CRS units; neighbourhood: "
            f"{neighbourhood}.",
        )
    ]
    parts.append(
        _report.html_table(
            "table-hotspots",
            tr("Gi* classes per year (number of cells)"),
            [("year", tr("Year"))] + [(f"bin_{b}", tr(label)) for b, _, label in HOTSPOT_CLASSES],
            tables["hotspot_counts"],
        )
    )
    parts += [_report.figure(f"{maps_rel}/{m[2]}", m[3]) for m in fig["hotspots"]]
    parts += emerging.report_parts(tables, maps_rel, maps)
    sections.append((tr("Spatial clustering"), parts))
    if tables["mgwr"]:
        parts = [
            _report.html_table(
                "table-mgwr",
                tr("Table 3. MGWR local coefficients per year and term"),
                [
                    ("year", tr("Year")),
                    ("variable", tr("Term")),
                    ("bandwidth", tr("Bandwidth")),
                    ("max", tr("Max")),
                    ("min", tr("Min")),
                    ("mean", tr("Mean")),
                    ("median", tr("Median")),
                    ("std", tr("Std. dev.")),
                    ("enp", tr("ENP")),
                    ("adj_t_crit", tr("Adj. critical t")),
                ],
                tables["mgwr"],
                note=tr("Variables standardised; adaptive bandwidths count nearest neighbours."),
            ),
            _report.html_table(
                "table-mgwr-diagnostics",
                tr("MGWR diagnostics per year"),
                [
                    ("year", tr("Year")),
                    ("AICC", tr("AICc")),
                    ("R2", tr("R²")),
                    ("ADJ_R2", tr("Adj. R²")),
                    ("SIGMA2", tr("σ²")),
                ],
                tables["mgwr_diagnostics"],
            ),
        ]
        parts += [_report.figure(f"{maps_rel}/{m[2]}", m[3]) for m in fig["mgwr"]]
        sections.append((tr("Drivers: multiscale GWR"), parts))
    geodetector = geodetector_section(tables)
    if geodetector:
        sections.append(geodetector)
    files = sorted(f for f in os.listdir(out_folder) if not f.startswith("."))
    sections.append((tr("Files"), ["<ul>" + "".join(f"<li><code>{f}</code></li>" for f in files) + "</ul>"]))
    counts = ", ".join(f"{y}: {grid_info['cells'][y]} cells" for y in years)
    meta = [
        f"Years: {', '.join(str(y) for y in years)}. "
        f"Analysis cells: {grid_info['cell_size']:g} CRS units "
        f"({counts}).",
        f"Output folder: {out_folder}. Run time: {elapsed:.0f} s. Generated by Carbon Spacetime "
        "(carbon:emissionstudy).",
    ]
    _report.write_html(html_path, tr("Carbon emission study"), meta, findings, sections)
