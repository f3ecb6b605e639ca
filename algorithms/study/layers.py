"""Loading the emission study's layers into the project, styled and grouped by year."""

import os

from qgis.core import (
    QgsMapLayerLegendUtils,
    QgsProcessingContext,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingUtils,
    QgsRasterLayer,
)
from qgis.PyQt.QtCore import Qt

from .. import _study_styles
from .._i18n import tr, translatable
from .._io import read_band

GROUP_ROOT = translatable("Emission study")


class StudyLayerPostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Styles a loaded study layer, names it and moves it into its group (e.g. "Emission study/2020")."""

    def __init__(self, style, name, group_path, visible=True, rank=None):
        super().__init__()
        self.style = style
        self.name = name
        self.group_path = group_path
        self.visible = visible
        self.rank = rank

    def clone(self):
        """A new processor doing the same (QGIS deletes a processor with its load details)."""
        return StudyLayerPostProcessor(self.style, self.name, self.group_path, self.visible, self.rank)

    def postProcessLayer(self, layer, context, feedback):
        if layer is None or not layer.isValid():
            return
        try:
            self.style(layer)
        except Exception as error:  # a style problem must not lose the result
            feedback.reportError(f"Could not style {self.name}: {error}")
        layer.setName(self.name)
        project = context.project()
        if project is None:
            return
        root = project.layerTreeRoot()
        node = root.findLayer(layer.id())
        if node is None:
            return
        group = root
        for part in self.group_path:
            child = group.findGroup(part)
            if child is None:
                child = group.addGroup(part)
            group = child
        parent = node.parent()
        clone = node.clone()
        if self.rank is None:
            group.addChildNode(clone)
        else:
            # Points and lines above the yearly rasters, whatever order QGIS loads them in:
            # centres (0), trajectory (1), ellipses (2), then the year groups.
            clone.setCustomProperty(_RANK, self.rank)
            group.insertChildNode(0, clone)
        parent.removeChildNode(node)
        if self.rank is not None:
            _sort_ranked(group)
        _drop_band_name(clone)
        # Only the latest year is switched on: the years' rasters would otherwise stack.
        if len(self.group_path) > 1:
            group.setItemVisibilityChecked(self.visible)
            group.setExpanded(self.visible)


def _sort_ranked(group):
    """Put the ranked children of ``group`` first, by rank (the desktop may insert new layers
    at the current layer's position, so the order is restored after every move)."""
    ranked = sorted((c for c in group.children() if c.customProperty(_RANK) is not None),
                    key=lambda c: int(c.customProperty(_RANK)))
    for index, node in enumerate(ranked):
        if group.children().index(node) != index:
            clone = node.clone()
            group.insertChildNode(index, clone)
            group.removeChildNode(node)


def _drop_band_name(node):
    """Hide the "Band 1: ... (Gray)" line QGIS puts above a raster's classes in the Layers panel."""
    layer = node.layer()
    if not isinstance(layer, QgsRasterLayer) or layer.legend() is None:
        return
    labels = [str(n.data(Qt.ItemDataRole.DisplayRole) or "")
              for n in layer.legend().createLayerTreeModelLegendNodes(node)]
    classes = len(layer.renderer().legendSymbologyItems()) if layer.renderer() is not None else 0
    if len(labels) == classes + 1:  # the band line comes first, in any interface language
        order = list(range(1, len(labels)))
    else:
        order = [i for i, text in enumerate(labels) if not text.startswith("Band ")]
    if 0 < len(order) < len(labels):
        QgsMapLayerLegendUtils.setLegendNodeOrder(node, order)
        layer.legendChanged.emit()  # the Layers panel rebuilds the legend with the new order


_POST_PROCESSORS = []
_RANK = "carbon_spacetime/rank"


def load_layers(context, years, out_folder, mgwr_layers, factor_fields, grid_info, regions_path, unit=None):
    """Queue the final layers for loading, styled, under "Emission study" and a group per year.

    ``unit`` is the unit of the totals (e.g. "Mt CO2"): legends show values in a readable
    unit (e.g. kt CO2 per cell), named in the layer name.
    """
    if context.project() is None:
        return

    def add(path, name, style, group, visible=True, rank=None):
        if not os.path.exists(path.split("|")[0]):
            return
        details = QgsProcessingContext.LayerDetails(name, context.project(), name)
        # Say what the file is: without the hint QGIS first tries a .tif as a vector
        # ("[OGR] Cannot open ...emissions_2000.tif" in the log).
        details.layerTypeHint = (
            QgsProcessingUtils.LayerHint.Raster if path.lower().endswith(".tif")
            else QgsProcessingUtils.LayerHint.Vector
        )
        processor = StudyLayerPostProcessor(style, name, group, visible, rank)
        _POST_PROCESSORS.append(processor)
        details.setPostProcessor(processor)
        context.addLayerToLoadOnCompletion(path, details)

    emission_arrays = []
    for year in years:
        emission_arrays.append(read_band(os.path.join(out_folder, f"emissions_{year}.tif")))
    bounds = _study_styles.emission_breaks(emission_arrays)
    emission_arrays = None
    unit = unit or "emissions"
    _, shown_unit = _study_styles.display_unit(unit, bounds)
    latest = max(years)
    for year in years:
        group = [tr(GROUP_ROOT), str(year)]
        visible = year == latest
        add(
            os.path.join(out_folder, f"emissions_{year}.tif"),
            tr("Emissions {year} ({unit})").format(year=year, unit=shown_unit),
            lambda layer, b=bounds: _study_styles.style_emission_raster(layer, b, unit),
            group,
            visible,
        )
        add(
            os.path.join(out_folder, f"hotspots_{year}.gpkg"),
            tr("Gi* hot spots {year}").format(year=year),
            _study_styles.style_hotspots,
            group,
            visible,
        )
        if year in mgwr_layers and factor_fields:
            term = factor_fields[0]
            add(
                os.path.join(out_folder, f"mgwr_{year}.gpkg"),
                tr("MGWR {year} (b_{term})").format(year=year, term=term),
                lambda layer, t=term: _study_styles.style_coefficient(layer, f"b_{t}", f"sig_{t}"),
                group,
                visible,
            )
    add(
        os.path.join(out_folder, "ellipses.gpkg"),
        tr("Standard deviational ellipses"),
        lambda layer: _study_styles.style_ellipses(layer, years),
        [tr(GROUP_ROOT)],
        rank=2,
    )
    if len(years) > 1:
        add(
            os.path.join(out_folder, "trajectory.gpkg"),
            tr("Centre trajectory"),
            _study_styles.style_trajectory,
            [tr(GROUP_ROOT)],
            rank=1,
        )
    add(
        os.path.join(out_folder, "centres.gpkg"),
        tr("Mean centres"),
        lambda layer: _study_styles.style_centres(layer, years),
        [tr(GROUP_ROOT)],
        rank=0,
    )
