"""Geographical detector (Wang et al. 2010; Wang, Zhang & Fu 2016).

Measures how much of the spatial variance of a variable ``y`` (e.g. CO2 emissions)
a stratification ``h = 1..L`` of the study area (the classes of a factor) explains:

``q = 1 - SSW / SST``, ``SSW = sum_h N_h sigma_h^2`` (within-strata sum of squares),
``SST = N sigma^2`` (total sum of squares; sigma^2 population variances).

Detectors:

- **factor**: q and its p-value. ``F = (N - L) / (L - 1) * q / (1 - q)`` follows a
  non-central F distribution with ``L - 1`` and ``N - L`` degrees of freedom and
  non-centrality ``lambda = (sum_h mean_h^2 - (sum_h sqrt(N_h) mean_h)^2 / N) / sigma^2``
  (Wang, Zhang & Fu 2016, Ecological Indicators 67:250-256, eq. 4-5; as the R
  packages geodetector / GD and PyPI geodetector compute it); ``p = P(F' > F)``.
- **interaction**: ``q(X1 n X2)`` of the crossed strata, and its type: nonlinear-weaken
  (``q12 < min(q1, q2)``), uni-variable weaken (``min <= q12 <= max``), independent
  (``q12 = q1 + q2`` within a relative tolerance ``INDEPENDENT_RTOL``), bi-variable enhance
  (``max < q12 < q1 + q2``), nonlinear-enhance (``q12 > q1 + q2``).
  Crossed strata may hold a single observation (zero within-stratum variance); the
  factors' own strata must hold at least two.
- **risk**: stratum means and Welch t-tests between every pair of strata of a factor.
- **ecological**: ``F = SSW(X1) / SSW(X2)`` with ``N - 1, N - 1`` degrees of freedom
  (as GD's gdeco), ``p = P(F' > F)``: small p means X2 explains significantly more.
"""

from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from .classify import METHODS, ClassificationError, classify, natural_breaks

INDEPENDENT_RTOL = 1e-6
INTERACTION_TYPES = (
    "nonlinear-weaken",
    "uni-variable weaken",
    "bi-variable enhance",
    "independent",
    "nonlinear-enhance",
)
OPTIMAL_CLASSES = tuple(range(3, 9))


class GeodetectorError(ValueError):
    """The input cannot be analysed (the message says what is wrong and what to do)."""


@dataclass
class Strata:
    """Strata of one factor: labels ``0..L-1`` and how they were made."""

    name: str
    labels: np.ndarray
    method: str  # "categorical" or one of classify.METHODS
    classes: int  # requested classes (categories for categorical factors)
    limits: list = field(default_factory=list)  # (lower, upper) per stratum, or category values

    @property
    def count(self):
        return int(self.labels.max()) + 1


@dataclass
class FactorResult:
    name: str
    method: str
    classes: int
    strata: int
    q: float
    p: float
    f: float
    ncp: float


def _stats():
    """``scipy.stats``, imported when a test needs it (it takes ~0.15 s: plugin start-up stays quick)."""
    from scipy import stats

    return stats


def _scaled(y):
    y = np.asarray(y, dtype=float)
    scale = float(np.max(np.abs(y)))
    return y / scale if scale > 0 else y


def _stratum_moments(y, labels, n_strata=None):
    n_strata = int(labels.max()) + 1 if n_strata is None else n_strata
    counts = np.bincount(labels, minlength=n_strata).astype(float)
    means = np.bincount(labels, weights=y, minlength=n_strata) / np.where(counts > 0, counts, 1.0)
    ssw_h = np.bincount(labels, weights=(y - means[labels]) ** 2, minlength=n_strata)
    return counts, means, ssw_h


