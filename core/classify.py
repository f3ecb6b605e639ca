"""Discretisation of a continuous variable into classes (strata).

Five methods, as the GD / OPGD R packages (Song et al. 2020) offer them:

- ``equal``: equal interval, breaks ``numpy.linspace(min, max, k + 1)``.
- ``quantile``: breaks at the ``i / k`` quantiles (``numpy.quantile``, linear
  interpolation = R type 7, as ``mapclassify.Quantiles``).
- ``natural``: natural breaks, Fisher–Jenks (Fisher 1958, Jenks 1977): the
  partition into ``k`` contiguous classes with the smallest total within-class sum
  of squares, found exactly by dynamic programming over the sorted distinct values
  weighted by their counts (the same optimum as ``mapclassify.FisherJenks`` and
  ``jenkspy``). Above ``JENKS_MAX_VALUES`` distinct values (rasters of 300 k to 10 M
  cells) the sorted values are cut into ``JENKS_MAX_VALUES`` contiguous groups (half at
  evenly spaced ranks, half at evenly spaced values) and the optimum is exact among the
  partitions that do not split a group (deterministic; mapclassify's
  ``FisherJenksSampled`` uses a random 10 % sample instead). The breaks are data values
  either way.
- ``geometric``: geometric interval, class limits in geometric progression
  ``numpy.geomspace(min, max, k + 1)``; data with values <= 0 are shifted by
  ``1 - min`` first (so that the minimum maps to 1) and shifted back.
- ``sd``: standard deviation, classes one standard deviation (population) wide
  centred on the mean: inner breaks ``mean + sd * (j - k / 2)``, ``j = 1 .. k-1``;
  the outer classes are open to the minimum and maximum.

Classes are right-closed as in mapclassify: a value equal to a break belongs to the
lower class. Empty classes are dropped, so labels are ``0 .. m-1`` with ``m <= k``.
"""

import numpy as np

METHODS = ("equal", "quantile", "natural", "geometric", "sd")
METHOD_NAMES = {
    "equal": "equal interval",
    "quantile": "quantile",
    "natural": "natural breaks (Jenks)",
    "geometric": "geometric interval",
    "sd": "standard deviation",
}
JENKS_MAX_VALUES = 2000


class ClassificationError(ValueError):
    """The variable cannot be classified as asked (message says why)."""


def fisher_jenks_breaks(values, k, weights=None):
    """Upper bounds of the ``k`` Fisher–Jenks classes of sorted distinct ``values``.

    Parameters
    ----------
    values : ndarray
        Sorted distinct values (any units).
    k : int
        Number of classes, ``2 <= k <= len(values)``.
    weights : ndarray, optional
        Count of each value (default 1 each).

    Returns
    -------
    ndarray of shape (k,)
        The largest value of each class (the last is ``values[-1]``).
    """
    return fisher_jenks_all(values, [k], weights)[k]


