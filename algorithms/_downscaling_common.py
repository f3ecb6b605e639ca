"""QGIS/GDAL glue shared by the downscaling algorithms: grids, alignment, regions, tables.

No math here: reading layers into arrays on the land-use grid and handing them to
``core.landuse`` / ``core.downscaling``.
"""

import math

import numpy as np
from osgeo import osr
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsUnitTypes,
)

from ..core.downscaling import aggregate_blocks, counts_per_cell, nesting_factors, region_key
from ..core.grid import grid_bounds
from ..core.landuse import cas_reclass_table, validate_table
from ._compat import DISTANCE_METERS, gdal_exceptions
from ._io import burn_polygons, data_cell_count, open_raster, read_band, read_on_grid, read_rows, warp

SCHEMES = ["CAS/RESDC LUCC codes (built-in table)", "Custom reclass table (RECLASS_TABLE)"]
SCHEME = "SCHEME"
RECLASS_TABLE = "RECLASS_TABLE"


def scheme_parameters(alg):
    """``(parameter, help)`` of SCHEME and RECLASS_TABLE: how ``alg`` maps land-use codes to emission categories."""
    params = [
        (QgsProcessingParameterEnum(SCHEME, alg.tr("Reclassification scheme"),
                                    options=[alg.tr(s) for s in SCHEMES], defaultValue=0),
         "CAS/RESDC LUCC codes, or a custom code -> category table."),
        (QgsProcessingParameterFeatureSource(RECLASS_TABLE, alg.tr("Reclass table (custom scheme)"),
                                             [QgsProcessing.SourceType.TypeVector], optional=True),
         "Table with fields 'code' (land-use code) and 'category' (0 none, 1 urban, 2 industrial, "
         "3 rural and other)."),
    ]
    return params


def scheme_table(alg, parameters, context, feedback=None):
    """The code -> category table SCHEME chooses: the built-in CAS/RESDC one, or RECLASS_TABLE (checked)."""
    if alg.parameterAsEnum(parameters, SCHEME, context) == 1:
        return reclass_table(alg.parameterAsSource(parameters, RECLASS_TABLE, context), feedback)
    return cas_reclass_table()


class Grid:
    """The analysis grid: geotransform, shape, CRS (WKT and QGIS), and the land-use codes on it."""

    def __init__(self, codes, gt, wkt, qgs_crs, nodata):
        self.codes = codes
        self.shape = codes.shape
        self.gt = tuple(gt)
        self.wkt = wkt
        self.crs = qgs_crs
        self.nodata = nodata

    @property
    def cell_area(self):
        return abs(self.gt[1] * self.gt[5])

    @property
    def bounds(self):
        return grid_bounds(self.gt, self.shape)


