"""Emerging hot spot analysis: ours against esda (Gi* per year) and pymannkendall.

1. Reference side by side on a 200 x 200 grid x 21 years (40,000 locations):
   esda ``G_Local`` per year (queen, binary, star) against our Gi*, and
   ``pymannkendall.original_test`` on a sample of locations (extrapolated to all
   locations) against our vectorised Mann-Kendall + Sen's slope.
2. The whole analysis (space-time Gi* with one earlier year, Mann-Kendall of the
   Gi* and value series, Sen's slope, 17 patterns) on ``--cells`` cells
   (default 10,000,000) x ``--years`` years (default 21), ours only, in a fresh
   process: seconds and peak memory. Goal: 10 M x 21 under 3 minutes, under 8 GiB.

Run: ``make bench`` or ``python benchmarks/bench_emerging.py [--cells N] [--years T]``.
"""

import argparse
import subprocess
import sys
import time
import warnings

import numpy as np
from _common import peak_rss_mib, report, timed
from carbon_spacetime.core import weights as sw
from carbon_spacetime.core.emerging_hot_spots import PATTERN_NAMES, emerging_hot_spots, space_time_gi_star
from carbon_spacetime.core.mann_kendall import mann_kendall

warnings.filterwarnings("ignore")


def synthetic_cube(rows, cols, years, seed=1):
    """Gamma noise with a hot area that grows over the years and one that fades."""
    rng = np.random.default_rng(seed)
    cube = rng.gamma(2.0, 2.0, size=(years, rows * cols))
    grid = cube.reshape(years, rows, cols)
    ramp = np.linspace(0.0, 8.0, years)[:, None, None]
    grid[:, rows // 5:rows // 3, cols // 4:cols // 2] += ramp
    grid[:, rows // 2:rows // 2 + rows // 8, cols // 2:cols // 2 + cols // 8] += ramp[::-1]
    return cube


def reference_case(rows=200, cols=200, years=21, sample=2000):
    import esda
    import libpysal
    import pymannkendall

    cube = synthetic_cube(rows, cols, years)
    n = rows * cols
    mask = np.ones((rows, cols), bool)
    w = sw.grid_weights(sw.QUEEN, mask)

    def ours_gi():
        return [space_time_gi_star(cube[k][None, :], w, 0)[0] for k in range(years)]

    ref_w = libpysal.weights.lat2W(rows, cols, rook=False)

    def esda_gi():
        return [esda.G_Local(cube[k], ref_w, transform="B", star=True, permutations=0).Zs for k in range(years)]

    t_ours, z_ours = timed(ours_gi)
    t_ref, z_ref = timed(esda_gi)
    diff = max(float(np.max(np.abs(a - b))) for a, b in zip(z_ours, z_ref))
    report(f"Gi* per year, {rows}x{cols} grid x {years} years (queen)", t_ours, t_ref, f"max |dz| = {diff:.1e}")

    pick = np.random.default_rng(0).choice(n, sample, replace=False)
    series = cube[:, pick]
    t_ours, mk = timed(mann_kendall, series, None, True, repeat=3)

    def pmk():
        return [pymannkendall.original_test(series[:, i]) for i in range(sample)]

    t_ref, refs = timed(pmk)
    dz = max(abs(r.z - z) for r, z in zip(refs, mk.z))
    ds = max(abs(r.slope - s) for r, s in zip(refs, mk.slope))
    report(f"Mann-Kendall + Sen's slope, {sample} series x {years} years", t_ours, t_ref,
           f"max |dz| = {dz:.1e}, max |dslope| = {ds:.1e}")
    per_series = t_ref / sample
    print(f"pymannkendall extrapolated to 10,000,000 locations: {per_series * 1e7 / 3600:.1f} h "
          f"(one process, {per_series * 1e3:.2f} ms per series)", flush=True)


def full_case(cells, years):
    side = int(round(np.sqrt(cells)))
    rows, cols = side, max(1, cells // side)
    cube = synthetic_cube(rows, cols, years)
    mask = np.ones((rows, cols), bool)
    t0 = time.perf_counter()
    w = sw.grid_weights(sw.QUEEN, mask)
    result = emerging_hot_spots(cube, w, times=np.arange(2000, 2000 + years), time_steps=1)
    seconds = time.perf_counter() - t0
    counts = np.bincount(result.pattern[result.pattern >= 0], minlength=17)
    top = ", ".join(f"{PATTERN_NAMES[c]} {counts[c]:,}" for c in np.argsort(counts)[::-1][:4] if counts[c])
    print(f"emerging hot spots, {rows}x{cols} grid ({rows * cols:,} cells) x {years} years, queen, TIME_STEPS=1: "
          f"ours {seconds:.1f} s, peak memory {peak_rss_mib() / 1024:.2f} GiB (goal: < 180 s, < 8 GiB); "
          f"{top}", flush=True)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=10_000_000)
    parser.add_argument("--years", type=int, default=21)
    parser.add_argument("--only-full", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv[1:])
    if args.only_full:
        full_case(args.cells, args.years)
        return 0
    reference_case()
    # A fresh process, so that the peak memory is that of our analysis alone.
    return subprocess.run([sys.executable, __file__, "--only-full", "--cells", str(args.cells),
                           "--years", str(args.years)]).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv))
