"""Processing algorithm: mean-centre trajectory (carbon:meancentertrajectory)."""

import numpy as np
from qgis.core import (
    QgsFeatureSink,
    QgsField,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingParameterFeatureSink,
)

from ..core.centrography import centre_shifts, weighted_mean_centre
from . import _distribution_common as common
from ._compat import FieldType, WkbType
from ._styles import style_on_load
from .base import CarbonAlgorithm


class MeanCentreTrajectory(CarbonAlgorithm):
    ALG_ID = "meancentertrajectory"
    DISPLAY_NAME = "Mean centre trajectory"
    GROUP = "Spatial distribution"
    GROUP_ID = "distribution"
    ICON = "mean_centre.svg"

    OUTPUT_CENTERS = "OUTPUT_CENTERS"
    OUTPUT_TRAJECTORY = "OUTPUT_TRAJECTORY"

    def initAlgorithm(self, config=None):
        common.add_input_parameters(self)
        centres = QgsProcessingParameterFeatureSink(
            self.OUTPUT_CENTERS,
            self.tr("Mean centres"),
            type=QgsProcessing.SourceType.TypeVectorPoint
        )
        centres.setHelp(self.tr("One point per time value."))
        self.addParameter(centres)
        lines = QgsProcessingParameterFeatureSink(
            self.OUTPUT_TRAJECTORY,
            self.tr("Centre trajectory"),
            type=QgsProcessing.SourceType.TypeVectorLine,
        )
        lines.setHelp(self.tr("One line per consecutive pair of time values."))
        self.addParameter(lines)

    def processAlgorithm(self, parameters, context, feedback):
        data = common.read_distribution_input(self, parameters, context, feedback)
        frame = data.frame
        centres, times, sums = [], [], []
        for time, (xy, weights) in zip(data.times, data.groups):
            if feedback.isCanceled():
                self.fail("Cancelled by the user.")
            try:
                centre = weighted_mean_centre(xy, weights)
            except ValueError as error:
                label = "" if time is None else f" for {time}"
                feedback.pushWarning(f"No centre{label}: {error}")
                continue
            centres.append((centre.x, centre.y))
            times.append(time)
            sums.append(centre.weight_sum)
        if not centres:
            self.fail(
                "No mean centre could be computed: every group has zero total weight. "
                "Check the weight field or the rasters."
            )

        kind = data.time_kind
        centre_fields = common.make_fields(
            [
                common.time_field_definition("year", kind),
                QgsField("XCoord", FieldType.Double),
                QgsField("YCoord", FieldType.Double),
                QgsField("weight_sum", FieldType.Double),
            ]
        )
        crs = frame.layer_crs
        sink, centres_id = self.parameterAsSink(
            parameters, self.OUTPUT_CENTERS, context, centre_fields, WkbType.Point, crs
        )
        layer_points = [common.to_layer_point(frame, x, y) for x, y in centres]
        for time, point, total in zip(times, layer_points, sums):
            sink.addFeature(
                common.new_feature(
                    centre_fields,
                    QgsGeometry.fromPointXY(point),
                    [common.time_value(time, kind), point.x(), point.y(), float(total)],
                ),
                QgsFeatureSink.Flag.FastInsert,
            )

        line_fields = common.make_fields(
            [
                common.time_field_definition("from_year", kind),
                common.time_field_definition("to_year", kind),
                QgsField("dist_km", FieldType.Double),
                QgsField("bearing", FieldType.Double),
                QgsField("direction", FieldType.String),
                QgsField("km_per_year", FieldType.Double),
            ]
        )
        line_sink, lines_id = self.parameterAsSink(
            parameters, self.OUTPUT_TRAJECTORY, context, line_fields, WkbType.LineString, crs
        )
        shifts = centre_shifts(times, centres, unit_to_km=frame.metres_per_unit / 1000.0)
        for i, shift in enumerate(shifts):
            a, b = layer_points[i], layer_points[i + 1]
            if frame.reprojected and shift.distance > 0:
                shift = shift.remeasured(*common.ellipsoid_distance_and_bearing(frame, a, b, context))
            dist_km, bearing, km_per_year = shift.distance_km, shift.bearing, shift.km_per_year
            direction = shift.direction
            line_sink.addFeature(
                common.new_feature(
                    line_fields,
                    QgsGeometry.fromPolylineXY([a, b]),
                    [
                        common.time_value(shift.from_time, kind),
                        common.time_value(shift.to_time, kind),
                        float(dist_km),
                        float(bearing) if np.isfinite(bearing) else None,
                        direction,
                        float(km_per_year) if np.isfinite(km_per_year) else None,
                    ],
                ),
                QgsFeatureSink.Flag.FastInsert,
            )
            feedback.pushInfo(
                f"{shift.from_time} -> {shift.to_time}: {dist_km:.2f} km {direction}"
                + (f" (bearing {bearing:.1f}°)" if np.isfinite(bearing) else "")
            )
        if len(centres) == 1:
            feedback.pushWarning(
                "Only one time value: one centre and no trajectory line. Set a time field with "
                "several values (or give several rasters) to follow the centre over time."
            )
        style_on_load(context, centres_id, "centres", self.tr("Mean centres"))
        style_on_load(context, lines_id, "trajectory", self.tr("Centre trajectory"))
        return {self.OUTPUT_CENTERS: centres_id, self.OUTPUT_TRAJECTORY: lines_id}
