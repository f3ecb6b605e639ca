"""Turning QGIS layers into numpy arrays and arrays back into files.

Every algorithm reads its inputs through these helpers so that null handling,
coordinate systems and nodata are treated the same way everywhere.
"""

import os
from dataclasses import dataclass, field

import numpy as np
from osgeo import gdal
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsFeatureRequest,
    QgsPointXY,
    QgsProcessingException,
    QgsRasterLayer,
    QgsUnitTypes,
    QgsWkbTypes,
)

from ..core.centrography import circular_mean_longitude
from ._compat import DISTANCE_DEGREES, DISTANCE_METERS, POINT_GEOMETRY, gdal_exceptions


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
    if extent_xy is None or len(extent_xy) == 0:
        lon0, lat0 = 0.0, 0.0
    else:
        xy = np.asarray(extent_xy, dtype=float)
        lon0 = circular_mean_longitude(xy[:, 0])
        lat0 = float((np.nanmin(xy[:, 1]) + np.nanmax(xy[:, 1])) / 2)
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


@dataclass
class FeatureArrays:
    """Feature geometry (as points) and attributes as numpy arrays."""

    xy: np.ndarray  # (n, 2) in the layer CRS; polygons/lines by centroid
    values: dict = field(default_factory=dict)  # field name -> float array
    times: list = field(default_factory=list)  # time values (or [] without a time field)
    feature_ids: np.ndarray = None
    skipped_geometry: int = 0
    skipped_null: int = 0


def read_features(source, fields=(), time_field=None, feedback=None, require_points=False):
    """Read features of ``source`` into arrays.

    Features with an empty geometry, or with a null/non-numeric value in any of
    ``fields`` or ``time_field``, are skipped and counted (reported through
    ``feedback``). Polygons and lines are represented by their centroid.
    """
    names = [f for f in fields if f]
    src_fields = source.fields()
    for name in names + ([time_field] if time_field else []):
        if src_fields.lookupField(name) < 0:
            raise QgsProcessingException(f"Field '{name}' does not exist in the input layer.")
    if require_points and QgsWkbTypes.geometryType(source.wkbType()) != POINT_GEOMETRY:
        raise QgsProcessingException("The input layer must be a point layer.")

    not_numeric = [name for name in names if not src_fields.field(src_fields.lookupField(name)).isNumeric()]
    if not_numeric:
        raise QgsProcessingException(
            f"Field '{not_numeric[0]}' is not numeric (it is of type "
            f"{src_fields.field(src_fields.lookupField(not_numeric[0])).typeName()}). Choose a numeric field, "
            "or convert it with the Field calculator."
        )
    xs, ys, fids, times = [], [], [], []
    columns = {name: [] for name in names}
    skipped_geometry = skipped_null = 0
    total = source.featureCount() or 0
    request = QgsFeatureRequest()
    for i, feature in enumerate(source.getFeatures(request)):
        if feedback is not None:
            if feedback.isCanceled():
                raise QgsProcessingException("Cancelled.")
            if total and i % 5000 == 0:
                feedback.setProgress(100.0 * i / total)
        geom = feature.geometry()
        if geom is None or geom.isNull() or geom.isEmpty():
            skipped_geometry += 1
            continue
        row = []
        ok = True
        for name in names:
            value = feature[name]
            try:
                value = float(value)
            except (TypeError, ValueError):
                ok = False
                break
            if not np.isfinite(value):
                ok = False
                break
            row.append(value)
        time_value = None
        if ok and time_field:
            time_value = feature[time_field]
            if time_value is None or (hasattr(time_value, "isNull") and time_value.isNull()):
                ok = False
        if not ok:
            skipped_null += 1
            continue
        if QgsWkbTypes.geometryType(geom.wkbType()) == POINT_GEOMETRY and not geom.isMultipart():
            p = geom.asPoint()
        else:
            p = geom.centroid().asPoint()
        xs.append(p.x())
        ys.append(p.y())
        fids.append(feature.id())
        for name, value in zip(names, row):
            columns[name].append(value)
        if time_field:
            times.append(_plain(time_value))
    if feedback is not None:
        if skipped_geometry:
            feedback.pushWarning(f"{skipped_geometry} feature(s) without geometry were skipped.")
        if skipped_null:
            feedback.pushWarning(
                f"{skipped_null} feature(s) with a null or non-numeric value were skipped."
            )
    return FeatureArrays(
        xy=np.column_stack([np.asarray(xs, float), np.asarray(ys, float)]) if xs else np.empty((0, 2)),
        values={name: np.asarray(col, dtype=float) for name, col in columns.items()},
        times=times,
        feature_ids=np.asarray(fids, dtype=np.int64),
        skipped_geometry=skipped_geometry,
        skipped_null=skipped_null,
    )