def q_statistic(y, labels):
    """q of the stratification ``labels`` (int 0..L-1) of ``y``; see module docstring.

    Returns
    -------
    q : float
    ssw : float
        Within-strata sum of squares (of ``y`` scaled by max |y|).
    sst : float
        Total sum of squares (same scale).
    """
    ys = _scaled(y)
    counts, means, ssw_h = _stratum_moments(ys, labels)
    sst = float(np.sum((ys - ys.mean()) ** 2))
    if not sst > 0:
        raise GeodetectorError("The dependent variable is constant, so there is no variance to explain.")
    ssw = float(ssw_h.sum())
    return min(max(1.0 - ssw / sst, 0.0), 1.0), ssw, sst


def factor_detector(y, labels, name="", method="categorical", classes=None):
    """Factor detector: q, the non-central F statistic, its non-centrality and p-value."""
    ys = _scaled(y)
    n = len(ys)
    counts, means, ssw_h = _stratum_moments(ys, labels)
    n_strata = int(np.count_nonzero(counts))
    q, _, sst = q_statistic(ys, labels)
    sigma2 = sst / n
    present = counts > 0
    ncp = (np.sum(means[present] ** 2) - np.sum(np.sqrt(counts[present]) * means[present]) ** 2 / n) / sigma2
    ncp = max(float(ncp), 0.0)
    dfn, dfd = n_strata - 1, n - n_strata
    if n_strata < 2 or dfd < 1:
        raise GeodetectorError(f"{name or 'The factor'} has {n_strata} strata for {n} observations; "
                               "a factor needs at least 2 strata and more observations than strata.")
    if q >= 1.0:
        f, p = np.inf, 0.0
    elif q <= 0.0:
        f, p = 0.0, 1.0
    else:
        f = dfd / dfn * q / (1.0 - q)
        p = float(_stats().ncf.sf(f, dfn, dfd, ncp))
        if not np.isfinite(p):  # scipy's series can fail for huge non-centralities
            p = float(1.0 - _stats().ncf.cdf(f, dfn, dfd, ncp))
        p = min(max(p, 0.0), 1.0) if np.isfinite(p) else float("nan")
    return FactorResult(name, method, classes if classes is not None else n_strata, n_strata, q, p, f, ncp)


def interaction_type(q1, q2, q12, rtol=INDEPENDENT_RTOL):
    """Index into ``INTERACTION_TYPES`` of the interaction of two factors."""
    low, high, total = min(q1, q2), max(q1, q2), q1 + q2
    if q12 < low:
        return 0
    if q12 <= high:
        return 1
    if abs(q12 - total) <= rtol * max(abs(total), 1e-12):
        return 3
    if q12 < total:
        return 2
    return 4


def crossed_labels(a, b):
    """Labels ``0..M-1`` of the intersection strata of two stratifications."""
    combined = a.astype(np.int64) * (int(b.max()) + 1) + b
    return np.unique(combined, return_inverse=True)[1].astype(np.int64)


def interaction_detector(y, strata):
    """Every pair: dict(factor_1, factor_2, q_1, q_2, q_12, type, type_code, strata)."""
    qs = {s.name: q_statistic(y, s.labels)[0] for s in strata}
    rows = []
    for s1, s2 in combinations(strata, 2):
        labels = crossed_labels(s1.labels, s2.labels)
        q12 = q_statistic(y, labels)[0]
        code = interaction_type(qs[s1.name], qs[s2.name], q12)
        rows.append({"factor_1": s1.name, "factor_2": s2.name, "q_1": qs[s1.name], "q_2": qs[s2.name],
                     "q_12": q12, "type": INTERACTION_TYPES[code], "type_code": code,
                     "strata": int(labels.max()) + 1})
    return rows


