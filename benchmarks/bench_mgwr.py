"""MGWR: mgwr 2.2.1 vs ours at n=2,000 (3 covariates), ours alone at n=20,000 (5 covariates).

Run: ``/work/main/.venv/bin/python benchmarks/bench_mgwr.py [--skip-reference] [--large-only]``
"""

import argparse
import time

import numpy as np
from _common import peak_rss_mib, report, timed
from carbon_spacetime.core.mgwr import fit_mgwr


def synthetic(n, n_covariates, seed=0):
    """Random locations in a 100 x 100 square; surfaces from global to local."""
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
    beta = np.column_stack(surfaces)
    X = np.column_stack([np.ones(n), rng.normal(size=(n, n_covariates))])
    y = np.sum(X * beta, axis=1) + rng.normal(scale=0.5, size=n)
    X[:, 1:] = (X[:, 1:] - X[:, 1:].mean(0)) / X[:, 1:].std(0)
    y = (y - y.mean()) / y.std()
    return coords, y, X


def reference(coords, y, X):
    from mgwr.gwr import MGWR
    from mgwr.sel_bw import Sel_BW

    t0 = time.perf_counter()
    selector = Sel_BW(coords, y[:, None], X[:, 1:], multi=True)
    bws = selector.search()
    t1 = time.perf_counter()
    MGWR(coords, y[:, None], X[:, 1:], selector).fit()
    t2 = time.perf_counter()
    return bws, t1 - t0, t2 - t1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-reference", action="store_true")
    parser.add_argument("--large-only", action="store_true")
    parser.add_argument("--large-n", type=int, default=20000)
    args = parser.parse_args()

    if not args.large_only:
        coords, y, X = synthetic(2000, 3)
        stages = {}

        def ours():
            last = [time.perf_counter()]

            def progress(fraction, message=None):
                if message and message.startswith("MGWR inference"):
                    stages["search"] = time.perf_counter() - last[0]
            return fit_mgwr(coords, y, X, progress=progress)

        t_ours, res = timed(ours)
        search = stages.get("search", t_ours)
        print(f"n=2000, k=3: ours bandwidths {res.bandwidths.tolist()}, "
              f"{res.iterations} iterations, last SOC {res.scores[-1]:.2e}")
        report("MGWR n=2000 k=3 total (search + inference)", t_ours,
               extra=f"search {search:.2f} s, inference {t_ours - search:.2f} s")
        if not args.skip_reference:
            bws, t_search, t_inf = reference(coords, y, X)
            same = np.array_equal(np.asarray(bws, dtype=float), res.bandwidths)
            print(f"mgwr bandwidths {list(bws)}; identical: {same}")
            report("MGWR n=2000 bandwidth search", search, t_search)
            report("MGWR n=2000 inference", t_ours - search, t_inf)
            report("MGWR n=2000 total", t_ours, t_search + t_inf)

    n = args.large_n
    coords, y, X = synthetic(n, 5, seed=1)
    log = []

    def progress(fraction, message=None):
        if message:
            log.append((time.perf_counter(), message))
            print(f"  [{fraction * 100:5.1f} %] {message}", flush=True)

    t_big, res = timed(fit_mgwr, coords, y, X, progress=progress)
    report(f"MGWR n={n} k=5 (ours alone)", t_big,
           extra=f"bandwidths {res.bandwidths.tolist()}, {res.iterations} iterations, "
                 f"inference {res.inference}, peak RSS {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
