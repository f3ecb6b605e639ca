"""MGWR and GWR: ours inside ``qgis_process``, ours in plain Python, and mgwr 2.2.1.

Cases (each prints ours through ``qgis_process.bin`` -- what users run, QGIS
start-up included and also reported alone --, ours in plain Python, the
reference, and the ratios):

1. MGWR n=2,000, 3 covariates, two synthetic surfaces: ``smooth`` (bandwidths
   ~130-480 neighbours) and ``local`` (one term at 58 neighbours); reference
   ``Sel_BW(multi=True).search()`` + ``MGWR.fit()``.
2. MGWR n=20,000, 5 covariates (ours only: mgwr takes hours at this size).
3. GWR n=20,000, 5 covariates; mgwr's ``Sel_BW`` + ``GWR.fit()`` is timed on
   the first 5,000 observations (at 20,000 it takes tens of minutes), beside
   ours on the same subset.

Run: ``python benchmarks/bench_mgwr.py [--quick] [--skip-reference] [--skip-qgis]
[--large-only] [--large-n N] [--profile DIR]``. ``--quick``: the two n=2,000
MGWR cases only.
"""

import argparse
import csv
import tempfile
import time
from pathlib import Path

import numpy as np
from _common import peak_rss_mib, qgis_process, qgis_startup, report, reset_peak_rss, timed
from carbon_spacetime.core.gwr import fit_gwr
from carbon_spacetime.core.mgwr import fit_mgwr


def synthetic(n, n_covariates, seed=0, surface="smooth"):
    """Random locations in a 100 x 100 square; surfaces from global to local.

    ``surface="local"`` makes the first covariate's coefficient a narrow bump
    (bandwidth 58 of 2,000 neighbours).
    """
    rng = np.random.default_rng(seed)
    coords = rng.uniform(0, 100, (n, 2))
    u, v = coords.T / 100.0
    surfaces = [
        np.full(n, 3.0),
        1.0 + u + v,
        1.0 + np.sin(np.pi * u) * np.sin(np.pi * v),
        0.5 * np.cos(3 * np.pi * u),
        2.0 * (u - 0.5) ** 2 - v,
        np.sin(4 * np.pi * v),
    ][: n_covariates + 1]
    if surface == "local":
        surfaces[1] = 4.0 * np.exp(-((u - 0.5) ** 2 + (v - 0.5) ** 2) / 0.005)
    beta = np.column_stack(surfaces)
    X = np.column_stack([np.ones(n), rng.normal(size=(n, n_covariates))])
    y = np.sum(X * beta, axis=1) + rng.normal(scale=0.5, size=n)
    X[:, 1:] = (X[:, 1:] - X[:, 1:].mean(0)) / X[:, 1:].std(0)
    y = (y - y.mean()) / y.std()
    return coords, y, X


def reference(coords, y, X, model="MGWR"):
    from mgwr.gwr import GWR, MGWR
    from mgwr.sel_bw import Sel_BW

    t0 = time.perf_counter()
    selector = Sel_BW(coords, y[:, None], X[:, 1:], multi=model == "MGWR")
    bws = selector.search()
    t1 = time.perf_counter()
    if model == "MGWR":
        MGWR(coords, y[:, None], X[:, 1:], selector).fit()
    else:
        GWR(coords, y[:, None], X[:, 1:], bws).fit()
    t2 = time.perf_counter()
    return np.atleast_1d(np.asarray(bws, dtype=float)), t1 - t0, t2 - t1


def write_points(path, coords, y, X):
    """A GeoPackage of the observations (EPSG:3857 metres), fields y, x1..xk."""
    from carbon_spacetime.algorithms._compat import gdal_exceptions

    with gdal_exceptions():  # GDAL >= 3.9 warns when no error mode was chosen
        return _write_points(path, coords, y, X)


def _write_points(path, coords, y, X):
    from osgeo import ogr, osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(3857)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = ds.CreateLayer("obs", srs, ogr.wkbPoint)
    names = ["y"] + [f"x{j}" for j in range(1, X.shape[1])]
    for name in names:
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTReal))
    layer.StartTransaction()
    values = np.column_stack([y, X[:, 1:]])
    for (cx, cy), row in zip(coords, values):
        f = ogr.Feature(layer.GetLayerDefn())
        for name, value in zip(names, row):
            f.SetField(name, float(value))
        f.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT({float(cx)!r} {float(cy)!r})"))
        layer.CreateFeature(f)
    layer.CommitTransaction()
    ds = None
    return names


def read_column(path, field, layer=None):
    from osgeo import ogr

    ds = ogr.Open(str(path))
    lyr = ds.GetLayer(layer or 0)
    return np.array([f.GetField(field) for f in lyr], dtype=float)


