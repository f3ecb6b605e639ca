"""Files in and out: the one place that reads layers into numpy arrays and writes files.

Reading
    :func:`read_features` (features as points and numeric columns), :func:`read_rows` and
    :func:`read_table` (attribute tables as dicts), :func:`read_raster` (a layer's band with its
    georeferencing), :func:`read_band` (a band, or a window of it), :func:`iter_band_strips` (the
    same strip by strip, for rasters too big to hold twice), :func:`read_on_grid` (a band
    resampled onto another grid), :func:`warp` (an in-memory resampled copy),
    :func:`burn_polygons` (polygons into a grid of ids). Bands always come as float64 with
    nodata (and NaN) as NaN.

Writing -- each file whole or not at all
    :func:`write_geotiff`, :func:`write_vector`, :func:`write_table` (``.csv``, or a GeoPackage
    table without geometry), :func:`write_text` (HTML pages, JSON). Each checks its folder up
    front (:func:`prepare_folder`: exists or can be created, is writable; an existing file must
    be replaceable), writes under a temporary name beside the file and renames it into place
    (:func:`atomic_path`): a failure or a cancel leaves nothing at the path, and an older file
    there untouched.

A whole run's outputs are staged together by ``_outputs.guarded_run`` (installed for every
algorithm by ``CarbonAlgorithm``), which uses the same folder checks; this module is about one
file. GDAL runs with exceptions inside these functions only (``_compat.gdal_exceptions``).
"""

import contextlib
import csv
import json
import math
import os
import uuid
from dataclasses import dataclass, field

import numpy as np
from osgeo import gdal, ogr, osr
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsFeatureRequest,
    QgsField,
    QgsFields,
    QgsProcessingException,
    QgsRasterLayer,
    QgsVectorFileWriter,
    QgsVectorLayer,
    QgsWkbTypes,
)

from ..core.grid import cell_centres, grid_bounds, nodata_cells
from ._compat import POINT_GEOMETRY, FieldType, WkbType, gdal_exceptions

#: Cells read at a time by the strip readers (32 MiB of float64).
STRIP_CELLS = 1 << 22
#: Temporary files of :func:`atomic_path`: ``.<stem>.part-<pid>-<hex><ext>`` beside the target.
PART_INFIX = ".part-"


# ---------------------------------------------------------------------------
# Up-front checks and atomic files
# ---------------------------------------------------------------------------
def prepare_folder(directory, what):
    """Make sure ``directory`` exists (creating it) and is writable; return the folders created.

    Raises a ``QgsProcessingException`` naming ``what`` and saying what to do when the
    folder is a file, cannot be created or is not writable.
    """
    created = []
    probe = directory
    missing = []
    while probe and not os.path.exists(probe):
        missing.append(probe)
        parent = os.path.dirname(probe)
        if parent == probe:
            break
        probe = parent
    if os.path.exists(directory) and not os.path.isdir(directory):
        raise QgsProcessingException(
            f"Cannot write {what}: '{directory}' is a file, not a folder. Choose another location."
        )
    for folder in reversed(missing):
        try:
            os.mkdir(folder)
        except FileExistsError:
            if not os.path.isdir(folder):
                raise QgsProcessingException(
                    f"Cannot write {what}: '{folder}' is a file, not a folder. Choose another location."
                ) from None
        except OSError as err:
            remove_created(created)
            raise QgsProcessingException(
                f"Cannot write {what}: the folder '{folder}' does not exist and cannot be created "
                f"({err.strerror or err}). Choose a folder you can write to."
            ) from None
        created.append(folder)
    if not os.access(directory, os.W_OK | os.X_OK):
        remove_created(created)
        raise QgsProcessingException(
            f"Cannot write {what}: the folder '{directory}' is not writable (read-only or no "
            "permission). Choose a folder you can write to."
        )
    return created


def remove_created(created):
    """Remove the (empty) folders :func:`prepare_folder` created, innermost first."""
    for folder in reversed(created):
        try:
            os.rmdir(folder)
        except OSError:
            pass


def check_replaceable(path, what):
    """Refuse a file destination that is a folder or an existing read-only file."""
    if os.path.isdir(path):
        raise QgsProcessingException(f"Cannot write {what}: '{path}' is a folder. Give a file name.")
    if os.path.exists(path) and not os.access(path, os.W_OK):
        raise QgsProcessingException(
            f"Cannot write {what}: '{path}' exists and is read-only. Choose another file name."
        )