@gdal_exceptions()
def landuse_grid(layer, cell_size, feedback=None):
    """Read the land-use raster as the analysis grid (reprojected/resampled if needed).

    A geographic CRS has no cell size in metres: without ``cell_size`` this is an
    error; with it the land use is warped (mode) to a Lambert azimuthal equal-area
    grid centred on the raster. A projected raster with a different ``cell_size``
    is resampled by majority (mode).
    """
    crs = layer.crs()
    if not crs.isValid():
        raise QgsProcessingException(
            "The land-use raster has no coordinate reference system. Set its CRS and run again."
        )
    src = open_raster(layer)
    gt = src.GetGeoTransform()
    if gt[2] or gt[4]:
        raise QgsProcessingException("The land-use raster is rotated; warp it to a north-up grid first.")
    nodata = src.GetRasterBand(1).GetNoDataValue()
    if crs.isGeographic():
        if not cell_size:
            raise QgsProcessingException(
                f"The land-use raster is in a geographic CRS ({crs.authid() or 'degrees'}): its cells have "
                "no size in metres and unequal areas. Reproject it to an equal-area projected CRS, or give "
                "CELL_SIZE in metres to have it reprojected here (Lambert azimuthal equal-area)."
            )
        ext = layer.extent()
        lon0, lat0 = ext.center().x(), ext.center().y()
        check_grid_memory(ext.width() * 111_320.0 * max(math.cos(math.radians(lat0)), 0.01) / cell_size,
                          ext.height() * 110_574.0 / cell_size, cell_size)
        srs = osr.SpatialReference()
        srs.ImportFromProj4(f"+proj=laea +lat_0={lat0:.6f} +lon_0={lon0:.6f} +datum=WGS84 +units=m +no_defs")
        wkt = srs.ExportToWkt()
        if feedback:
            feedback.pushInfo(
                f"Reprojecting the land use to Lambert azimuthal equal-area, {cell_size:g} m cells."
            )
        warped = warp(src, dstSRS=wkt, xRes=cell_size, yRes=cell_size, resampleAlg="mode",
                      targetAlignedPixels=True)
        codes = read_band(warped)
        return Grid(codes, warped.GetGeoTransform(), wkt, QgsCoordinateReferenceSystem(wkt), nodata)
    factor = QgsUnitTypes.fromUnitToUnitFactor(crs.mapUnits(), DISTANCE_METERS)
    if not math.isfinite(factor) or factor <= 0:
        raise QgsProcessingException(
            f"The land-use CRS {crs.authid()} has units that cannot be converted to metres. "
            "Reproject it to a projected CRS in metres."
        )
    wkt = src.GetProjection() or crs.toWkt()
    native = abs(gt[1]) * factor
    if cell_size and abs(cell_size - native) > 1e-6 * native:
        res = cell_size / factor
        check_grid_memory(src.RasterXSize * abs(gt[1]) / res, src.RasterYSize * abs(gt[5]) / res, cell_size)
        if feedback:
            feedback.pushInfo(
                f"Resampling the land use from {native:g} m to {cell_size:g} m cells (majority)."
            )
        warped = warp(src, xRes=res, yRes=res, resampleAlg="mode", targetAlignedPixels=True)
        return Grid(read_band(warped), warped.GetGeoTransform(), wkt, crs, nodata)
    return Grid(read_band(src), gt, wkt, crs, nodata)


#: Working memory of the downscaling per grid cell (bytes): codes, categories, masks, light,
#: population, region index, emissions and temporaries (float64).
BYTES_PER_GRID_CELL = 96


def check_grid_memory(cols, rows, cell_size):
    """Refuse a CELL_SIZE whose grid would not fit in memory, with the numbers and what to change."""
    from ._clustering_common import _available_memory

    cells = float(cols) * float(rows)
    need = cells * BYTES_PER_GRID_CELL
    available = _available_memory() or 8 * 2 ** 30
    if not math.isfinite(need) or need > 0.8 * available:
        raise QgsProcessingException(
            f"CELL_SIZE {cell_size:g} m gives a grid of about {cols:,.0f} x {rows:,.0f} = {cells:.3g} cells, "
            f"which needs about {need / 2 ** 30:.1f} GiB of memory; {available / 2 ** 30:.1f} GiB are available. "
            "Use a larger CELL_SIZE (e.g. 1000 m) or clip the land use to the study area."
        )