def _plain(value):
    """QVariant-ish values (QDate, QDateTime) to plain sortable Python values."""
    for attr in ("toPyDateTime", "toPyDate"):
        if hasattr(value, attr):
            return getattr(value, attr)()
    return value


@dataclass
class RasterGrid:
    """One raster band as a float64 array with nodata as NaN."""

    data: np.ndarray
    geotransform: tuple
    crs: QgsCoordinateReferenceSystem
    name: str = ""
    nodata: float = None

    @property
    def shape(self):
        return self.data.shape

    @property
    def cell_size(self):
        return abs(self.geotransform[1]), abs(self.geotransform[5])

    def cell_centres(self, mask=None):
        """Cell-centre coordinates (x, y) of the cells where ``mask`` is true."""
        gt = self.geotransform
        if mask is None:
            mask = np.isfinite(self.data)
        rows, cols = np.nonzero(mask)
        x = gt[0] + (cols + 0.5) * gt[1] + (rows + 0.5) * gt[2]
        y = gt[3] + (cols + 0.5) * gt[4] + (rows + 0.5) * gt[5]
        return np.column_stack([x, y])


def gdal_path(layer):
    """The GDAL-readable path of a raster layer, or a clear error."""
    if not isinstance(layer, QgsRasterLayer) or layer.providerType() != "gdal":
        raise QgsProcessingException(
            f"Raster '{layer.name() if layer else layer}' is not a file-based (GDAL) raster. "
            "Save it as a GeoTIFF and use that."
        )
    return layer.source()


@gdal_exceptions()
def read_raster(layer, band=1):
    """Read ``band`` of a raster layer as float64 with nodata (and NaN) as NaN."""
    path = gdal_path(layer)
    ds = gdal.Open(path)
    if band < 1 or band > ds.RasterCount:
        raise QgsProcessingException(
            f"Raster '{layer.name()}' has {ds.RasterCount} band(s); band {band} does not exist."
        )
    rb = ds.GetRasterBand(band)
    data = rb.ReadAsArray().astype(np.float64)
    nodata = rb.GetNoDataValue()
    if nodata is not None:
        data[data == nodata] = np.nan
    gt = ds.GetGeoTransform()
    return RasterGrid(data, tuple(gt), layer.crs(), layer.name(), nodata)


@gdal_exceptions()
def write_geotiff(path, bands, geotransform, crs, nodata=None, dtype=gdal.GDT_Float32,
                  band_names=None, feedback=None):
    """Write 2-D arrays as a compressed GeoTIFF, atomically.

    The file is written under a temporary name and renamed when complete, so a
    cancelled or failed run leaves no half-written output.
    """
    if isinstance(bands, np.ndarray) and bands.ndim == 2:
        bands = [bands]
    rows, cols = bands[0].shape
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    tmp = os.path.join(directory, f".{os.path.basename(path)}.part.tif")
    driver = gdal.GetDriverByName("GTiff")
    options = ["COMPRESS=DEFLATE", "TILED=YES", "BIGTIFF=IF_SAFER"]
    ds = driver.Create(tmp, cols, rows, len(bands), dtype, options)
    try:
        ds.SetGeoTransform(tuple(geotransform))
        wkt = crs.toWkt() if hasattr(crs, "toWkt") else str(crs)
        ds.SetProjection(wkt)
        for i, array in enumerate(bands, start=1):
            if feedback is not None and feedback.isCanceled():
                raise QgsProcessingException("Cancelled.")
            rb = ds.GetRasterBand(i)
            out = np.asarray(array)
            if nodata is not None:
                rb.SetNoDataValue(nodata)
                if np.issubdtype(out.dtype, np.floating):
                    out = np.where(np.isfinite(out), out, nodata)
            rb.WriteArray(out)
            if band_names and i <= len(band_names):
                rb.SetDescription(band_names[i - 1])
        ds.FlushCache()
        ds = None
        os.replace(tmp, path)
    except BaseException:
        ds = None
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return path
