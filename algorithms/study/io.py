"""Files of the emission study: the analysis grid (GeoTIFF + GeoPackage per year), the regions copy.

Glue for ``carbon:emissionstudy`` (``algorithms/study/algorithm.py``): reading and writing
go through ``algorithms/_io``; the block sums and means are ``core.aggregate``, the grid
arithmetic ``core.grid``.
"""

import os
import re

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessingException,
    QgsRectangle,
)

from ...core.aggregate import block_count, block_mean, block_sum
from ...core.grid import cell_bounds, coarse_geotransform, coarsening_factor, complete_cells
from .._compat import FieldType, WkbType
from .._io import open_raster, read_band, read_on_grid, write_geotiff, write_vector


class StudyCancelled(QgsProcessingException):
    """The user cancelled the study (nothing is left behind)."""


def safe_field(name):
    """A GeoPackage-safe lower-case field name for a factor name (``"Real GDP"`` -> ``real_gdp``)."""
    name = re.sub(r"[^0-9A-Za-z_]+", "_", name.strip()).strip("_").lower()
    if not name or name[0].isdigit():
        name = f"f_{name}"
    return name


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
        ds = open_raster(emissions[year])
        gt = ds.GetGeoTransform()
        if gt[2] != 0 or gt[4] != 0:
            fail("The emission grid is rotated; rotated rasters are not supported.")
        data = read_band(ds)
        fine = abs(gt[1])
        factor, exact = coarsening_factor(cell, fine)
        if not exact:
            feedback.pushWarning(
                f"Analysis cell size {cell:g} is not a multiple of the emission cell "
                f"size {fine:g}; using {factor * fine:g}."
            )
        info["cell_size"] = factor * fine
        info["factor"] = factor
        wkt = ds.GetProjection()
        srs_crs = QgsCoordinateReferenceSystem.fromWkt(wkt)
        info["crs_wkt"] = wkt
        coarse_gt = coarse_geotransform(gt, factor)
        em = block_sum(data, factor)
        count = block_count(data, factor)
        bands = [em]
        band_names = ["emissions"]
        factor_grids = {}
        for name in names:
            fine_factor = read_on_grid(factors[name][year], gt, data.shape, wkt)
            factor_grids[name] = block_mean(fine_factor, factor)
            bands.append(factor_grids[name])
            band_names.append(fields[name])
        ds = None
        valid = complete_cells(em, *factor_grids.values())
        dropped = int(complete_cells(em).sum() - valid.sum())
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
    rows, cols = np.nonzero(valid)
    boxes = cell_bounds(gt, rows, cols)

    def features():
        for i, (r, c) in enumerate(zip(rows.tolist(), cols.tolist())):
            feature = QgsFeature(qfields)
            feature.setGeometry(QgsGeometry.fromRect(QgsRectangle(*boxes[i])))
            attrs = [i + 1, r, c, year, float(em[r, c]), int(count[r, c])]
            attrs += [float(factor_grids[name][r, c]) for name in factor_grids]
            feature.setAttributes(attrs)
            yield feature

    write_vector(path, qfields, WkbType.Polygon, crs, features(), layer_name=f"analysis_{year}")


def copy_regions(source, path, context):
    """A copy of the regions layer beside the results (the report draws it under the maps)."""
    write_vector(path, source.fields(), source.wkbType(), source.sourceCrs(), source.getFeatures(),
                 layer_name="regions", transform_context=context.transformContext())