def _side_files(folder, stem):
    """Files of ``folder`` named ``stem`` + an extension (a dataset and its side files)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(n for n in names if n.startswith(stem + ".") or n == stem)


@contextlib.contextmanager
def atomic_path(path, what=None):
    """A temporary path to write ``path`` under; renamed into place when the block succeeds.

    The folder is checked (and created) first. The temporary file keeps the extension, so
    drivers that go by it behave the same; side files written beside it (a shapefile's
    ``.dbf``, GDAL's ``.aux.xml``) are renamed with it, the main file last. When the block
    raises, the temporary file and its side files are deleted: nothing is left at ``path``,
    and an older file there is untouched.
    """
    path = os.path.abspath(path)
    what = what or f"'{os.path.basename(path)}'"
    folder = os.path.dirname(path)
    created = prepare_folder(folder, what)
    try:
        check_replaceable(path, what)
    except QgsProcessingException:
        remove_created(created)
        raise
    final_stem, ext = os.path.splitext(os.path.basename(path))
    tmp_stem = f".{final_stem}{PART_INFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp = os.path.join(folder, tmp_stem + ext)
    try:
        yield tmp
        if not os.path.exists(tmp):
            raise QgsProcessingException(f"Cannot write {what}: nothing was written to '{tmp}'.")
        for name in _side_files(folder, tmp_stem):
            if name != os.path.basename(tmp):
                os.replace(os.path.join(folder, name), os.path.join(folder, final_stem + name[len(tmp_stem):]))
        os.replace(tmp, path)
    except BaseException:
        for name in _side_files(folder, tmp_stem):
            try:
                os.remove(os.path.join(folder, name))
            except OSError:
                pass
        remove_created(created)
        raise


def write_text(path, text):
    """Write ``text`` (an HTML page, JSON, CSV) as UTF-8, atomically. Returns ``path``."""
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    return path


def write_json(path, data):
    """``data`` as indented JSON (values JSON cannot hold written as text), atomically."""
    return write_text(path, json.dumps(data, indent=1, default=str))


# ---------------------------------------------------------------------------
# Rasters
# ---------------------------------------------------------------------------
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
        """Cell-centre coordinates (x, y) of the cells where ``mask`` is true (default: with data)."""
        if mask is None:
            mask = np.isfinite(self.data)
        rows, cols = np.nonzero(mask)
        return cell_centres(self.geotransform, rows, cols)


def gdal_path(layer):
    """The GDAL-readable path of a raster layer, or a clear error."""
    if not isinstance(layer, QgsRasterLayer) or layer.providerType() != "gdal":
        raise QgsProcessingException(
            f"Raster '{layer.name() if layer else layer}' is not a file-based (GDAL) raster. "
            "Save it as a GeoTIFF and use that."
        )
    return layer.source()


@gdal_exceptions()
def open_raster(source):
    """A GDAL dataset of ``source``: a raster layer (file-based), a path, or a dataset (returned as is)."""
    if isinstance(source, gdal.Dataset):
        return source
    path = source if isinstance(source, str) else gdal_path(source)
    try:
        return gdal.Open(str(path))
    except RuntimeError as err:
        raise QgsProcessingException(f"Could not open the raster '{path}': {err}") from None


@gdal_exceptions()
def read_band(source, band=1, window=None, name=None, native=False):
    """``band`` of ``source`` as float64 with nodata (and NaN) as NaN.

    Parameters
    ----------
    source : raster layer, path or ``gdal.Dataset``
    band : int
        1-based band number; a missing band is a clear error.
    window : (xoff, yoff, xsize, ysize), optional
        Cells to read (columns, rows); default the whole band.
    name : str, optional
        The raster's name in error messages.
    native : bool
        Return the band in its own data type, nodata cells as stored (codes of a Byte
        land-use band stay 1 byte per cell instead of 8).
    """
    ds = open_raster(source)
    if band < 1 or band > ds.RasterCount:
        raise QgsProcessingException(
            f"Raster '{name or ds.GetDescription()}' has {ds.RasterCount} band(s); band {band} does not exist."
        )
    rb = ds.GetRasterBand(band)
    xoff, yoff, xsize, ysize = window or (0, 0, ds.RasterXSize, ds.RasterYSize)
    raw = rb.ReadAsArray(xoff, yoff, xsize, ysize)
    if native:
        return raw
    data = raw.astype(np.float64)
    missing = nodata_cells(raw, rb.GetNoDataValue())
    if missing is not None:
        data[missing] = np.nan
    return data



def iter_band_strips(source, band=1, cells=STRIP_CELLS):
    """``(first_row, block)`` for strips of whole rows of ``band``, about ``cells`` cells each.

    Each block is float64 with nodata as NaN (as :func:`read_band`): memory stays bounded
    however large the raster.
    """
    ds = open_raster(source)
    rows, cols = ds.RasterYSize, ds.RasterXSize
    strip = max(1, cells // max(cols, 1))
    for r in range(0, rows, strip):
        yield r, read_band(ds, band, (0, r, cols, min(strip, rows - r)))


def data_cell_count(source, band=1, limit=None):
    """Cells of ``band`` holding a value (not nodata, finite), read strip by strip.

    With ``limit`` the count stops once it reaches ``limit`` (``limit=1``: is there any data?).
    """
    count = 0
    for _row, block in iter_band_strips(source, band):
        count += int(np.count_nonzero(np.isfinite(block)))
        if limit is not None and count >= limit:
            break
    return count


@gdal_exceptions()
def read_raster(layer, band=1, native=False):
    """Read ``band`` of a raster layer as a :class:`RasterGrid` (float64, nodata and NaN as NaN;
    ``native``: the band's own data type, nodata as stored, see :func:`read_band`)."""
    ds = open_raster(layer)
    data = read_band(ds, band, name=layer.name(), native=native)
    nodata = ds.GetRasterBand(band).GetNoDataValue()
    return RasterGrid(data, tuple(ds.GetGeoTransform()), layer.crs(), layer.name(), nodata)


@gdal_exceptions()
def warp(source, **options):
    """An in-memory copy of ``source`` resampled with ``gdal.Warp`` (``options`` as gdal.Warp's)."""
    return gdal.Warp("", open_raster(source), format="MEM", **options)


@gdal_exceptions()
def read_on_grid(source, geotransform, shape, wkt, resample="average"):
    """Band 1 of ``source`` resampled onto a north-up grid: float64, NaN where there is no value.

    Parameters
    ----------
    source : raster layer, path or ``gdal.Dataset``
    geotransform, shape : the target grid (GDAL geotransform, (rows, cols))
    wkt : str
        The target grid's CRS (source cells are reprojected when it differs).
    resample : str
        GDAL resampling (``"average"``, ``"sum"``, ``"mode"``, ...).
    """
    src = open_raster(source)
    rows, cols = shape
    warped = warp(
        src, outputBounds=grid_bounds(geotransform, shape), width=cols, height=rows, dstSRS=wkt,
        resampleAlg=resample, outputType=gdal.GDT_Float64, srcNodata=src.GetRasterBand(1).GetNoDataValue(),
        dstNodata=np.nan,
    )
    return read_band(warped)


@gdal_exceptions()
def burn_polygons(polygons, geotransform, shape, wkt):
    """Burn polygons into a grid: each cell whose centre is inside gets the polygon's id.

    Parameters
    ----------
    polygons : iterable of (bytes, int)
        WKB geometry (in the grid's CRS) and a positive integer id.
    geotransform, shape, wkt : the grid

    Returns
    -------
    (rows, cols) int32 array
        The id of the polygon covering each cell centre, 0 where none does.
    """
    srs = osr.SpatialReference()
    srs.ImportFromWkt(wkt)
    vds = ogr.GetDriverByName("Memory").CreateDataSource("")
    layer = vds.CreateLayer("polygons", srs, ogr.wkbUnknown)
    layer.CreateField(ogr.FieldDefn("rid", ogr.OFTInteger))
    for wkb, rid in polygons:
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("rid", int(rid))
        feature.SetGeometry(ogr.CreateGeometryFromWkb(bytes(wkb)))
        layer.CreateFeature(feature)
    rows, cols = shape
    mem = gdal.GetDriverByName("MEM").Create("", cols, rows, 1, gdal.GDT_Int32)
    mem.SetGeoTransform(tuple(geotransform))
    mem.SetProjection(wkt)
    gdal.RasterizeLayer(mem, [1], layer, options=["ATTRIBUTE=rid"])
    return mem.GetRasterBand(1).ReadAsArray()


@gdal_exceptions()
def write_geotiff(path, bands, geotransform, crs, nodata=None, dtype=gdal.GDT_Float32,
                  band_names=None, feedback=None):
    """Write 2-D arrays as a compressed GeoTIFF, atomically (see :func:`atomic_path`).

    ``crs`` is a ``QgsCoordinateReferenceSystem`` or WKT; NaN (and infinities) in float
    bands are written as ``nodata``.
    """
    if isinstance(bands, np.ndarray) and bands.ndim == 2:
        bands = [bands]
    rows, cols = bands[0].shape
    driver = gdal.GetDriverByName("GTiff")
    options = ["COMPRESS=DEFLATE", "TILED=YES", "BIGTIFF=IF_SAFER"]
    with atomic_path(path) as tmp:
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
        finally:
            ds = None
    return path


# ---------------------------------------------------------------------------
# Vectors and tables
# ---------------------------------------------------------------------------
@dataclass
class FeatureArrays:
    """Feature geometry (as points) and attributes as numpy arrays."""

    xy: np.ndarray  # (n, 2) in the layer CRS; polygons/lines by centroid
    values: dict = field(default_factory=dict)  # field name -> float array
    times: list = field(default_factory=list)  # time values (or [] without a time field)
    feature_ids: np.ndarray = None
    skipped_geometry: int = 0
    skipped_null: int = 0


def plain_value(value):
    """A value read from a layer as plain Python: QGIS nulls become None, dates Python dates,
    numpy scalars Python numbers, the rest as is."""
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    if isinstance(value, np.generic):
        return value.item()
    for attr in ("toPyDateTime", "toPyDate"):
        if hasattr(value, attr):
            return getattr(value, attr)()
    return value


def attribute_value(value):
    """A value to store in a feature attribute: numpy scalars as Python values, NaN and
    infinities as NULL (None)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


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
            time_value = plain_value(feature[time_field])
            ok = time_value is not None
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
            times.append(time_value)
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


def read_rows(source, feedback=None, fields=None):
    """All rows of a table (any QGIS table/vector source) as dicts of plain values, and the field names.

    ``fields``: read only these fields (default: all).
    """
    names = list(fields) if fields else source.fields().names()
    rows = []
    request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry)
    if fields:
        request.setSubsetOfAttributes(names, source.fields())
    for feature in source.getFeatures(request):
        if feedback is not None and feedback.isCanceled():
            raise QgsProcessingException("Cancelled by the user.")
        rows.append({n: plain_value(feature[n]) for n in names})
    return names, rows


def read_table(path):
    """All rows of a table/vector file as dicts (geometry and the GeoPackage ``fid`` left out)."""
    layer = QgsVectorLayer(path, "table", "ogr")
    if not layer.isValid():
        raise QgsProcessingException(f"Could not read the table {path}.")
    _names, rows = read_rows(layer)
    for row in rows:
        row.pop("fid", None)
    return rows


def write_vector(path, fields, geometry_type, crs, features, *, layer_name=None, driver="GPKG",
                 transform_context=None, feedback=None):
    """Write ``features`` (``QgsFeature``) to a new vector file, atomically.

    Parameters
    ----------
    path : str
    fields : QgsFields
    geometry_type : QgsWkbTypes.Type (``WkbType.NoGeometry`` for a table)
    crs : QgsCoordinateReferenceSystem or None
    features : iterable of QgsFeature
    layer_name : str, optional
        Layer name inside the file; default the file name without extension.
    driver : str
        OGR driver (``"GPKG"``, ``"ESRI Shapefile"``, ...).
    transform_context : QgsCoordinateTransformContext, optional
        The Processing context's (``context.transformContext()``).
    feedback : optional
        Cancelling stops the writing (nothing is left).
    """
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = driver
    options.layerName = layer_name or os.path.splitext(os.path.basename(path))[0]
    with atomic_path(path) as tmp:
        writer = QgsVectorFileWriter.create(
            tmp, fields, geometry_type, crs or QgsCoordinateReferenceSystem(),
            transform_context or QgsCoordinateTransformContext(), options,
        )
        try:
            if writer.hasError() != QgsVectorFileWriter.WriterError.NoError:
                raise QgsProcessingException(f"Could not write {path}: {writer.errorMessage()}")
            for i, feature in enumerate(features):
                if feedback is not None and i % 1000 == 0 and feedback.isCanceled():
                    raise QgsProcessingException("Cancelled by the user.")
                if not writer.addFeature(feature):
                    raise QgsProcessingException(f"Could not write {path}: {writer.errorMessage()}")
            writer.flushBuffer()
        finally:
            del writer  # closes the file
    return path


def _column_type(values):
    present = [v for v in values if v is not None]
    if any(isinstance(v, str) for v in present):
        return FieldType.String
    if present and all(isinstance(v, (int, np.integer)) for v in present):
        return FieldType.Int
    return FieldType.Double


def write_table(path, rows, *, layer_name=None):
    """``rows`` (dicts with the same keys, numbers or text) as a table, atomically.

    A ``.csv`` path gets comma-separated text (header from the keys, numbers at full
    precision, ``None`` as an empty cell); any other path a GeoPackage table without
    geometry (a column's type from all its values: text if any is text, integer if all
    are integers, else double; ``None`` cells do not count).
    """
    keys = list(rows[0]) if rows else []
    if path.lower().endswith(".csv"):
        with atomic_path(path) as tmp:
            with open(tmp, "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(keys)
                for row in rows:
                    writer.writerow(["" if row[k] is None else row[k] for k in keys])
        return path
    fields = QgsFields()
    for key in keys:
        fields.append(QgsField(key, _column_type([row[key] for row in rows])))

    def features():
        for row in rows:
            feature = QgsFeature(fields)
            feature.setAttributes([row[k] for k in keys])
            yield feature

    return write_vector(path, fields, WkbType.NoGeometry, None, features(), layer_name=layer_name)