def welch_t(mean1, var1, n1, mean2, var2, n2):
    """Welch's t, its Welch–Satterthwaite degrees of freedom and two-sided p.

    Equal means with zero variances give t = 0, p = 1; different means with zero
    variances give t = +-inf, p = 0.
    """
    a, b = var1 / n1, var2 / n2
    se2 = a + b
    diff = mean1 - mean2
    if not se2 > 0:
        if diff == 0:
            return 0.0, float("nan"), 1.0
        return float(np.sign(diff) * np.inf), float("nan"), 0.0
    t = diff / np.sqrt(se2)
    df = se2 ** 2 / (a ** 2 / (n1 - 1) + b ** 2 / (n2 - 1))
    return float(t), float(df), float(2.0 * _stats().t.sf(abs(t), df))


def risk_detector(y, strata, alpha=0.05):
    """Stratum means and pairwise Welch t-tests of one factor.

    Returns
    -------
    means : list of dict(stratum, n, mean, std)
    pairs : list of dict(stratum_1, stratum_2, mean_1, mean_2, t, df, p, significant)
    """
    y = np.asarray(y, dtype=float)
    labels = strata.labels
    counts = np.bincount(labels).astype(float)
    sums = np.bincount(labels, weights=y)
    means = sums / counts
    var = np.bincount(labels, weights=(y - means[labels]) ** 2) / np.maximum(counts - 1, 1)
    table = [{"stratum": h, "n": int(counts[h]), "mean": float(means[h]), "std": float(np.sqrt(var[h]))}
             for h in range(len(counts))]
    pairs = []
    for h1, h2 in combinations(range(len(counts)), 2):
        t, df, p = welch_t(means[h1], var[h1], counts[h1], means[h2], var[h2], counts[h2])
        pairs.append({"stratum_1": h1, "stratum_2": h2, "mean_1": float(means[h1]), "mean_2": float(means[h2]),
                      "t": t, "df": df, "p": p, "significant": bool(p < alpha)})
    return table, pairs


def ecological_detector(y, strata, alpha=0.05):
    """Every pair: F = SSW(X1) / SSW(X2), df (N-1, N-1), one-sided p = P(F' > F)."""
    n = len(y)
    ssw = {s.name: q_statistic(y, s.labels)[1] for s in strata}
    rows = []
    for s1, s2 in combinations(strata, 2):
        a, b = ssw[s1.name], ssw[s2.name]
        if b > 0:
            f = a / b
            p = float(_stats().f.sf(f, n - 1, n - 1))
        else:
            f, p = (1.0, 1.0) if a == 0 else (np.inf, 0.0)
        rows.append({"factor_1": s1.name, "factor_2": s2.name, "f": float(f), "p": p,
                     "significant": bool(p < alpha)})
    return rows


def _check_strata(y, labels, name):
    counts = np.bincount(labels)
    if np.count_nonzero(counts) < 2:
        raise GeodetectorError(f"'{name}' has a single class; a factor needs at least 2 strata. "
                               "Choose another factor or more classes.")
    small = np.flatnonzero(counts == 1)
    if len(small):
        raise GeodetectorError(
            f"'{name}' has {len(small)} stratum/strata with a single observation; the geographical "
            "detector needs at least 2 observations per stratum. Use fewer classes, another method, or merge "
            "rare categories.")


def categorical_strata(values, name):
    """Strata of a categorical factor (any hashable values; codes in sorted order)."""
    keys, labels = np.unique(np.asarray(values), return_inverse=True)
    return Strata(name, labels.astype(np.int64), "categorical", len(keys), [str(k) for k in keys])


def discretised_strata(x, name, method, classes, breaks=None):
    try:
        labels, limits = classify(x, method, classes, breaks)
    except ClassificationError as error:
        raise GeodetectorError(f"'{name}': {error}") from error
    return Strata(name, labels, method, classes, limits)


