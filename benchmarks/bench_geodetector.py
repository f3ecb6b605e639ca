"""Geographical detector: ours against PyPI geodetector 0.2.0 (and jenkspy for natural breaks).

1. 300,000 cells, 5 factors of 5 strata each: factor + interaction + risk + ecological
   detectors, ours vs the package's FactorDetector, InteractionDetector, RiskDetector and
   EcologicalDetector on the same integer strata; max |dq| printed.
2. Natural breaks (Fisher-Jenks, 5 classes) of 5,000 distinct values: ours (exact among
   partitions of 2,000 contiguous groups) vs jenkspy's exact C implementation (O(k n^2),
   out of reach at 300 k values); the share of variance explained (GVF) printed.
3. Ours only: the optimal discretisation (5 methods x 3-8 classes) of 5 continuous factors
   at 300,000 cells, and the full run on 10 million cells (2 factors, quantile, 5 classes)
   with peak memory, in a fresh process.

Run: ``make bench`` or ``python benchmarks/bench_geodetector.py``.
"""

import subprocess
import sys
import warnings

import numpy as np
from _common import peak_rss_mib, report, timed
from carbon_spacetime.core import classify, geodetector

warnings.filterwarnings("ignore")


def _data(n, n_factors=5, strata=5, seed=0):
    rng = np.random.default_rng(seed)
    codes = {f"x{i}": rng.integers(0, strata, n) for i in range(n_factors)}
    y = sum((i + 1) * 0.3 * c for i, c in enumerate(codes.values())) + rng.normal(0, 2, n)
    return y, codes


def ours_detectors(y, codes):
    return geodetector.geodetector(y, codes, categorical=tuple(codes))


def reference_detectors(y, codes):
    import pandas as pd
    from geodetector import EcologicalDetector, FactorDetector, InteractionDetector, RiskDetector

    frame = pd.DataFrame(codes)
    q = {name: FactorDetector().fit(frame[[name]], y) for name in frame}
    inter = InteractionDetector().fit(frame, y)
    RiskDetector().fit(frame, y)
    EcologicalDetector().fit(frame, y)
    return q, inter


def detectors_case(n=300_000):
    y, codes = _data(n)
    t_ours, ours = timed(ours_detectors, y, codes)
    t_ref, (q, inter) = timed(reference_detectors, y, codes)
    dq = max(abs(f.q - q[f.name].q_value_) for f in ours.factors)
    dq12 = max(abs(a["q_12"] - b["q_12"]) for a, b in zip(ours.interactions, inter.pairs_))
    report(f"{n:,} cells, 5 factors x 5 strata: factor + interaction + risk + ecological detectors", t_ours,
           t_ref, f"max |dq| = {dq:.1e}, max |dq12| = {dq12:.1e}")


def jenks_case(n=5000, k=5):
    import jenkspy

    x = np.random.default_rng(2).lognormal(0, 1, n)
    t_ours, ours = timed(classify.class_breaks, x, "natural", k)
    t_ref, ref = timed(jenkspy.jenks_breaks, x, n_classes=k)

    def gvf(breaks):
        return geodetector.q_statistic(x, np.searchsorted(breaks, x, side="left"))[0]

    report(f"natural breaks, {n:,} distinct values, {k} classes (ours: 2,000 groups)", t_ours, t_ref,
           f"GVF ours {gvf(ours):.6f}, jenkspy exact {gvf(np.array(ref)[1:-1]):.6f}")


def optimal_case(n=300_000):
    rng = np.random.default_rng(3)
    factors = {f"x{i}": rng.lognormal(0, 1 + 0.2 * i, n) for i in range(5)}
    y = sum(np.log(v) for v in factors.values()) + rng.normal(0, 1, n)
    t, res = timed(geodetector.geodetector, y, factors, optimal=True)
    chosen = ", ".join(f"{f.name}: {f.method} {f.classes}" for f in res.factors)
    report(f"{n:,} cells, 5 continuous factors, optimal discretisation (30 candidates each) + detectors", t,
           extra=chosen)


def large_case():
    n = 10_000_000
    rng = np.random.default_rng(4)
    x1 = rng.normal(size=n)
    x2 = rng.gamma(2.0, 1.0, n)
    y = x1 + 0.5 * x2 + rng.normal(size=n)
    t, _ = timed(geodetector.geodetector, y, {"x1": x1, "x2": x2}, method="quantile", classes=5)
    report(f"{n:,} cells, 2 factors, quantile 5 classes, all detectors", t, extra=f"peak {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    if sys.argv[1:] == ["large"]:
        large_case()
        sys.exit(0)
    detectors_case()
    jenks_case()
    optimal_case()
    subprocess.run([sys.executable, __file__, "large"], check=True)
