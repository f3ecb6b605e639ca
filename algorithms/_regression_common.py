"""QGIS glue shared by the regression algorithm: coefficient styling and HTML helpers."""


from qgis.core import (
    QgsExpressionContextUtils,
    QgsProcessingLayerPostProcessorInterface,
    QgsProperty,
    QgsSingleSymbolRenderer,
    QgsSymbol,
    QgsSymbolLayer,
)

from ..core.formatting import format_fixed
from ._compat import LINE_GEOMETRY

# Colour of one coefficient: grey where not significant, else a red-white-blue
# ramp (RdBu) centred on 0 and symmetric (+-max |b|), so that white is 0 and the
# colour intensity is comparable for positive and negative effects.
COEFFICIENT_COLOUR = (
    "CASE WHEN attribute(concat('sig_', @coefficient_term)) IS NULL THEN color_rgba(0,0,0,0) "
    "WHEN attribute(concat('sig_', @coefficient_term)) = 0 THEN color_rgb(230,230,230) "
    "ELSE ramp_color('RdBu', scale_linear(attribute(concat('b_', @coefficient_term)), "
    "-maximum(abs(attribute(concat('b_', @coefficient_term)))), "
    "maximum(abs(attribute(concat('b_', @coefficient_term)))), 1, 0)) END"
)


def coefficient_renderer(layer, term):
    """A renderer colouring ``b_<term>`` (diverging, centred on 0), grey if ``sig_<term>`` = 0.

    The term is the layer variable ``coefficient_term``: change it in Layer
    Properties > Variables to map another coefficient with the same style.
    """
    QgsExpressionContextUtils.setLayerVariable(layer, "coefficient_term", term)
    symbol = QgsSymbol.defaultSymbol(layer.geometryType())
    if symbol is None:
        return None
    for i in range(symbol.symbolLayerCount()):
        sl = symbol.symbolLayer(i)
        sl.setDataDefinedProperty(QgsSymbolLayer.Property.PropertyFillColor,
                                  QgsProperty.fromExpression(COEFFICIENT_COLOUR))
        if layer.geometryType() == LINE_GEOMETRY:  # lines: colour the stroke
            sl.setDataDefinedProperty(QgsSymbolLayer.Property.PropertyStrokeColor,
                                      QgsProperty.fromExpression(COEFFICIENT_COLOUR))
    return QgsSingleSymbolRenderer(symbol)


class CoefficientStyle(QgsProcessingLayerPostProcessorInterface):
    """Styles the coefficient output for one term when it loads.

    The classes of the study's coefficient maps (``_study_styles.style_coefficient``:
    a legend entry per class, centred on 0); the term is also the layer variable
    ``coefficient_term`` (used by ``resources/styles/coefficients.qml``, which
    colours any term by that variable, without a class legend).
    """

    def __init__(self, term, layer_name=None):
        super().__init__()
        self.term = term
        self.layer_name = layer_name

    def clone(self):
        """A new processor doing the same (QGIS deletes a processor with its load details)."""
        return CoefficientStyle(self.term, self.layer_name)

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 - QGIS API
        if layer is None or not layer.isValid():
            return
        QgsExpressionContextUtils.setLayerVariable(layer, "coefficient_term", self.term)
        try:
            # The classes of the study's maps: a legend entry per class, "Not significant" grey.
            from ._study_styles import style_coefficient

            style_coefficient(layer, f"b_{self.term}", f"sig_{self.term}")
        except Exception as error:  # a style problem must not lose the result
            feedback.reportError(f"Could not style the coefficients: {error}")
            renderer = coefficient_renderer(layer, self.term)
            if renderer is not None:
                layer.setRenderer(renderer)
        if self.layer_name:
            layer.setName(self.layer_name)
        layer.triggerRepaint()


_POST_PROCESSORS = {}


def style_coefficients_on_load(context, dest_id, term, layer_name=None):
    if not dest_id or not context.willLoadLayerOnCompletion(dest_id):
        return
    processor = CoefficientStyle(term, layer_name)
    _POST_PROCESSORS[dest_id] = processor
    context.layerToLoadOnCompletionDetails(dest_id).setPostProcessor(processor)


fmt = format_fixed