def fisher_jenks_all(values, classes, weights=None, upper=None):
    """:func:`fisher_jenks_breaks` for several numbers of classes from one dynamic programme.

    The optimal cost of splitting the first ``j`` values into ``c`` classes is
    ``min_i cost(c - 1, i) + SSD(values[i:j])``; one level is evaluated for every
    end ``j`` at once as an ``m x m`` array (``m`` distinct values, so memory is
    ``8 m^2`` bytes: 32 MB at ``JENKS_MAX_VALUES``).

    ``upper``: the value reported as a class's upper bound for each entry of ``values``
    (default ``values``; groups of values report their largest member).

    Returns
    -------
    dict
        ``{k: upper bounds of the k classes}``.
    """
    v = np.asarray(values, dtype=float)
    top = v if upper is None else np.asarray(upper, dtype=float)
    m = len(v)
    w = np.ones(m) if weights is None else np.asarray(weights, dtype=float)
    kmax = max(classes)
    if not 2 <= min(classes) or kmax > m:
        raise ClassificationError(f"Natural breaks need 2 <= classes <= {m} distinct values; got {kmax}.")
    span = v[-1] - v[0]
    z = (v - v[0]) / span if span > 0 else v - v[0]  # scale before squaring
    cw = np.concatenate(([0.0], np.cumsum(w)))
    cs = np.concatenate(([0.0], np.cumsum(w * z)))
    cq = np.concatenate(([0.0], np.cumsum(w * z * z)))
    starts = np.arange(m + 1)[:, None]
    ends = np.arange(m + 1)[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        n = cw[ends] - cw[starts]
        s = cs[ends] - cs[starts]
        ssd = np.maximum(cq[ends] - cq[starts] - s * s / n, 0.0)  # ssd[i, j]: values[i:j]
    ssd[~(ends > starts)] = np.inf
    cost = ssd[0].copy()  # one class covering values[:j]
    back = np.zeros((kmax + 1, m + 1), dtype=np.int64)
    for c in range(2, kmax + 1):
        total = cost[:, None] + ssd  # last class values[i:j] after c-1 classes of values[:i]
        total[: c - 1] = np.inf
        back[c] = np.argmin(total, axis=0)
        cost = total[back[c], np.arange(m + 1)]
    del ssd
    out = {}
    for k in classes:
        bounds, j = [], m
        for c in range(k, 1, -1):
            bounds.append(top[j - 1])
            j = back[c, j]
        bounds.append(top[j - 1])
        out[k] = np.array(bounds[::-1])
    return out


def _jenks_groups(x):
    """Sorted distinct values (or groups of them) with counts and the largest value of each.

    Up to ``JENKS_MAX_VALUES`` distinct values: the values themselves. Beyond, the sorted
    values are cut into at most ``JENKS_MAX_VALUES`` contiguous groups, at evenly spaced
    ranks (half of the cuts) and at evenly spaced values (the other half, so sparse tails
    keep their resolution); each group enters the optimisation as its mean with its
    count as weight. The within-group sum of squares is the same for every partition
    whose breaks fall between groups, so the result is the exact optimum among those.
    """
    values, counts = np.unique(x, return_counts=True)
    if len(values) <= JENKS_MAX_VALUES:
        return values, counts, values
    half = JENKS_MAX_VALUES // 2
    ranks = np.cumsum(counts)
    by_rank = np.searchsorted(ranks, np.linspace(0, ranks[-1], half + 1)[1:], side="left") + 1
    by_value = np.searchsorted(values, np.linspace(values[0], values[-1], half + 1)[1:], side="right")
    ends = np.unique(np.clip(np.concatenate((by_rank, by_value)), 1, len(values)))
    starts = np.concatenate(([0], ends[:-1]))
    group_counts = np.add.reduceat(counts, starts)
    group_means = np.add.reduceat(values * counts, starts) / group_counts
    return group_means, group_counts, values[ends - 1]


def natural_breaks(x, classes):
    """Inner natural breaks of ``x`` for every number of classes in ``classes``: ``{k: breaks}``."""
    values, counts, upper = _jenks_groups(np.asarray(x, dtype=float))
    if len(values) < max(classes):
        raise ClassificationError(f"natural breaks: only {len(values)} distinct values for {max(classes)} classes.")
    return {k: b[:-1] for k, b in fisher_jenks_all(values, list(classes), counts, upper).items()}


def class_breaks(x, method, k):
    """Inner breaks (``k - 1`` upper class bounds, ascending) of ``x``.

    Parameters
    ----------
    x : ndarray
        Finite values.
    method : str
        One of ``METHODS``.
    k : int
        Number of classes (>= 2).
    """
    x = np.asarray(x, dtype=float)
    if k < 2:
        raise ClassificationError("At least 2 classes are needed.")
    lo, hi = float(np.min(x)), float(np.max(x))
    if not hi > lo:
        raise ClassificationError("all values are equal, so they cannot be split into classes.")
    if method == "equal":
        return np.linspace(lo, hi, k + 1)[1:-1]
    if method == "quantile":
        return np.quantile(x, np.linspace(0.0, 1.0, k + 1)[1:-1])
    if method == "natural":
        return natural_breaks(x, [k])[k]
    if method == "geometric":
        shift = 1.0 - lo if lo <= 0 else 0.0
        return np.geomspace(lo + shift, hi + shift, k + 1)[1:-1] - shift
    if method == "sd":
        sd = float(np.std(x))
        return float(np.mean(x)) + sd * (np.arange(1, k) - k / 2.0)
    raise ClassificationError(f"Unknown classification method '{method}'; use one of {', '.join(METHODS)}.")


def classify(x, method, k, breaks=None):
    """Class labels ``0 .. m-1`` of ``x`` (empty classes dropped) and the breaks.

    ``breaks``: inner breaks computed already (e.g. by :func:`natural_breaks`).

    Returns
    -------
    labels : ndarray of int
    limits : list of (lower, upper)
        Value range of each non-empty class (as the data span it).
    """
    x = np.asarray(x, dtype=float)
    if breaks is None:
        breaks = class_breaks(x, method, k)
    raw = np.searchsorted(breaks, x, side="left")  # right-closed: x == break -> lower class
    counts = np.bincount(raw, minlength=len(breaks) + 1)
    used = np.flatnonzero(counts)
    lookup = np.zeros(len(counts), dtype=np.int64)
    lookup[used] = np.arange(len(used))
    labels = lookup[raw]
    edges = np.concatenate(([np.min(x)], breaks, [np.max(x)]))
    limits = [(float(edges[c]), float(edges[c + 1])) for c in used]
    return labels.astype(np.int64), limits
