"""Files of the emission study: tables in and out, the analysis grid, raster reads.

Glue for ``carbon:emissionstudy`` (``algorithms/study/algorithm.py``): the
block sums and means themselves are ``core.aggregate``.
"""

import os
import re

import numpy as np
from osgeo import gdal, osr
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessingException,
    QgsRectangle,
    QgsVectorFileWriter,
    QgsVectorLayer,
)

from ...core.aggregate import block_count, block_mean, block_sum
from .._compat import FieldType, WkbType, gdal_exceptions
from ..layers import write_geotiff


class StudyCancelled(QgsProcessingException):
    """The user cancelled the study (nothing is left behind)."""


def plain_value(value):
    """A field value as None, int, float or str (QVariant nulls become None)."""
    if value is None:
        return None
    if hasattr(value, "isNull") and value.isNull():
        return None
    if isinstance(value, (int, float, str)):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def read_table(path):
    """All rows of a table/vector output as dicts (geometry ignored)."""
    layer = QgsVectorLayer(path, "table", "ogr")
    if not layer.isValid():
        raise QgsProcessingException(f"Could not read the table {path}.")
    names = [f.name() for f in layer.fields()]
    return [{n: plain_value(f[n]) for n in names if n != "fid"} for f in layer.getFeatures()]


def safe_field(name):
    """A GeoPackage-safe lower-case field name for a factor name (``"Real GDP"`` -> ``real_gdp``)."""
    name = re.sub(r"[^0-9A-Za-z_]+", "_", name.strip()).strip("_").lower()
    if not name or name[0].isdigit():
        name = f"f_{name}"
    return name


@gdal_exceptions()
def read_emission_array(path):
    """Band 1 of a GeoTIFF as float64, nodata as NaN."""
    ds = gdal.Open(path)
    band = ds.GetRasterBand(1)
    data = band.ReadAsArray().astype(np.float64)
    if band.GetNoDataValue() is not None:
        data[data == band.GetNoDataValue()] = np.nan
    return data


@gdal_exceptions()
def analysis_grids(years, emissions, factors, cell, staging, feedback, fail):
    """Sum emissions and average factors into analysis cells per year (GeoTIFF + GeoPackage).

    ``fail(message)`` raises the user-facing error. Returns the grid description
    (``grids``, ``cells``, ``fields``, ``dropped``, ``cell_size``, ``factor``, ``crs_wkt``).
    """
    grids, cells, fields = {}, {}, {}
    names = list(factors)
    for name in names:
        fields[name] = safe_field(name)
    info = {"grids": grids, "cells": cells, "fields": fields, "dropped": {}}
    for k, year in enumerate(years):
        if feedback.isCanceled():
            raise StudyCancelled("Cancelled by the user.")
        ds = gdal.Open(emissions[year])
        gt = ds.GetGeoTransform()
        if gt[2] != 0 or gt[4] != 0:
            fail("The emission grid is rotated; rotated rasters are not supported.")
        band = ds.GetRasterBand(1)
        data = band.ReadAsArray().astype(np.float64)
        nodata = band.GetNoDataValue()
        if nodata is not None:
            data[data == nodata] = np.nan
        fine = abs(gt[1])
        if cell <= 0:
            factor = 1
        else:
            factor = max(1, int(round(cell / fine)))
            if abs(factor * fine - cell) > 1e-6 * cell:
                feedback.pushWarning(
                    f"Analysis cell size {cell:g} is not a multiple of the emission cell "
                    f"size {fine:g}; using {factor * fine:g}."
                )
        info["cell_size"] = factor * fine
        info["factor"] = factor
        wkt = ds.GetProjection()
        srs_crs = QgsCoordinateReferenceSystem.fromWkt(wkt)
        info["crs_wkt"] = wkt
        coarse_gt = (gt[0], gt[1] * factor, 0.0, gt[3], 0.0, gt[5] * factor)
        em = block_sum(data, factor)
        count = block_count(data, factor)
        bands = [em]
        band_names = ["emissions"]
        factor_grids = {}
        for name in names:
            fine_factor = warp_to(factors[name][year], ds)
            factor_grids[name] = block_mean(fine_factor, factor)
            bands.append(factor_grids[name])
            band_names.append(fields[name])
        ds = None
        valid = np.isfinite(em)
        for grid in factor_grids.values():
            valid &= np.isfinite(grid)
        dropped = int(np.isfinite(em).sum() - valid.sum())
        info["dropped"][year] = dropped
        if dropped:
            feedback.pushWarning(
                f"{year}: {dropped} analysis cell(s) without a value for every factor were "
                "left out of the analysis grid."
            )
        if valid.sum() < 3:
            fail(
                f"{year}: only {int(valid.sum())} analysis cell(s) hold data; make the analysis cell "
                "size smaller."
            )
        write_geotiff(
            os.path.join(staging, f"analysis_{year}.tif"),
            bands,
            coarse_gt,
            srs_crs,
            nodata=-9999.0,
            band_names=band_names,
            feedback=feedback,
        )
        path = os.path.join(staging, f"analysis_{year}.gpkg")
        write_grid(path, year, coarse_gt, em, count, factor_grids, fields, valid, srs_crs)
        grids[year] = path
        cells[year] = int(valid.sum())
        feedback.setProgress(100.0 * (k + 1) / len(years))
    return info


