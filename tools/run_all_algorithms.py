"""Run every Carbon Spacetime algorithm through qgis_process on geographic (EPSG:4326) input.

    /usr/bin/python3 tools/run_all_algorithms.py [WORK_FOLDER]

Each algorithm that accepts vector input gets a layer in EPSG:4326 (points in
Liaoning with year, co2, light and pop fields; the sample cities reprojected to
EPSG:4326); the raster tools get the generated sample rasters (land use also
warped to EPSG:4326). Python's DeprecationWarnings are shown in the QGIS process
(PYTHONWARNINGS=default) and any warning raised from the plugin's own files counts
as a failure. Prints one line per algorithm and exits non-zero when any fails.
Used on QGIS 3.22 (this machine) and 3.40 (tools/other_debian.sh run ...).
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
from osgeo import gdal, ogr, osr

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from sampledata import liaoning  # noqa: E402

OUR_WARNING = re.compile(r"carbon_spacetime/[\w/]+\.py:\d+: (\w*Warning): (.*)")
ANY_DEPRECATION = re.compile(r"(DeprecationWarning|is deprecated)")


def _points_4326(path, n_per_year=80, years=(2015, 2020), seed=7):
    rng = np.random.default_rng(seed)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    layer = ds.CreateLayer("points", srs, ogr.wkbPoint)
    for name, kind in (("year", ogr.OFTInteger), ("co2", ogr.OFTReal), ("light", ogr.OFTReal), ("pop", ogr.OFTReal)):
        layer.CreateField(ogr.FieldDefn(name, kind))
    lon = rng.uniform(120.0, 125.0, n_per_year)
    lat = rng.uniform(39.0, 43.0, n_per_year)
    for k, year in enumerate(years):
        light = rng.gamma(2.0, 5.0, n_per_year)
        pop = rng.gamma(3.0, 100.0, n_per_year)
        co2 = 2.0 + 0.3 * light + 0.01 * pop * (1 + 0.1 * (lon - 122)) + rng.normal(0, 1, n_per_year) + k
        for i in range(n_per_year):
            f = ogr.Feature(layer.GetLayerDefn())
            f.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({lon[i] + 0.01 * k} {lat[i]})"))
            f.SetField("year", int(year))
            f.SetField("co2", float(max(co2[i], 0.1)))
            f.SetField("light", float(light[i]))
            f.SetField("pop", float(pop[i]))
            layer.CreateFeature(f)
    ds = None


def prepare(work):
    sample = os.path.join(work, "sample")
    paths = liaoning.generate(sample, years=(2015, 2020), shrink=5)
    gdal.UseExceptions()  # compat-ok: this script is a process of its own
    geo = {"points": os.path.join(work, "points_4326.gpkg"), "cities": os.path.join(work, "cities_4326.gpkg"),
           "landuse": os.path.join(work, "landuse_2020_4326.tif")}
    _points_4326(geo["points"])
    gdal.VectorTranslate(geo["cities"], paths["cities"], dstSRS="EPSG:4326", reproject=True, format="GPKG")
    gdal.Warp(geo["landuse"], paths["landuse"][2020], dstSRS="EPSG:4326", resampleAlg="near")
    return sample, paths, geo


def cases(work, sample, paths, geo):
    out = os.path.join(work, "out")
    os.makedirs(out, exist_ok=True)
    pts, cities = geo["points"], geo["cities"]
    knn = {"NEIGHBORHOOD": "2", "K": "8"}
    return [
        ("carbon:meancentertrajectory", {"INPUT": pts, "WEIGHT_FIELD": "co2", "TIME_FIELD": "year",
                                          "OUTPUT_CENTERS": f"{out}/centres.gpkg",
                                          "OUTPUT_TRAJECTORY": f"{out}/trajectory.gpkg"}),
        ("carbon:directionaldistribution", {"INPUT": pts, "WEIGHT_FIELD": "co2", "TIME_FIELD": "year",
                                             "OUTPUT": f"{out}/ellipses.gpkg"}),
        ("carbon:globalmoransi", {"INPUT": pts, "FIELD": "co2", "TIME_FIELD": "year", **knn,
                                   "OUTPUT_TABLE": f"{out}/moran.csv", "OUTPUT_HTML": f"{out}/moran.html"}),
        ("carbon:generalg", {"INPUT": cities, "FIELD": "code", "NEIGHBORHOOD": "3",
                              "OUTPUT_HTML": f"{out}/general_g.html"}),
        ("carbon:hotspots", {"INPUT": pts, "FIELD": "co2", **knn, "OUTPUT": f"{out}/hot_spots.gpkg"}),
        ("carbon:localmoran", {"INPUT": pts, "FIELD": "co2", **knn, "PERMUTATIONS": "99",
                                "OUTPUT": f"{out}/local_moran.gpkg"}),
        ("carbon:mgwr", {"INPUT": pts, "DEPENDENT": "co2", "EXPLANATORY": ["light", "pop"], "TIME_FIELD": "year",
                          "OUTPUT": f"{out}/mgwr.gpkg", "OUTPUT_SUMMARY": f"{out}/mgwr_summary.csv",
                          "OUTPUT_HTML": f"{out}/mgwr.html"}),
        ("carbon:emissionstatistics", {"INPUT": pts, "VALUE_FIELD": "co2", "TIME_FIELD": "year",
                                        "OUTPUT": f"{out}/statistics.csv", "OUTPUT_HTML": f"{out}/statistics.html"}),
        ("carbon:landusecategories", {"INPUT": geo["landuse"], "OUTPUT": f"{out}/categories.tif"}),
        ("carbon:downscale", {"LANDUSE": paths["landuse"][2020], "LIGHT": paths["light"][2020],
                               "POPULATION": paths["population"][2020], "TOTALS": paths["totals"],
                               "REGIONS": cities, "REGION_FIELD": "region", "YEAR": "2020",
                               "OUTPUT": f"{out}/emissions_2020.tif", "OUTPUT_REPORT": f"{out}/downscale.csv"}),
        ("carbon:emissionstudy", {"YEARS": "2015,2020", "INPUT_FOLDER": sample, "TOTALS": paths["totals"],
                                   "REGIONS": cities, "REGION_FIELD": "region", "ANALYSIS_CELL_SIZE": "20000",
                                   "OUTPUT_FOLDER": f"{out}/study", "OUTPUT_HTML": f"{out}/study/report.html"}),
        ("carbon:Emission study (one year)", {"landuse": paths["landuse"][2020], "light": paths["light"][2020],
                                              "population": paths["population"][2020], "totals": paths["totals"],
                                              "regions": cities, "region_field": "region", "year": "2020",
                                              "neighborhood": "3",
                                              "centre:Mean centre": f"{out}/model_centre.gpkg",
                                              "downscale:Emissions": f"{out}/model_emissions.tif",
                                              "downscale:Downscaling report": f"{out}/model_report.csv",
                                              "ellipse:Ellipse": f"{out}/model_ellipse.gpkg",
                                              "hotspots:Hot spots": f"{out}/model_hotspots.tif",
                                              "statistics:Statistics": f"{out}/model_statistics.csv"}),
    ]


def run(alg, params):
    args = [os.path.join(ROOT, "tools", "qgis_process.sh"), "--json", "run", alg, "--"]
    for key, value in params.items():
        for v in value if isinstance(value, list) else [value]:
            args.append(f"{key}={v}")
    env = dict(os.environ, PYTHONWARNINGS="default")
    t0 = time.time()
    proc = subprocess.run(args, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
    seconds = time.time() - t0
    ours = sorted(set(f"{m.group(1)}: {m.group(2)}" for m in OUR_WARNING.finditer(proc.stderr + proc.stdout)))
    others = len(ANY_DEPRECATION.findall(proc.stderr)) - len(ours)
    ok = proc.returncode == 0
    if ok:
        try:
            json.loads(proc.stdout[proc.stdout.index("{"):])
        except ValueError:
            ok = False
    return ok, ours, others, seconds, proc


def main():
    work = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="carbon-algs-")
    os.makedirs(work, exist_ok=True)
    sample, paths, geo = prepare(work)
    failed = 0
    for alg, params in cases(work, sample, paths, geo):
        ok, ours, others, seconds, proc = run(alg, params)
        status = "ok" if ok and not ours else "FAILED"
        print(f"{status:6} {alg:36} {seconds:6.1f} s  own deprecation warnings: {len(ours)}"
              f"  (others in QGIS/third-party: {max(others, 0)})", flush=True)
        for line in ours:
            print(f"         {line}")
        if not ok:
            print("         " + "\n         ".join((proc.stderr or proc.stdout).strip().splitlines()[-15:]))
        failed += status != "ok"
    print(f"{12 - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