def through_qgis(coords, y, X, model, profile=None):
    """Run ``carbon:mgwr`` on these data; returns the run's timings, bandwidths, params."""
    with tempfile.TemporaryDirectory(prefix="bench_mgwr_") as tmp:
        folder = Path(tmp)
        names = write_points(folder / "obs.gpkg", coords, y, X)
        run = qgis_process("carbon:mgwr", {
            "INPUT": folder / "obs.gpkg", "DEPENDENT": "y", "EXPLANATORY": names[1:],
            "MODEL": 0 if model == "MGWR" else 1, "OUTPUT": folder / "out.gpkg",
            "OUTPUT_SUMMARY": folder / "summary.csv", "OUTPUT_HTML": ""}, profile=profile)
        with open(folder / "summary.csv", newline="") as fh:
            run["bandwidths"] = np.array([float(r["bandwidth"]) for r in csv.DictReader(fh)])
        run["params"] = np.column_stack(
            [read_column(folder / "out.gpkg", f"b_{name}") for name in ["Intercept"] + names[1:]])
    return run


def ours_plain(coords, y, X, model):
    reset_peak_rss()  # the peak reported is this fit's (and what the process held before it)
    t_cpu = time.process_time()
    if model == "MGWR":
        wall, res = timed(fit_mgwr, coords, y, X)
    else:
        wall, res = timed(fit_gwr, coords, y, X)
    return wall, time.process_time() - t_cpu, res


def compare(label, coords, y, X, model, args, ref_rows=None):
    """One case: qgis_process, plain Python and the reference side by side."""
    n, k = X.shape
    print(f"\n--- {label}: {model} n={n:,}, {k - 1} covariates ---", flush=True)
    wall, cpu, res = ours_plain(coords, y, X, model)
    report(f"{label} ours, plain Python", wall,
           extra=f"CPU {cpu:.1f} s, bandwidths {res.bandwidths.tolist()}, peak RSS "
                 f"{peak_rss_mib():.0f} MiB")
    q = None
    if not args.skip_qgis:
        profile = Path(args.profile) / f"{label}.svg" if args.profile else None
        q = through_qgis(coords, y, X, model, profile)
        start = qgis_startup()
        same_bw = np.array_equal(q["bandwidths"], res.bandwidths)
        dparams = float(np.max(np.abs(q["params"] - res.params)))
        report(f"{label} ours, whole qgis_process run", q["wall"],
               extra=f"CPU {q['cpu']:.1f} s, start-up alone {start:.1f} s, peak {q['peak_mib']:.0f} MiB; "
                     f"bandwidths as plain Python: {same_bw}, max |d params| {dparams:.1e}")
    if args.skip_reference or (ref_rows is not None and ref_rows <= 0):
        print(f"{label} reference: skipped"
              + (" (mgwr 2.2.1 takes hours at this size)" if ref_rows is not None else ""))
        return
    sub = slice(None) if ref_rows is None else slice(0, ref_rows)
    if ref_rows is not None:
        print(f"{label} reference on the first {ref_rows:,} observations only "
              f"(mgwr 2.2.1 takes too long at n={n:,}); ours timed on the same subset", flush=True)
        wall, cpu, res = ours_plain(coords[sub], y[sub], X[sub], model)
        report(f"{label} ours on the subset, plain Python", wall, extra=f"CPU {cpu:.1f} s")
        if q is not None:
            q = through_qgis(coords[sub], y[sub], X[sub], model)
            report(f"{label} ours on the subset, qgis_process", q["wall"], extra=f"CPU {q['cpu']:.1f} s")
    bws, t_search, t_fit = reference(coords[sub], y[sub], X[sub], model)
    ref = t_search + t_fit
    same = np.array_equal(bws if model == "MGWR" else bws[:1], res.bandwidths[: len(bws)])
    print(f"{label} mgwr 2.2.1: {ref:.1f} s (search {t_search:.1f} s, fit {t_fit:.1f} s), "
          f"bandwidths {bws.tolist()}, identical to ours: {same}")
    line = f"{label} ratio mgwr / ours: plain Python {ref / wall:.1f}x"
    if q is not None:
        start = qgis_startup()
        line += (f", whole qgis_process run {ref / q['wall']:.1f}x, qgis_process minus start-up "
                 f"{ref / max(q['wall'] - start, 1e-9):.1f}x")
    print(line, flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="the two n=2,000 MGWR cases only")
    parser.add_argument("--skip-reference", action="store_true")
    parser.add_argument("--skip-qgis", action="store_true", help="plain Python only")
    parser.add_argument("--large-only", action="store_true")
    parser.add_argument("--large-n", type=int, default=20000)
    parser.add_argument("--gwr-reference-n", type=int, default=5000)
    parser.add_argument("--profile", help="folder for py-spy flame graphs of the qgis_process runs")
    args = parser.parse_args()
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
    if not args.skip_qgis:
        print(f"qgis_process start-up (a trivial algorithm, best of 2): {qgis_startup():.2f} s",
              flush=True)

    if not args.large_only:
        for surface in ("smooth", "local"):
            compare(f"MGWR n=2000 {surface}", *synthetic(2000, 3, surface=surface), "MGWR", args)
    if args.quick:
        return
    n = args.large_n
    coords, y, X = synthetic(n, 5, seed=1)
    compare(f"MGWR n={n}", coords, y, X, "MGWR", args, ref_rows=0)
    compare(f"GWR n={n}", coords, y, X, "GWR", args, ref_rows=min(n, args.gwr_reference_n))


if __name__ == "__main__":
    main()
