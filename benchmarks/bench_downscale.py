"""Downscaling at national scale: ~10 million 1 km cells, 340 regions.

1. Core Eq. 1 allocation (``core.downscaling.allocate_emissions``: block-wise group sums)
   against a straightforward reference: one numpy mask per region and category.
2. The whole ``carbon:downscale`` algorithm through ``qgis_process.bin`` on GeoTIFF inputs
   (1 km land use, 500 m light = 41 million cells, 1 km population, 340 region polygons):
   wall and CPU time, QGIS start-up alone, and the child's peak memory.

Run: ``python benchmarks/bench_downscale.py [--rows 3200 --cols 3200 --regions-x 20 --regions-y 17]``
"""

import argparse
import csv
import tempfile
from pathlib import Path

import numpy as np
from _common import peak_rss_mib, qgis_process, qgis_startup, report, timed
from carbon_spacetime.algorithms._compat import gdal_exceptions
from carbon_spacetime.core.downscaling import allocate_emissions
from osgeo import gdal, ogr, osr

ALBERS = "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"


def synthetic(rows, cols, nrx, nry, seed=0):
    rng = np.random.default_rng(seed)
    codes = np.array([0, 1, 2, 3], dtype=np.uint8)
    categories = rng.choice(codes, size=(rows, cols), p=[0.3, 0.05, 0.05, 0.6])
    ry = np.minimum(np.arange(rows) * nry // rows, nry - 1)
    rx = np.minimum(np.arange(cols) * nrx // cols, nrx - 1)
    region = (ry[:, None] * nrx + rx[None, :] + 1).astype(np.int32)
    light = (rng.gamma(0.6, 8.0, size=(rows, cols)) * (rng.random((rows, cols)) > 0.2)).astype(np.float64)
    population = rng.gamma(1.0, 200.0, size=(rows, cols))
    totals = np.zeros((nrx * nry + 1, 4))
    totals[1:, 1:] = rng.random((nrx * nry, 3)) * 5.0
    return categories, region, light, population, totals


def reference_masked_loop(categories, region, totals, light, population):
    """Eq. 1 one region and category at a time with boolean masks (no fallback)."""
    out = np.where(region > 0, 0.0, np.nan)
    for r in range(1, totals.shape[0]):
        in_region = region == r
        for c in (1, 2, 3):
            mask = in_region & (categories == c)
            dn = (light if c < 3 else population)[mask]
            s = dn.sum()
            if s > 0:
                out[mask] = dn / s * totals[r, c]
    return out


def write_inputs(folder, categories, light_fine, population, nrx, nry, totals, cell=1000.0):
    srs = osr.SpatialReference()
    srs.ImportFromProj4(ALBERS)
    wkt = srs.ExportToWkt()
    rows, cols = categories.shape
    x0, y1 = 1_000_000.0, 5_000_000.0

    def tif(name, array, size, dtype, nodata):
        ds = gdal.GetDriverByName("GTiff").Create(
            str(folder / name), array.shape[1], array.shape[0], 1, dtype, ["TILED=YES", "BIGTIFF=IF_SAFER"])
        ds.SetGeoTransform((x0, size, 0, y1, 0, -size))
        ds.SetProjection(wkt)
        ds.GetRasterBand(1).SetNoDataValue(nodata)
        ds.GetRasterBand(1).WriteArray(array)
        ds = None
        return str(folder / name)

    codes = np.array([99, 51, 53, 12], dtype=np.uint8)[categories]
    paths = {
        "landuse": tif("landuse.tif", codes, cell, gdal.GDT_Byte, 0),
        "light": tif("light.tif", light_fine.astype(np.float32), cell / 2, gdal.GDT_Float32, -9999),
        "population": tif("population.tif", population.astype(np.float32), cell, gdal.GDT_Float32, -9999),
    }
    ods = ogr.GetDriverByName("GPKG").CreateDataSource(str(folder / "regions.gpkg"))
    layer = ods.CreateLayer("regions", srs, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("region", ogr.OFTString))
    for j in range(nry):
        for i in range(nrx):
            c0, c1 = i * cols // nrx, (i + 1) * cols // nrx
            r0, r1 = j * rows // nry, (j + 1) * rows // nry
            xa, xb = x0 + c0 * cell, x0 + c1 * cell
            ya, yb = y1 - r1 * cell, y1 - r0 * cell
            f = ogr.Feature(layer.GetLayerDefn())
            f.SetField("region", f"R{j * nrx + i + 1}")
            ring = f"{xa} {ya},{xb} {ya},{xb} {yb},{xa} {yb},{xa} {ya}"
            f.SetGeometry(ogr.CreateGeometryFromWkt(f"POLYGON(({ring}))"))
            layer.CreateFeature(f)
    ods = None
    paths["regions"] = str(folder / "regions.gpkg")
    with open(folder / "totals.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["region", "year", "category", "emissions"])
        for r in range(1, totals.shape[0]):
            for c in (1, 2, 3):
                w.writerow([f"R{r}", 2020, c, repr(float(totals[r, c]))])
    paths["totals"] = str(folder / "totals.csv")
    return paths


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=3200)
    parser.add_argument("--cols", type=int, default=3200)
    parser.add_argument("--regions-x", type=int, default=20)
    parser.add_argument("--regions-y", type=int, default=17)
    parser.add_argument("--skip-algorithm", action="store_true")
    parser.add_argument("--quick", action="store_true", help="a 1000 x 1000 grid (1 million cells)")
    args = parser.parse_args()
    if args.quick:
        args.rows = args.cols = 1000
    rows, cols, nrx, nry = args.rows, args.cols, args.regions_x, args.regions_y
    categories, region, light, population, totals = synthetic(rows, cols, nrx, nry)
    cells = rows * cols
    print(f"grid {rows} x {cols} = {cells:,} cells, {nrx * nry} regions x 3 categories", flush=True)
    base_mem = peak_rss_mib()

    t_ours, result = timed(allocate_emissions, categories, region, totals, light, population)
    mem_ours = peak_rss_mib()
    t_ref, ref = timed(reference_masked_loop, categories, region, totals, light, population)
    np.testing.assert_allclose(result.emissions, ref, rtol=1e-10, atol=1e-15)
    report("core allocate_emissions vs per-region/category mask loop", t_ours, t_ref,
           f"{cells:,} cells, max |allocated - table| {result.max_abs_error:.2e}, process peak "
           f"{mem_ours:.0f} MiB with inputs of {base_mem:.0f} MiB")
    del ref

    if args.skip_algorithm:
        return
    with tempfile.TemporaryDirectory(prefix="bench_downscale_") as tmp:
        folder = Path(tmp)
        rng = np.random.default_rng(1)
        light_fine = np.repeat(np.repeat(light, 2, axis=0), 2, axis=1)
        light_fine *= rng.uniform(0.5, 1.5, light_fine.shape)
        paths = write_inputs(folder, categories, light_fine, population, nrx, nry, totals)
        del light_fine
        run = qgis_process("carbon:downscale", {
            "LANDUSE": paths["landuse"], "LIGHT": paths["light"], "POPULATION": paths["population"],
            "TOTALS": paths["totals"], "REGIONS": paths["regions"], "REGION_FIELD": "region", "YEAR": 2020,
            "OUTPUT": folder / "emissions.tif", "OUTPUT_REPORT": folder / "report.csv"})
        res = run["results"]
        start = qgis_startup()
        print(f"carbon:downscale through qgis_process: {run['wall']:.1f} s wall, CPU {run['cpu']:.1f} s "
              f"(QGIS start-up alone {start:.1f} s; the run also reads and resamples the GeoTIFFs and "
              f"writes the result), peak memory {run['peak_mib']:.0f} MiB, {cells:,} cells (light "
              f"{4 * cells:,} cells at 500 m), table {res['TOTAL_TABLE']:.6f}, allocated "
              f"{res['TOTAL_ALLOCATED']:.6f}, max |allocated - table| {res['MAX_ABS_ERROR']:.2e}", flush=True)
        print(f"downscaling ratio mask loop (core only, {t_ref:.1f} s) / ours: core in plain Python "
              f"{t_ref / t_ours:.1f}x, whole qgis_process run (I/O included) {t_ref / run['wall']:.1f}x",
              flush=True)


if __name__ == "__main__":
    # A script of its own: switching GDAL to exceptions for the whole process is fine here.
    with gdal_exceptions():
        main()