@gdal_exceptions()
def warp_to(path, reference):
    """Read ``path`` resampled (average) onto the grid of the GDAL dataset ``reference``."""
    gt = reference.GetGeoTransform()
    cols, rows = reference.RasterXSize, reference.RasterYSize
    bounds = (gt[0], gt[3] + rows * gt[5], gt[0] + cols * gt[1], gt[3])
    src = gdal.Open(path)
    src_nodata = src.GetRasterBand(1).GetNoDataValue()
    srs = osr.SpatialReference()
    srs.ImportFromWkt(reference.GetProjection())
    out = gdal.Warp(
        "",
        src,
        format="MEM",
        outputBounds=bounds,
        width=cols,
        height=rows,
        dstSRS=srs.ExportToWkt(),
        resampleAlg="average",
        outputType=gdal.GDT_Float64,
        srcNodata=src_nodata,
        dstNodata=np.nan,
    )
    data = out.GetRasterBand(1).ReadAsArray().astype(np.float64)
    return data


def write_grid(path, year, gt, em, count, factor_grids, fields, valid, crs):
    """The analysis cells of one year as square polygons with emissions and factor means."""
    qfields = QgsFields()
    for name, kind in (
        ("cell_id", FieldType.Int),
        ("row", FieldType.Int),
        ("col", FieldType.Int),
        ("year", FieldType.Int),
        ("emissions", FieldType.Double),
        ("fine_cells", FieldType.Int),
    ):
        qfields.append(QgsField(name, kind))
    for name in factor_grids:
        qfields.append(QgsField(fields[name], FieldType.Double))
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = f"analysis_{year}"
    writer = QgsVectorFileWriter.create(
        path, qfields, WkbType.Polygon, crs, QgsCoordinateTransformContext(), options
    )
    if writer.hasError() != QgsVectorFileWriter.WriterError.NoError:
        raise QgsProcessingException(f"Could not write {path}: {writer.errorMessage()}")
    rows, cols = np.nonzero(valid)
    for i, (r, c) in enumerate(zip(rows.tolist(), cols.tolist())):
        x0 = gt[0] + c * gt[1]
        y0 = gt[3] + r * gt[5]
        feature = QgsFeature(qfields)
        feature.setGeometry(QgsGeometry.fromRect(QgsRectangle(x0, y0 + gt[5], x0 + gt[1], y0)))
        attrs = [i + 1, r, c, year, float(em[r, c]), int(count[r, c])]
        attrs += [float(factor_grids[name][r, c]) for name in factor_grids]
        feature.setAttributes(attrs)
        writer.addFeature(feature)
    del writer


def write_table(path, rows):
    """``rows`` (dicts with the same keys) as a GeoPackage table without geometry."""
    fields = QgsFields()
    for key, value in rows[0].items():
        fields.append(QgsField(key, FieldType.Int if isinstance(value, int) else FieldType.Double))
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    writer = QgsVectorFileWriter.create(
        path,
        fields,
        WkbType.NoGeometry,
        QgsCoordinateReferenceSystem(),
        QgsCoordinateTransformContext(),
        options,
    )
    for row in rows:
        feature = QgsFeature(fields)
        feature.setAttributes([row[k] for k in rows[0]])
        writer.addFeature(feature)
    del writer


def copy_regions(source, path, context):
    """A copy of the regions layer beside the results (the report draws it under the maps)."""
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = "regions"
    writer = QgsVectorFileWriter.create(
        path, source.fields(), source.wkbType(), source.sourceCrs(), context.transformContext(), options
    )
    for feature in source.getFeatures():
        writer.addFeature(feature)
    del writer
