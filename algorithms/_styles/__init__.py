"""Symbology of every result, shared by the tools and the study: one post-processor, one registry.

:data:`STYLES` names every result kind: its ``.qml`` in ``resources/styles`` (the source
wherever a static style suffices; the ``_points`` / ``_lines`` / ``_raster`` variant is
picked from the loaded layer) and the function of :mod:`.renderers` that finishes it from
the data (classes, years, the coefficient's term). :func:`apply` styles a layer (the
report maps); :func:`style_on_load` and :func:`attach` queue the same for an output that
loads on completion, through the one :class:`LayerStyle` post-processor, kept alive in
:data:`_KEEP_ALIVE` (QGIS holds only a raw pointer to it).

- :mod:`.palettes`: the colours and class labels of each result kind;
- :mod:`.renderers`: the renderers built from the data;
- :mod:`.tree`: where the study's layers go in the Layers panel.
"""

from dataclasses import dataclass
from typing import Callable, Optional

from qgis.core import QgsProcessingLayerPostProcessorInterface, QgsRasterLayer

from .._compat import LINE_GEOMETRY, POINT_GEOMETRY
from ..base import style_path
from . import renderers
from .tree import Placement


@dataclass(frozen=True)
class ResultStyle:
    """The style of one result kind: a ``.qml`` and/or a function finishing it from the data."""

    qml: Optional[str] = None
    finish: Optional[Callable] = None
    by_geometry: bool = False  # the .qml has _points, _lines and _raster variants

    def qml_path(self, layer):
        if not self.qml:
            return None
        name = self.qml
        if self.by_geometry:
            if isinstance(layer, QgsRasterLayer):
                name += "_raster"
            elif layer.geometryType() == POINT_GEOMETRY:
                name += "_points"
            elif layer.geometryType() == LINE_GEOMETRY:
                name += "_lines"
        return style_path(name)


#: Every result kind and its style; options of :func:`apply` go to ``finish``.
STYLES = {
    "emission_categories": ResultStyle("emission_categories"),
    "emissions": ResultStyle("emissions", renderers.emission_ramp),  # one grid: stops=...
    "emission_classes": ResultStyle(None, renderers.emission_classes),  # years: bounds=..., unit=...
    "hotspots": ResultStyle("hotspots", renderers.hotspot_labels, by_geometry=True),
    "local_moran": ResultStyle("local_moran", by_geometry=True),
    "emerging_hotspots": ResultStyle("emerging_hotspots", by_geometry=True),
    "centres": ResultStyle("centers", renderers.centres),  # years=... (default: the layer's)
    "trajectory": ResultStyle("trajectory", renderers.trajectory),
    "ellipses": ResultStyle("ellipses", renderers.ellipses),  # years=...
    "coefficients": ResultStyle(None, renderers.coefficients),  # term=...
}


class StyleError(RuntimeError):
    """A style could not be applied (the layer keeps its data, only its look is wrong)."""


def apply(layer, kind, **options):
    """Style ``layer`` as the result kind ``kind`` (a key of :data:`STYLES`)."""
    style = STYLES[kind]
    path = style.qml_path(layer)
    if path:
        message, ok = layer.loadNamedStyle(path)
        if not ok:
            raise StyleError(f"Could not apply style {path}: {message}")
    if style.finish is not None:
        style.finish(layer, **options)
    layer.triggerRepaint()


class LayerStyle(QgsProcessingLayerPostProcessorInterface):
    """Styles a result when it loads (:func:`apply`), names it and optionally places it in a group."""

    def __init__(self, kind, name=None, options=None, place=None):
        super().__init__()
        if kind not in STYLES:
            raise KeyError(f"no style for the result kind {kind!r}")
        self.kind = kind
        self.name = name
        self.options = dict(options or {})
        self.place = place

    def clone(self):
        """A new processor doing the same (QGIS deletes a processor with its load details)."""
        return LayerStyle(self.kind, self.name, self.options, self.place)

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 - QGIS API
        if layer is None or not layer.isValid():
            return
        try:
            apply(layer, self.kind, **self.options)
        except Exception as error:  # a style problem must not lose the result
            if feedback is not None:
                feedback.reportError(f"Could not style {self.name or layer.name()}: {error}")
        if self.name:
            layer.setName(self.name)
        if self.place is not None:
            self.place(layer, context)
        layer.triggerRepaint()


#: The post-processors of the outputs to load, by output: they must outlive processAlgorithm.
_KEEP_ALIVE = {}


def keep_alive(key, processor):
    """Keep ``processor`` (of the output ``key``) for as long as QGIS may call it."""
    _KEEP_ALIVE[key] = processor
    return processor


def attach(details, key, kind, name=None, place=None, **options):
    """Give the load ``details`` of output ``key`` a :class:`LayerStyle` (kept alive here)."""
    processor = keep_alive(key, LayerStyle(kind, name, options, place))
    details.setPostProcessor(processor)
    return processor


def style_on_load(context, dest_id, kind, layer_name=None, **options):
    """Style the output ``dest_id`` as the result kind ``kind`` (named ``layer_name``) when it loads."""
    if not dest_id or not context.willLoadLayerOnCompletion(dest_id):
        return None
    return attach(context.layerToLoadOnCompletionDetails(dest_id), dest_id, kind, layer_name, **options)


__all__ = ["STYLES", "LayerStyle", "Placement", "ResultStyle", "StyleError", "apply", "attach", "keep_alive",
           "style_on_load"]
