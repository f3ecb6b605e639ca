"""Coordinate systems of the inputs: CRS checks and the metric frame distances are measured in.

Reading layers into arrays and writing files is ``_io``.
"""

from dataclasses import dataclass

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsPointXY,
    QgsProcessingException,
    QgsUnitTypes,
)

from ..core.centrography import projection_centre
from ._compat import DISTANCE_DEGREES, DISTANCE_METERS


@dataclass
class MetricFrame:
    """Where distances are computed: the layer CRS if projected, else a local one.

    ``to_metric`` / ``to_layer`` transform between the layer CRS and the working
    CRS; ``metres_per_unit`` converts working-CRS units to metres.
    """

    layer_crs: QgsCoordinateReferenceSystem
    work_crs: QgsCoordinateReferenceSystem
    metres_per_unit: float
    to_metric: QgsCoordinateTransform = None
    to_layer: QgsCoordinateTransform = None

    @property
    def reprojected(self):
        return self.to_metric is not None

    def forward(self, xy):
        return _transform_array(self.to_metric, xy)

    def backward(self, xy):
        return _transform_array(self.to_layer, xy)


def _transform_array(transform, xy):
    if transform is None:
        return np.asarray(xy, dtype=float)
    out = np.empty((len(xy), 2))
    for i, (x, y) in enumerate(xy):
        p = transform.transform(QgsPointXY(float(x), float(y)))
        out[i] = p.x(), p.y()
    return out


def undefined_crs_check(crs):
    """Refuse a CRS that is set but undefined (e.g. a GeoPackage's "Undefined geographic SRS").

    Such layers carry degrees or unknown units without a datum QGIS can use; measuring
    distances in them gives numbers that are wrong by orders of magnitude.
    """
    description = (crs.description() or "").lower()
    wkt = crs.toWkt() if crs.isValid() else ""
    undefined = description.startswith("undefined") or wkt.startswith(
        ('GEOGCS["Undefined', 'PROJCS["Undefined', 'LOCAL_CS["Undefined'))
    degrees_but_projected = (not crs.isGeographic()
                             and crs.mapUnits() == DISTANCE_DEGREES)
    if undefined or degrees_but_projected:
        raise QgsProcessingException(
            f"The layer's coordinate reference system is undefined ('{crs.description() or crs.authid()}'), "
            "so distances cannot be measured. Assign its real CRS (Layer Properties > Source, or "
            "'Assign projection') and run again."
        )


def metric_frame(crs, extent_xy=None, transform_context=None):
    """Choose the working CRS for distance work on data in ``crs``.

    A projected CRS is used as it is (its unit converted to metres). For a
    geographic CRS an azimuthal equidistant projection centred on the data is
    used, so distances and axes come out in true metres near the data.
    ``transform_context`` is the Processing context's (``context.transformContext()``);
    never the project's, which is not safe to read from a background task.
    """
    if not crs.isValid():
        raise QgsProcessingException(
            "The layer has no valid coordinate reference system. Set its CRS "
            "(Layer Properties > Source) and run again."
        )
    undefined_crs_check(crs)
    if not crs.isGeographic():
        factor = QgsUnitTypes.fromUnitToUnitFactor(crs.mapUnits(), DISTANCE_METERS)
        if not np.isfinite(factor) or factor <= 0:
            raise QgsProcessingException(
                f"The CRS {crs.authid()} has map units that cannot be converted to metres. "
                "Reproject the layer to a projected CRS in metres."
            )
        return MetricFrame(crs, crs, float(factor))
    lon0, lat0 = projection_centre([] if extent_xy is None else extent_xy)
    ellps = crs.ellipsoidAcronym() or "WGS84"
    if ellps.startswith("PARAMETER") or ellps.startswith("EPSG"):
        ellps = "WGS84"
    work = QgsCoordinateReferenceSystem.fromProj(
        f"+proj=aeqd +lat_0={lat0:.8f} +lon_0={lon0:.8f} +x_0=0 +y_0=0 +ellps={ellps} +units=m +no_defs"
    )
    if not work.isValid():
        work = QgsCoordinateReferenceSystem.fromProj(
            f"+proj=aeqd +lat_0={lat0:.8f} +lon_0={lon0:.8f} +datum=WGS84 +units=m +no_defs"
        )
    if transform_context is None:
        transform_context = QgsCoordinateTransformContext()
    return MetricFrame(
        crs,
        work,
        1.0,
        QgsCoordinateTransform(crs, work, transform_context),
        QgsCoordinateTransform(work, crs, transform_context),
    )