def optimal_strata(y, x, name, methods=METHODS, classes=OPTIMAL_CLASSES, progress=None):
    """Method x classes with the largest q (OPGD, Song et al. 2020).

    Candidates that leave a stratum with a single observation, or fewer than 2 strata,
    are skipped; ties keep the first candidate (methods in ``METHODS`` order, then
    fewer classes).

    Returns
    -------
    best : Strata
    candidates : list of (method, classes, q or nan)
    """
    best, best_q, candidates = None, -np.inf, []
    total = len(methods) * len(classes)
    jenks = {}
    if "natural" in methods:
        try:  # one dynamic programme for every number of classes
            jenks = natural_breaks(x, classes)
        except ClassificationError:
            pass
    for i, method in enumerate(methods):
        for j, k in enumerate(classes):
            if progress:
                progress((i * len(classes) + j) / total)
            try:
                s = discretised_strata(x, name, method, k, jenks.get(k) if method == "natural" else None)
                _check_strata(y, s.labels, name)
            except GeodetectorError:
                candidates.append((method, k, float("nan")))
                continue
            q = q_statistic(y, s.labels)[0]
            candidates.append((method, k, q))
            if q > best_q * (1.0 + 1e-12) + 1e-15:
                best, best_q = s, q
    if best is None:
        raise GeodetectorError(f"'{name}': no method with 3 to 8 classes gives at least 2 strata of 2 or "
                               "more observations each. Declare it categorical or check its values.")
    return best, candidates


@dataclass
class GeodetectorResult:
    factors: list  # FactorResult
    interactions: list  # dict rows
    risk: dict  # name -> (means, pairs)
    ecological: list  # dict rows
    strata: list  # Strata
    candidates: dict  # name -> optimal search candidates
    n: int


def geodetector(y, factors, method="quantile", classes=5, optimal=False, categorical=(), alpha=0.05,
                progress=None):
    """Run the four detectors.

    Parameters
    ----------
    y : ndarray of shape (n,)
        Dependent variable, finite.
    factors : dict name -> ndarray of shape (n,)
        Explanatory variables (numbers; categorical ones may hold any values).
    method, classes : str, int
        Discretisation of continuous factors (``classify.METHODS``).
    optimal : bool
        Choose method and classes (3..8) per continuous factor by the largest q.
    categorical : iterable of str
        Factors used as they are (each distinct value a stratum).
    alpha : float
        Significance level of the risk and ecological detectors.
    progress : callable(fraction, message), optional

    Returns
    -------
    GeodetectorResult
    """
    y = np.asarray(y, dtype=float)
    n = len(y)
    if n < 3:
        raise GeodetectorError(f"Only {n} observations; the geographical detector needs many more.")
    if not np.all(np.isfinite(y)):
        raise GeodetectorError("The dependent variable has missing or infinite values.")
    if not np.ptp(y) > 0:
        raise GeodetectorError("The dependent variable is constant, so there is no variance to explain.")
    categorical = set(categorical)
    strata, candidates = [], {}
    names = list(factors)
    for i, name in enumerate(names):
        if progress:
            progress(0.6 * i / len(names), f"Stratifying {name}")
        values = np.asarray(factors[name])
        if len(values) != n:
            raise GeodetectorError(f"'{name}' has {len(values)} values for {n} observations.")
        if name in categorical:
            s = categorical_strata(values, name)
        else:
            x = values.astype(float)
            if not np.all(np.isfinite(x)):
                raise GeodetectorError(f"'{name}' has missing or infinite values.")
            if optimal:
                s, candidates[name] = optimal_strata(y, x, name)
            else:
                s = discretised_strata(x, name, method, classes)
        _check_strata(y, s.labels, name)
        strata.append(s)
    if progress:
        progress(0.6, "Factor detector")
    results = [factor_detector(y, s.labels, s.name, s.method, s.classes) for s in strata]
    if progress:
        progress(0.7, "Interaction detector")
    interactions = interaction_detector(y, strata)
    if progress:
        progress(0.9, "Risk and ecological detectors")
    risk = {s.name: risk_detector(y, s, alpha) for s in strata}
    ecological = ecological_detector(y, strata, alpha)
    return GeodetectorResult(results, interactions, risk, ecological, strata, candidates, n)