@gdal_exceptions()
def align_to_grid(layer, grid, how, name, feedback=None):
    """Values of ``layer`` on ``grid`` (float64, NaN nodata).

    ``how`` is ``"mean"`` (intensities such as light: mean of the sub-cells) or
    ``"sum"`` (counts such as population: sum of the sub-cells). When the layer's
    cells nest exactly in the grid (same CRS, integer ratio, aligned origin) the
    sub-cells are aggregated exactly in core; otherwise GDAL warps with ``average``
    or ``sum`` resampling (never point sampling when coarsening).
    """
    src = open_raster(layer)
    rows, cols = grid.shape
    same_crs = layer.crs() == grid.crs
    if same_crs:
        nest = nesting_factors(src.GetGeoTransform(), (src.RasterYSize, src.RasterXSize), grid.gt, grid.shape)
        if nest is not None:
            row0, col0, fy, fx = nest
            data = np.empty((rows, cols))
            # strips of coarse rows keep the fine-resolution temporaries small (a 500 m national grid
            # has 40 million cells)
            strip = max(1, (1 << 22) // max(cols * fx * fy, 1))
            for r in range(0, rows, strip):
                if feedback is not None and feedback.isCanceled():
                    raise QgsProcessingException("Cancelled by the user.")
                n = min(strip, rows - r)
                fine = read_band(src, window=(col0, row0 + r * fy, cols * fx, n * fy))
                data[r:r + n] = aggregate_blocks(fine, fy, fx, how) if (fy, fx) != (1, 1) else fine
            _check_overlap(data, name, src, feedback)
            if feedback:
                feedback.pushInfo(f"{name} aggregated onto the land-use grid ({fy} x {fx} sub-cells, {how}).")
            return data
    src_gt = src.GetGeoTransform()
    src_area = abs(src_gt[1] * src_gt[5])
    alg = "sum" if (how == "sum" and same_crs and src_area < grid.cell_area) else "average"
    data = read_on_grid(src, grid.gt, grid.shape, grid.wkt, alg)
    if how == "sum" and alg == "average" and not same_crs:
        # counts per source cell -> counts per grid cell (same density)
        data = counts_per_cell(data, grid.cell_area, _cell_area_in_grid_units(layer, grid))
    _check_overlap(data, name, src, feedback)
    if feedback:
        feedback.pushInfo(f"{name} aligned to the land-use grid (GDAL warp, {alg} resampling).")
    return data


def _cell_area_in_grid_units(layer, grid):
    """Approximate area of one ``layer`` cell in the grid CRS (for count conversion)."""
    ext = layer.extent()
    tr = QgsCoordinateTransform(layer.crs(), grid.crs, layer.transformContext())
    box = tr.transformBoundingBox(ext)
    return max(box.width() * box.height() / max(layer.width() * layer.height(), 1), 1e-12)


def _check_overlap(data, name, src=None, feedback=None):
    """No value on the grid: an all-nodata raster uses the fallback proxies; no overlap is an error."""
    if not np.isfinite(data).any() and src is not None and data_cell_count(src, limit=1) == 0:
        if feedback is not None:
            feedback.pushWarning(
                f"The {name} raster has no data (every cell is nodata): it gives weight 0 everywhere, so the "
                "documented fallback is used (light -> population -> area within each region and category)."
            )
        return
    if not np.isfinite(data).any():
        raise QgsProcessingException(
            f"The {name} raster does not overlap the land-use raster (no {name} value falls on the grid). "
            "Check that both cover the same area and that their CRSs are set correctly."
        )


@gdal_exceptions()
def rasterise_regions(source, field, grid, context, feedback=None):
    """Burn region polygons into the grid (cell centres), return (index array, region keys).

    ``index`` is 1..R (0 outside every region); ``keys[i - 1]`` is region i's
    normalised identifier (``core.downscaling.region_key``). Polygons sharing a
    value form one region.
    """
    idx = source.fields().lookupField(field)
    if idx < 0:
        raise QgsProcessingException(f"The region layer has no field '{field}'. Choose REGION_FIELD.")
    request = QgsFeatureRequest().setDestinationCrs(grid.crs, context.transformContext())
    keys, lookup, polygons, missing = [], {}, [], 0
    for feature in source.getFeatures(request):
        if feedback is not None and feedback.isCanceled():
            raise QgsProcessingException("Cancelled by the user.")
        key = region_key(feature.attribute(idx))
        geom = feature.geometry()
        if key is None or geom is None or geom.isEmpty():
            missing += 1
            continue
        if key not in lookup:
            keys.append(key)
            lookup[key] = len(keys)
        polygons.append((bytes(geom.asWkb()), lookup[key]))
    if missing and feedback is not None:
        feedback.pushWarning(f"{missing} region feature(s) without geometry or {field} value were skipped.")
    if not keys:
        raise QgsProcessingException("The region layer has no usable polygon.")
    index = burn_polygons(polygons, grid.gt, grid.shape, grid.wkt)
    if not (index > 0).any():
        raise QgsProcessingException(
            "No region polygon covers a cell of the land-use raster: the region layer and the rasters do "
            "not overlap. Check their extents and CRSs."
        )
    return index, keys


def reclass_table(source, feedback=None):
    """The ``code`` -> ``category`` pairs of a custom reclass table, checked."""
    if source is None:
        raise QgsProcessingException(
            "SCHEME is 'custom' but no RECLASS_TABLE was given: add a table with fields code and category."
        )
    names, rows = read_rows(source, feedback)
    lower = {n.lower(): n for n in names}
    if "code" not in lower or "category" not in lower:
        raise QgsProcessingException(
            f"RECLASS_TABLE needs fields 'code' and 'category' (it has: {', '.join(names)})."
        )
    pairs = [(r[lower["code"]], r[lower["category"]]) for r in rows]
    try:
        return validate_table(pairs)
    except ValueError as error:
        raise QgsProcessingException(str(error)) from None
