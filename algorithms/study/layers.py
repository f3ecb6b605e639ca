"""Loading the emission study's layers into the project, styled and grouped by year."""

import os

from qgis.core import QgsProcessingContext, QgsProcessingUtils

from ...core.legend import display_unit
from .. import _styles
from .._i18n import tr, translatable

GROUP_ROOT = translatable("Emission study")


def load_layers(context, years, out_folder, mgwr_layers, factor_fields, grid_info, regions_path, bounds,
                unit=None):
    """Queue the final layers for loading, styled, under "Emission study" and a group per year.

    ``bounds`` are the emission classes of all years (:func:`..maps.emission_bounds`, as the
    report maps); ``unit`` is the unit of the totals (e.g. "Mt CO2"): legends show values in
    a readable unit (e.g. kt CO2 per cell), named in the layer name.
    """
    if context.project() is None:
        return

    def add(path, name, kind, group, visible=True, rank=None, **options):
        if not os.path.exists(path.split("|")[0]):
            return
        details = QgsProcessingContext.LayerDetails(name, context.project(), name)
        # Say what the file is: without the hint QGIS first tries a .tif as a vector
        # ("[OGR] Cannot open ...emissions_2000.tif" in the log).
        details.layerTypeHint = (
            QgsProcessingUtils.LayerHint.Raster if path.lower().endswith(".tif")
            else QgsProcessingUtils.LayerHint.Vector
        )
        _styles.attach(details, path, kind, name, _styles.Placement(tuple(group), visible, rank), **options)
        context.addLayerToLoadOnCompletion(path, details)

    unit = unit or "emissions"
    _, shown_unit = display_unit(unit, bounds)
    latest = max(years)
    for year in years:
        group = [tr(GROUP_ROOT), str(year)]
        visible = year == latest
        add(os.path.join(out_folder, f"emissions_{year}.tif"),
            tr("Emissions {year} ({unit})").format(year=year, unit=shown_unit),
            "emission_classes", group, visible, bounds=bounds, unit=unit)
        add(os.path.join(out_folder, f"hotspots_{year}.gpkg"), tr("Gi* hot spots {year}").format(year=year),
            "hotspots", group, visible)
        if year in mgwr_layers and factor_fields:
            term = factor_fields[0]
            add(os.path.join(out_folder, f"mgwr_{year}.gpkg"),
                tr("MGWR {year} (b_{term})").format(year=year, term=term),
                "coefficients", group, visible, term=term)
    root = [tr(GROUP_ROOT)]
    add(os.path.join(out_folder, "ellipses.gpkg"), tr("Standard deviational ellipses"), "ellipses", root,
        rank=2, years=years)
    if len(years) > 1:
        add(os.path.join(out_folder, "trajectory.gpkg"), tr("Centre trajectory"), "trajectory", root, rank=1)
    add(os.path.join(out_folder, "centres.gpkg"), tr("Mean centres"), "centres", root, rank=0, years=years)
