"""Downscale every sample year through ``qgis_process`` and check the totals.

Run from the repository root::

    python -m sampledata.demo_downscaling OUT_DIR [--shrink K]

Generates the Liaoning sample dataset into ``OUT_DIR/data`` (unless it is there),
runs ``carbon:downscale`` for each year through ``tools/qgis_process.sh``, then
``carbon:emissionstatistics`` on the five rasters, and checks that each raster adds
up to the year's table total. Prints the outputs and the time taken.
"""

import argparse
import csv
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from osgeo import gdal

from . import liaoning

ROOT = Path(__file__).resolve().parent.parent


def _qgis_process(alg, params):
    cmd = [str(ROOT / "tools" / "qgis_process.sh"), "--json", "run", alg, "--"]
    for key, value in params.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        cmd += [f"{key}={v}" for v in values]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-2000:] + proc.stderr[-2000:])
        raise SystemExit(f"{alg} failed")
    return json.loads(proc.stdout[proc.stdout.index("{"):])["results"]


def _raster_sum(path):
    ds = gdal.Open(str(path))
    band = ds.GetRasterBand(1)
    data = band.ReadAsArray().astype(float)
    nodata = band.GetNoDataValue()
    return float(data[(data != nodata) & np.isfinite(data)].sum())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--shrink", type=int, default=1)
    args = parser.parse_args(argv)
    out = Path(args.out_dir)
    start = time.perf_counter()
    data = liaoning.generate(out / "data", shrink=args.shrink)
    print(f"sample data: {out / 'data'} ({time.perf_counter() - start:.1f} s)")
    with open(data["totals"], newline="") as fh:
        rows = list(csv.DictReader(fh))
    rasters = []
    for year in liaoning.YEARS:
        t0 = time.perf_counter()
        target = out / f"emissions_{year}.tif"
        result = _qgis_process("carbon:downscale", {
            "LANDUSE": data["landuse"][year], "LIGHT": data["light"][year],
            "POPULATION": data["population"][year], "TOTALS": data["totals"], "REGIONS": data["cities"],
            "REGION_FIELD": "region", "YEAR": year, "OUTPUT": target,
            "OUTPUT_REPORT": out / f"allocation_{year}.csv",
        })
        table = sum(float(r["emissions"]) for r in rows if int(r["year"]) == year)
        gridded = _raster_sum(target)
        ok = abs(gridded - table) <= 1e-9 * table
        print(f"{year}: table {table:.3f} Mt, grid {gridded:.6f} Mt, max |allocated - table| "
              f"{result['MAX_ABS_ERROR']:.1e} -> {'OK' if ok else 'MISMATCH'} "
              f"({time.perf_counter() - t0:.1f} s)")
        if not ok:
            raise SystemExit(f"{year}: the gridded emissions do not add up to the table total")
        rasters.append(str(target))
    stats = _qgis_process("carbon:emissionstatistics", {
        "RASTERS": rasters, "OUTPUT": out / "emission_statistics.csv",
        "OUTPUT_HTML": out / "emission_statistics.html",
    })
    print(f"statistics: {stats['OUTPUT']}, report: {stats['OUTPUT_HTML']}")
    print(f"done in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
