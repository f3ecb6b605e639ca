"""Shared input handling of the spatial-distribution tools (centre and ellipse).

Both tools accept either a vector layer (points, or polygons/lines by their
centroids) with optional weight and time fields, or a list of yearly rasters
whose cell centres are weighted by cell values. This module turns either into
groups of (time value, coordinates in metres, weights).
"""

import datetime
from dataclasses import dataclass

import numpy as np
from qgis.core import (
    QgsDistanceArea,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QDate, QDateTime

from ..core.centrography import bearing_from_radians, group_by_time
from ..core.years import parse_years, year_from_name
from ._compat import DISTANCE_METERS, FieldType
from ._io import read_features, read_raster
from .layers import metric_frame

INPUT = "INPUT"
WEIGHT_FIELD = "WEIGHT_FIELD"
TIME_FIELD = "TIME_FIELD"
RASTERS = "RASTERS"
YEARS = "YEARS"



def add_input_parameters(alg):
    """Add INPUT, WEIGHT_FIELD, TIME_FIELD, RASTERS, YEARS to ``alg``."""
    params = [
        (QgsProcessingParameterFeatureSource(
            INPUT, alg.tr("Input features"), [QgsProcessing.SourceType.TypeVectorAnyGeometry], optional=True),
         "Points, or polygons/lines by their centroids. Leave empty when using yearly rasters."),
        (QgsProcessingParameterField(
            WEIGHT_FIELD, alg.tr("Weight field"), parentLayerParameterName=INPUT,
            type=QgsProcessingParameterField.DataType.Numeric, optional=True),
         "Non-negative weight of each feature (e.g. emissions). Empty: every feature weighs 1."),
        (QgsProcessingParameterField(
            TIME_FIELD, alg.tr("Time field (one result per value)"), parentLayerParameterName=INPUT,
            type=QgsProcessingParameterField.DataType.Any, optional=True),
         "Field whose distinct values (years, dates or text) each get their own result."),
        (QgsProcessingParameterMultipleLayers(
            RASTERS, alg.tr("Yearly rasters (instead of features)"), QgsProcessing.SourceType.TypeRaster,
            optional=True),
         "Rasters, one per year; cell centres are weighted by cell values; nodata is ignored."),
        (QgsProcessingParameterString(YEARS, alg.tr("Years of the rasters (comma-separated)"), optional=True),
         "Comma-separated years, one per raster in order (e.g. 2000,2005,2010). "
         "Empty: read from the digits in the layer names."),
    ]
    for param, text in params:
        alg.add_parameter(param, text)


@dataclass
class DistributionInput:
    """Observation groups in a metric working frame."""

    frame: object  # layers.MetricFrame
    times: list  # distinct time values, sorted (None when there is no time field)
    groups: list  # per time value: (xy in working CRS, weights)
    time_kind: str  # "int", "double", "date", "datetime", "string" or "none"


def years_from_text(text, count):
    try:
        years = parse_years(text)
    except ValueError as error:
        raise QgsProcessingException(f"YEARS: {error}") from None
    if not years:
        return None
    if len(years) != count:
        raise QgsProcessingException(
            f"YEARS lists {len(years)} value(s) but {count} raster(s) were given. "
            "Give one year per raster, in the same order."
        )
    return years


def _kind(values):
    if all(isinstance(v, bool) for v in values):
        return "string"
    if all(isinstance(v, int) for v in values):
        return "int"
    if all(isinstance(v, (int, float)) for v in values):
        return "double"
    if all(isinstance(v, datetime.datetime) for v in values):
        return "datetime"
    if all(isinstance(v, datetime.date) for v in values):
        return "date"
    return "string"


def read_distribution_input(alg, parameters, context, feedback):
    source = alg.parameterAsSource(parameters, INPUT, context)
    rasters = alg.parameterAsLayerList(parameters, RASTERS, context)
    if source is not None and rasters:
        raise QgsProcessingException(
            "Give either input features or yearly rasters, not both (clear one of the two)."
        )
    if source is None and not rasters:
        raise QgsProcessingException("Give input features (INPUT) or yearly rasters (RASTERS).")
    if source is not None:
        return _from_features(alg, parameters, context, source, feedback)
    return _from_rasters(alg, parameters, context, rasters, feedback)


def _from_features(alg, parameters, context, source, feedback):
    weight_field = alg.parameterAsString(parameters, WEIGHT_FIELD, context) or None
    time_field = alg.parameterAsString(parameters, TIME_FIELD, context) or None
    data = read_features(
        source, fields=[weight_field] if weight_field else [], time_field=time_field, feedback=feedback
    )
    if len(data.xy) == 0:
        raise QgsProcessingException(
            "The input layer has no usable features (it is empty, or every feature lacks a "
            "geometry or has a null weight/time value)."
        )
    weights = data.values[weight_field] if weight_field else np.ones(len(data.xy))
    if np.any(weights < 0):
        raise QgsProcessingException(
            f"{int(np.sum(weights < 0))} feature(s) have a negative weight in '{weight_field}'. "
            "Weights must be zero or positive: filter those features or choose another field."
        )
    frame = metric_frame(source.sourceCrs(), data.xy, context.transformContext())
    xy = frame.forward(data.xy) if frame.reprojected else data.xy
    if time_field:
        times, index = group_by_time(data.times)
        groups = [(xy[i], weights[i]) for i in index]
        kind = _kind(times)
    else:
        times, groups, kind = [None], [(xy, weights)], "none"
    return DistributionInput(frame, times, groups, kind)


def raster_years(alg, parameters, context, rasters):
    """The year of each raster: from YEARS, else from the digits in the layer names."""
    years = years_from_text(alg.parameterAsString(parameters, YEARS, context), len(rasters))
    if years is None:
        years = [year_from_name(layer.name()) for layer in rasters]
        missing = [layer.name() for layer, y in zip(rasters, years) if y is None]
        if missing:
            raise QgsProcessingException(
                f"No year could be read from the name of {', '.join(missing)}. "
                "Give the years in YEARS (comma-separated, one per raster)."
            )
    if len(set(years)) != len(years):
        raise QgsProcessingException(
            f"The years {years} repeat: give each raster its own year (YEARS)."
        )
    return years


def _from_rasters(alg, parameters, context, rasters, feedback):
    years = raster_years(alg, parameters, context, rasters)
    crs = rasters[0].crs()
    for layer in rasters[1:]:
        if layer.crs() != crs:
            raise QgsProcessingException(
                f"Raster '{layer.name()}' is in {layer.crs().authid() or 'another CRS'} but "
                f"'{rasters[0].name()}' is in {crs.authid() or 'another CRS'}. Reproject the rasters "
                "to one CRS (Raster > Projections > Warp) and run again."
            )
    groups = []
    frame = None
    for i, layer in enumerate(rasters):
        if feedback.isCanceled():
            raise QgsProcessingException("Cancelled by the user.")
        feedback.setProgressText(f"Reading {layer.name()}")
        grid = read_raster(layer, 1)
        values = grid.data
        if not np.isfinite(values).any():
            raise QgsProcessingException(
                f"Raster '{layer.name()}' has no data: every cell is nodata. Check its nodata value "
                "or choose another raster."
            )
        negative = np.count_nonzero(values < 0)
        if negative:
            raise QgsProcessingException(
                f"Raster '{layer.name()}' has {negative} cell(s) with negative values; cell values "
                "are used as weights and must be zero or positive."
            )
        mask = values > 0
        xy = grid.cell_centres(mask)
        if frame is None:
            gt = grid.geotransform
            rows, cols = values.shape
            corners = np.array([[gt[0], gt[3]], [gt[0] + cols * gt[1], gt[3] + rows * gt[5]]])
            frame = metric_frame(crs, corners, context.transformContext())
        if frame.reprojected:
            xy = frame.forward(xy)
        groups.append((xy, values[mask]))
        feedback.setProgress(100.0 * (i + 1) / len(rasters))
    order = np.argsort(years, kind="stable")
    return DistributionInput(frame, [years[i] for i in order], [groups[i] for i in order], "int")


def time_field_definition(name, kind, sample=None):
    types = {
        "int": FieldType.LongLong,
        "double": FieldType.Double,
        "date": FieldType.Date,
        "datetime": FieldType.DateTime,
        "string": FieldType.String,
        "none": FieldType.String,
    }
    return QgsField(name, types[kind])


def time_value(value, kind):
    if value is None:
        return None
    if kind == "datetime":
        return QDateTime(value)
    if kind == "date":
        return QDate(value)
    if kind == "string":
        return str(value)
    return value


def make_fields(definitions):
    fields = QgsFields()
    for field in definitions:
        fields.append(field)
    return fields


def to_layer_point(frame, x, y):
    if frame.reprojected:
        (x, y), = frame.backward([[x, y]])
    return QgsPointXY(float(x), float(y))


def new_feature(fields, geometry, attributes):
    feature = QgsFeature(fields)
    feature.setGeometry(geometry)
    feature.setAttributes(attributes)
    return feature


def polygon_geometry(frame, ring):
    if frame.reprojected:
        ring = frame.backward(ring)
    return QgsGeometry.fromPolygonXY([[QgsPointXY(float(x), float(y)) for x, y in ring]])


def ellipsoid_distance_and_bearing(frame, a, b, context):
    """True distance (km) and bearing (deg from north) between layer-CRS points a, b.

    On the Processing context's ellipsoid (the project's, as the context carries it), else
    the layer CRS's, else WGS84; transforms from the context's transform context.
    """
    measure = QgsDistanceArea()
    measure.setSourceCrs(frame.layer_crs, context.transformContext())
    candidates = [context.ellipsoid(), frame.layer_crs.ellipsoidAcronym(), "WGS84"]
    for ellipsoid in candidates:
        if ellipsoid and ellipsoid.upper() != "NONE" and measure.setEllipsoid(ellipsoid):
            break
    metres = measure.measureLine(a, b)
    metres = measure.convertLengthMeasurement(metres, DISTANCE_METERS)
    bearing = bearing_from_radians(measure.bearing(a, b))
    return metres / 1000.0, bearing
