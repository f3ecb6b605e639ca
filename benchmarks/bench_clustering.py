"""Clustering statistics: our grid/sparse engine against esda + libpysal.

1. 500 x 500 grid (250,000 cells), queen weights + global Moran's I + Gi*:
   esda/libpysal vs ours, same answers, both timings and the ratio; also ours as
   users run it: ``carbon:globalmoransi`` + ``carbon:hotspots`` on a GeoTIFF
   through ``qgis_process.bin`` (start-up reported alone).
2. 300 x 300 grid with a 3-cell distance band (the issue's reference case).
3. 10 million cells (3163 x 3163 with nodata holes), ours only: seconds and
   peak memory (run in a fresh process so the figure is not inflated by esda).
4. 100,000 vector features: k nearest neighbours (k = 8) and the default
   distance band, weights + Moran + Gi*; esda/libpysal for kNN.

Run: ``make bench`` or ``python benchmarks/bench_clustering.py [--quick] [--skip-qgis]``
(``--quick``: case 1 only).
"""

import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
from _common import qgis_process, qgis_startup, report, timed
from carbon_spacetime.core import getis_ord, moran
from carbon_spacetime.core import weights as sw

warnings.filterwarnings("ignore")


def ours_grid(values, mask, kind=sw.QUEEN, distance_cells=None):
    w = sw.grid_weights(kind, mask, distance_cells)
    y = values[mask]
    return moran.global_morans_i(y, w), getis_ord.getis_ord_gi_star(y, w)


def esda_grid(values, rows, cols, distance_cells=None):
    import esda
    import libpysal

    if distance_cells is None:
        w = libpysal.weights.lat2W(rows, cols, rook=False)
    else:
        r, c = np.divmod(np.arange(rows * cols), cols)
        w = libpysal.weights.DistanceBand(np.column_stack([c, r]).astype(float), distance_cells,
                                          silence_warnings=True)
    y = values.ravel()
    m = esda.Moran(y, w, permutations=0)
    g = esda.G_Local(y, w, transform="B", star=True, permutations=0)
    return m, g


