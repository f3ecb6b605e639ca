"""Where a loaded layer goes in the Layers panel: a group path (e.g. "Emission study/2020")."""

from dataclasses import dataclass

from qgis.core import QgsMapLayerLegendUtils, QgsRasterLayer
from qgis.PyQt.QtCore import Qt

_RANK = "carbon_spacetime/rank"


@dataclass(frozen=True)
class Placement:
    """Move a loaded layer into ``group_path``; ``rank`` puts it above unranked children.

    Only the group of the latest year is switched on (``visible``): the years' rasters
    would otherwise stack.
    """

    group_path: tuple
    visible: bool = True
    rank: int = None

    def __call__(self, layer, context):
        project = context.project() if context is not None else None
        if project is None:
            return
        root = project.layerTreeRoot()
        node = root.findLayer(layer.id())
        if node is None:
            return
        group = root
        for part in self.group_path:
            child = group.findGroup(part)
            group = child if child is not None else group.addGroup(part)
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
    order = legend_order_without_band(layer, labels)
    if order is not None:
        QgsMapLayerLegendUtils.setLegendNodeOrder(node, order)
        layer.legendChanged.emit()  # the Layers panel rebuilds the legend with the new order


def legend_order_without_band(layer, labels):
    """Legend node order of raster ``layer`` without the band line above its classes (``labels``:
    the legend lines shown); ``None`` when there is nothing to hide. Used by the Layers panel and
    the report maps' legends."""
    classes = len(layer.renderer().legendSymbologyItems()) if layer.renderer() is not None else 0
    if len(labels) == classes + 1:  # the band line comes first, in any interface language
        order = list(range(1, len(labels)))
    else:
        order = [i for i, text in enumerate(labels) if not text.startswith("Band ")]
    return order if 0 < len(order) < len(labels) else None
