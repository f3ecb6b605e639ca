"""Processing algorithm: standard deviational ellipse (carbon:directionaldistribution)."""

from qgis.core import (
    QgsFeatureSink,
    QgsField,
    QgsProcessing,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
)

from ..core.centrography import ellipse_outline, standard_deviational_ellipse
from . import _distribution_common as common
from ._compat import FieldType, WkbType
from ._styles import style_on_load
from .base import CarbonAlgorithm

METHODS = ("arcgis", "crimestat", "yuill")

ELLIPSE_SIZE_OPTIONS = ["1 standard deviation", "2 standard deviations", "3 standard deviations"]
ELLIPSE_METHOD_OPTIONS = ["ArcGIS Pro (axes × √2)", "CrimeStat (axes × √2 × √(N/(N−2)))", "Yuill (no correction)"]


class StandardDeviationalEllipse(CarbonAlgorithm):
    ALG_ID = "directionaldistribution"
    DISPLAY_NAME = "Standard deviational ellipse"
    GROUP = "Spatial distribution"
    GROUP_ID = "distribution"
    ICON = "ellipse.svg"

    ELLIPSE_SIZE = "ELLIPSE_SIZE"
    METHOD = "METHOD"
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config=None):
        common.add_input_parameters(self)
        size = QgsProcessingParameterEnum(
            self.ELLIPSE_SIZE,
            self.tr("Ellipse size"),
            options=[self.tr(o) for o in ELLIPSE_SIZE_OPTIONS],
            defaultValue=0,
        )
        size.setHelp(self.tr("How many standard deviations the ellipse axes span."))
        self.addParameter(size)
        method = QgsProcessingParameterEnum(
            self.METHOD,
            self.tr("Method"),
            options=[self.tr(o) for o in ELLIPSE_METHOD_OPTIONS],
            defaultValue=0,
        )
        method.setHelp(self.tr("Which convention corrects the axes; see the help."))
        self.addParameter(method)
        output = QgsProcessingParameterFeatureSink(
            self.OUTPUT,
            self.tr("Standard deviational ellipses"),
            type=QgsProcessing.SourceType.TypeVectorPolygon
        )
        output.setHelp(self.tr("One ellipse polygon per time value."))
        self.addParameter(output)

    def processAlgorithm(self, parameters, context, feedback):
        n_std = self.parameterAsEnum(parameters, self.ELLIPSE_SIZE, context) + 1
        method = METHODS[self.parameterAsEnum(parameters, self.METHOD, context)]
        data = common.read_distribution_input(self, parameters, context, feedback)
        frame = data.frame
        kind = data.time_kind
        fields = common.make_fields(
            [common.time_field_definition("year", kind)]
            + [
                QgsField(name, FieldType.Double)
                for name in (
                    "CenterX", "CenterY", "XStdDist", "YStdDist", "Rotation",
                    "major_km", "minor_km", "major_bearing", "area_km2", "flattening",
                )
            ]
        )
        sink, dest_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, WkbType.Polygon, frame.layer_crs
        )
        # Working-CRS units -> output units: layer units when projected, metres when geographic.
        to_km = frame.metres_per_unit / 1000.0
        written = 0
        for time, (xy, weights) in zip(data.times, data.groups):
            if feedback.isCanceled():
                self.fail("Cancelled by the user.")
            label = "" if time is None else f" for {time}"
            try:
                ellipse = standard_deviational_ellipse(xy, weights, n_std=n_std, method=method)
            except ValueError as error:
                feedback.pushWarning(f"No ellipse{label}: {error}")
                continue
            if ellipse.is_flat:
                feedback.pushWarning(
                    f"No ellipse{label}: the points lie on one line, so the ellipse has no width."
                )
                continue
            centre = common.to_layer_point(frame, ellipse.center_x, ellipse.center_y)
            geometry = common.polygon_geometry(frame, ellipse_outline(ellipse, 180))
            sink.addFeature(
                common.new_feature(
                    fields,
                    geometry,
                    [
                        common.time_value(time, kind),
                        centre.x(),
                        centre.y(),
                        ellipse.x_std,
                        ellipse.y_std,
                        ellipse.rotation,
                        ellipse.major * to_km,
                        ellipse.minor * to_km,
                        ellipse.major_bearing,
                        ellipse.area * to_km * to_km,
                        ellipse.flattening,
                    ],
                ),
                QgsFeatureSink.Flag.FastInsert,
            )
            written += 1
            feedback.pushInfo(
                f"Ellipse{label}: long axis {ellipse.major * to_km:.2f} km at {ellipse.rotation:.1f}°, "
                f"short axis {ellipse.minor * to_km:.2f} km, area {ellipse.area * to_km * to_km:.1f} km²"
            )
        if written == 0:
            self.fail(
                "No ellipse could be computed: each group needs at least 3 points with a positive "
                "weight that do not all lie on one line."
            )
        style_on_load(context, dest_id, "ellipses", self.tr("Standard deviational ellipses"))
        return {self.OUTPUT: dest_id}