def grid_case(rows, cols, distance_cells=None, label=""):
    rng = np.random.default_rng(1)
    values = rng.gamma(2.0, 2.0, size=(rows, cols))
    values[rows // 5:rows // 3, cols // 4:cols // 2] += 10.0
    mask = np.ones(values.shape, bool)
    kind = sw.QUEEN if distance_cells is None else sw.DISTANCE_BAND
    t_ours, (m, g) = timed(ours_grid, values, mask, kind, distance_cells, repeat=3)
    t_ref, (em, eg) = timed(esda_grid, values, rows, cols, distance_cells)
    diff_i = abs(m.morans_i - em.I)
    diff_z = float(np.nanmax(np.abs(g.z_score - eg.Zs)))
    report(f"{label} {rows}x{cols} grid ({rows * cols:,} cells) weights + Moran's I + Gi*", t_ours, t_ref,
           f"|dI| = {diff_i:.1e}, max |dGi*| = {diff_z:.1e}; Moran's I = {m.morans_i:.6f}")
    return values, t_ref, m


def through_qgis(values, t_ref, m, label):
    """The same grid as a GeoTIFF through qgis_process: Moran's I, then Gi* hot spots."""
    from osgeo import gdal, osr

    rows, cols = values.shape
    with tempfile.TemporaryDirectory(prefix="bench_clustering_") as tmp:
        path = str(Path(tmp) / "grid.tif")
        ds = gdal.GetDriverByName("GTiff").Create(path, cols, rows, 1, gdal.GDT_Float64)
        ds.SetGeoTransform((500000.0, 1000.0, 0, 4500000.0, 0, -1000.0))
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(3857)
        ds.SetProjection(srs.ExportToWkt())
        ds.GetRasterBand(1).WriteArray(values)
        ds = None
        mi = qgis_process("carbon:globalmoransi", {"INPUT": path, "NEIGHBORHOOD": 3, "OUTPUT_HTML": ""})
        gi = qgis_process("carbon:hotspots", {"INPUT": path, "NEIGHBORHOOD": 3,
                                              "OUTPUT_RASTER": str(Path(tmp) / "hot.tif")})
    start = qgis_startup()
    both = mi["wall"] + gi["wall"]
    work = both - 2 * start
    print(f"{label} through qgis_process: carbon:globalmoransi {mi['wall']:.2f} s (CPU {mi['cpu']:.1f} s, "
          f"|dI| vs core {abs(mi['results']['MORANS_I'] - m.morans_i):.1e}), carbon:hotspots {gi['wall']:.2f} s "
          f"(CPU {gi['cpu']:.1f} s, peak {gi['peak_mib']:.0f} MiB); start-up alone {start:.2f} s per run", flush=True)
    print(f"{label} ratio esda / ours: both whole qgis_process runs {t_ref / both:.1f}x, "
          f"minus start-up {t_ref / max(work, 1e-9):.1f}x", flush=True)


def peak_memory_gib():
    """High-water mark of this process's resident memory (VmHWM; not inherited across exec)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 2 ** 20
    return float("nan")


def national_scale(side=3163):
    """10 million cells with holes (ours only): seconds and peak memory."""
    rng = np.random.default_rng(2)
    values = rng.gamma(2.0, 2.0, size=(side, side))
    yy, xx = np.mgrid[0:side, 0:side]
    mask = (xx - side / 2) ** 2 / (0.55 * side) ** 2 + (yy - side / 2) ** 2 / (0.5 * side) ** 2 < 1.0
    mask |= yy < side // 2  # an irregular region with nodata outside
    values[~mask] = np.nan
    del yy, xx
    t, (m, g) = timed(ours_grid, values, mask)
    report(f"national grid {side}x{side} ({mask.sum():,} valid cells of {side * side:,}) queen weights + "
           "Moran's I + Gi*", t, None,
           f"peak memory {peak_memory_gib():.2f} GiB; Moran's I = {m.morans_i:.6f}; "
           f"hot spots 99%: {(g.bins == 3).sum():,}")


def vector_case(n=100_000):
    import esda
    import libpysal

    rng = np.random.default_rng(3)
    centres = rng.random((40, 2)) * 500_000
    xy = centres[rng.integers(0, 40, n)] + rng.normal(0, 25_000, (n, 2))
    y = rng.gamma(2.0, 2.0, n) + np.exp(-((xy[:, 0] - 250_000) ** 2) / 1e10) * 5

    def ours_knn():
        w = sw.knn_weights(xy, 8)
        return moran.global_morans_i(y, w), getis_ord.getis_ord_gi_star(y, w)

    def ref_knn():
        w = libpysal.weights.KNN(xy, k=8)
        m = esda.Moran(y, w, permutations=0)
        g = esda.G_Local(y, w, transform="B", star=True, permutations=0)
        return m, g

    t_ours, (m, g) = timed(ours_knn)
    t_ref, (em, eg) = timed(ref_knn)
    report(f"{n:,} points, k = 8 nearest neighbours: weights + Moran's I + Gi*", t_ours, t_ref,
           f"|dI| = {abs(m.morans_i - em.I):.1e}, max |dGi*| = {np.nanmax(np.abs(g.z_score - eg.Zs)):.1e}")

    def ours_band(band):
        w = sw.distance_band_weights(xy, band)
        return w, moran.global_morans_i(y, w), getis_ord.getis_ord_gi_star(y, w)

    def ref_band(band):
        w = libpysal.weights.DistanceBand(xy, band, silence_warnings=True)
        return esda.Moran(y, w, permutations=0), esda.G_Local(y, w, transform="B", star=True, permutations=0)

    t_band, (w, m, g) = timed(ours_band, 5000.0)
    t_ref, (em, eg) = timed(ref_band, 5000.0)
    report(f"{n:,} points, 5 km distance band (mean {w.cardinalities.mean():.1f} neighbours): weights + "
           "Moran's I + Gi*", t_band, t_ref,
           f"|dI| = {abs(m.morans_i - em.I):.1e}, max |dGi*| = {np.nanmax(np.abs(g.z_score - eg.Zs)):.1e}")
    print(f"  (the default band here, the largest nearest-neighbour distance, is "
          f"{sw.default_distance_band(xy):.0f} m: outlying points make it wide and dense)")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--national":
        national_scale()
        return
    values, t_ref, m = grid_case(500, 500, label="queen")
    if "--skip-qgis" not in sys.argv:
        print(f"qgis_process start-up (a trivial algorithm, best of 2): {qgis_startup():.2f} s", flush=True)
        through_qgis(values, t_ref, m, "queen 500x500 grid")
    if "--quick" in sys.argv:
        return
    grid_case(300, 300, distance_cells=3.0, label="3-cell distance band")
    vector_case()
    # A fresh process, so that the peak memory is that of the national run alone.
    subprocess.run([sys.executable, __file__, "--national"], check=True)


if __name__ == "__main__":
    main()
