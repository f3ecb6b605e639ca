"""Maps and the HTML report of the emission study (rendered by QGIS's print layout)."""

import os

from qgis.core import QgsRasterLayer, QgsRectangle, QgsVectorLayer

from .. import _report, _study_styles
from .._i18n import tr
from . import emerging
from .geodetector import geodetector_section
from .io import StudyCancelled, read_emission_array, safe_field


def background_layer(regions_path, grid_path):
    """The regions outline, or without regions the analysis cells, for under a map."""
    if regions_path:
        layer = QgsVectorLayer(regions_path, "Regions", "ogr")
        _study_styles.style_outline(layer, "#444444", 0.3)
        return layer
    layer = QgsVectorLayer(grid_path, "Analysis cells", "ogr")
    _study_styles.style_outline(layer, "#bbbbbb", 0.1)
    return layer


def render_maps(
    years,
    emissions,
    hotspots,
    mgwr_layers,
    factor_fields,
    regions_path,
    staging,
    maps_dir,
    unit,
    grid_info,
    feedback,
):
    """Render the study maps (PNG) into ``maps_dir``; returns ``(kind, year, file, caption)`` rows."""
    maps = []
    arrays = []
    for year in years:
        arrays.append(read_emission_array(emissions[year]))
    bounds = _study_styles.emission_breaks(arrays)
    arrays = None
    _, shown_unit = _study_styles.display_unit(unit, bounds)
    first_grid = grid_info["grids"][years[0]]

    def out(name):
        return os.path.join(maps_dir, name)

    def check():
        if feedback.isCanceled():
            raise StudyCancelled("Cancelled by the user.")

    for year in years:
        check()
        raster = QgsRasterLayer(emissions[year], f"{shown_unit} per cell")
        _study_styles.style_emission_raster(raster, bounds, unit)
        layers = [background_layer(regions_path, first_grid), raster]
        _report.render_map(
            out(f"emissions_{year}.png"),
            f"CO2 emissions {year}",
            layers,
            subtitle=f"Downscaled emissions per grid cell ({shown_unit}); classes shared by all years",
            legend_title=f"Emissions {year}",
        )
        maps.append(("emissions", year, f"emissions_{year}.png", f"Gridded CO2 emissions, {year}"))
    check()
    ellipses = QgsVectorLayer(
        os.path.join(staging, "ellipses.gpkg"), "Standard deviational ellipses", "ogr"
    )
    _study_styles.style_ellipses(ellipses, years)
    centres = QgsVectorLayer(os.path.join(staging, "centres.gpkg"), "Mean centres", "ogr")
    _study_styles.style_centres(centres, years)
    layers = [centres]
    if len(years) > 1:
        trajectory = QgsVectorLayer(os.path.join(staging, "trajectory.gpkg"), "Centre trajectory", "ogr")
        _study_styles.style_trajectory(trajectory)
        layers.append(trajectory)
    background = background_layer(regions_path, first_grid)
    layers += [ellipses, background]
    _report.render_map(
        out("trajectory.png"),
        "Emission centre and standard deviational ellipses",
        layers,
        extent=background.extent(),
        subtitle="Weighted mean centre per year, its trajectory and the ellipse per year",
        legend_title="Legend",
    )
    maps.append(
        ("trajectory", None, "trajectory.png", "Mean-centre trajectory and standard deviational ellipses")
    )
    if len(years) > 1:
        # The centres move tens of km in a province hundreds of km wide: a close-up shows the path.
        check()
        centres = QgsVectorLayer(os.path.join(staging, "centres.gpkg"), "Mean centres", "ogr")
        _study_styles.style_centres(centres, years)
        trajectory = QgsVectorLayer(os.path.join(staging, "trajectory.gpkg"), "Centre trajectory", "ogr")
        _study_styles.style_trajectory(trajectory)
        background = background_layer(regions_path, first_grid)
        detail = QgsRectangle(centres.extent())
        pad = max(
            detail.width(), detail.height(), 10 * grid_info["cell_size"] / max(grid_info["factor"], 1)
        )
        detail.grow(0.35 * pad)
        _report.render_map(
            out("trajectory_detail.png"),
            "Emission centre trajectory (close-up)",
            [centres, trajectory, background],
            extent=detail,
            subtitle="Weighted mean centre per year and its moves",
            legend_title="Legend",
        )
        maps.append(
            ("trajectory", None, "trajectory_detail.png", "Close-up of the mean-centre trajectory")
        )
    for year in years:
        check()
        layer = QgsVectorLayer(hotspots[year], f"Gi* {year}", "ogr")
        _study_styles.style_hotspots(layer)
        layers = [background_layer(regions_path, first_grid), layer] if regions_path else [layer]
        _report.render_map(
            out(f"hotspots_{year}.png"),
            f"Hot and cold spots (Getis-Ord Gi*) {year}",
            layers,
            subtitle=f"Analysis cells of {grid_info['cell_size'] / 1000:g} km; "
            "confidence of the Gi* z-score",
            legend_title="Gi* class",
        )
        maps.append(("hotspots", year, f"hotspots_{year}.png", f"Hot and cold spots, {year}"))
    if mgwr_layers:
        last = years[-1]
        probe = QgsVectorLayer(mgwr_layers[last], "probe", "ogr")
        terms = [f.name()[2:] for f in probe.fields() if f.name().startswith("b_")]
        probe = None
        for term in terms:
            check()
            layer = QgsVectorLayer(mgwr_layers[last], f"{term} coefficient {last}", "ogr")
            _study_styles.style_coefficient(layer, f"b_{term}", f"sig_{term}")
            layers = [background_layer(regions_path, first_grid), layer] if regions_path else [layer]
            name = f"mgwr_{last}_{safe_field(term)}.png"
            _report.render_map(
                out(name),
                f"MGWR coefficient: {term} ({last})",
                layers,
                subtitle="Local coefficients (standardised variables); grey: not significant "
                "at the term's adjusted critical t",
                legend_title="Local coefficient",
            )
            maps.append(("mgwr", last, name, f"MGWR local coefficients of {term}, {last}"))
    return maps


def write_report(
    html_path,
    maps_rel,
    years,
    tables,
    findings,
    maps,
    unit,
    grid_info,
    neighbourhood,
    elapsed,
    out_folder,
):
    """Write the self-contained HTML report: tables, findings, maps and the list of files."""
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
            [("year", tr("Year"))] + [(f"bin_{b}", tr(label)) for b, _, label in _study_styles.HOTSPOT_CLASSES],
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
