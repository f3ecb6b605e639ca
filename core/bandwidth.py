"""Bandwidth searches and model-selection criteria, with mgwr 2.2.1's exact rules.

* :func:`golden_section` and :func:`equal_interval` search a bandwidth that
  minimises any score function (integer bandwidths for adaptive kernels), as
  ``mgwr.search.golden_section`` / ``equal_interval`` do -- including the
  rounding of the result to 2 decimals;
* :func:`search_bounds` gives mgwr's default interval;
* :func:`information_criterion` gives AICc, AIC, BIC of a Gaussian (G)WR with
  ``tr S`` effective parameters, or the leave-one-out CV score
  (:func:`fit_score` for a local fit).

References
----------
Fotheringham, Brunsdon & Charlton (2002) *Geographically weighted regression*.
Oshan, Li, Kang, Wolf & Fotheringham (2019) mgwr: a Python implementation of
multiscale geographically weighted regression. ISPRS IJGI 8(6), 269.
"""

import numpy as np

from .kernel import RegressionError

CRITERIA = ("AICc", "AIC", "BIC", "CV")
GOLDEN_DELTA = 0.38197  # 1 - (sqrt(5) - 1) / 2, as mgwr


# ---------------------------------------------------------------------------
# Criteria
# ---------------------------------------------------------------------------


def gaussian_loglike(rss, n):
    """Log-likelihood of a Gaussian model with residual sum of squares ``rss``."""
    return -np.log(rss) * n / 2.0 - (1.0 + np.log(np.pi / (n / 2.0))) * n / 2.0


def information_criterion(criterion, rss, tr_s, n, cv_resid=None):
    """AICc / AIC / BIC of a Gaussian (G)WR with ``tr_s`` effective parameters, or CV."""
    if criterion == "CV":
        return float(np.sum(cv_resid ** 2) / n)
    llf = gaussian_loglike(rss, n)
    if criterion == "AICc":
        return float(-2.0 * llf + 2.0 * n * (tr_s + 1.0) / (n - tr_s - 2.0))
    if criterion == "AIC":
        return float(-2.0 * llf + 2.0 * (tr_s + 1.0))
    if criterion == "BIC":
        return float(-2.0 * llf + (tr_s + 1.0) * np.log(n))
    raise RegressionError(f"Unknown criterion '{criterion}'. Use one of {', '.join(CRITERIA)}.")


def fit_score(fit, criterion, n):
    """``criterion`` of a local fit (``rss``, ``tr_s``; ``resid`` and ``influ`` for CV)."""
    cv = fit.resid / (1.0 - fit.influ) if criterion == "CV" else None
    return information_criterion(criterion, fit.rss, fit.tr_s, n, cv)


# ---------------------------------------------------------------------------
# Bandwidth searches (mgwr's exact rules)
# ---------------------------------------------------------------------------


def golden_section(a, c, function, tol=1.0e-6, max_iter=200, int_score=False):
    """mgwr's golden-section search (integer rounding for adaptive bandwidths).

    Returns ``(bandwidth, score, history)``; the bandwidth is rounded to 2
    decimals as mgwr does.
    """
    delta = GOLDEN_DELTA
    b = a + delta * np.abs(c - a)
    d = c - delta * np.abs(c - a)
    opt_val, opt_score = None, np.inf
    diff = 1.0e9
    iters = 0
    scores = {}
    history = []
    while np.abs(diff) > tol and iters < max_iter:
        iters += 1
        if int_score:
            b = np.round(b)
            d = np.round(d)
        if b not in scores:
            scores[b] = function(b)
        score_b = scores[b]
        if d not in scores:
            scores[d] = function(d)
        score_d = scores[d]
        if score_b <= score_d:
            opt_val, opt_score = b, score_b
            c = d
            d = b
            b = a + delta * np.abs(c - a)
        else:
            opt_val, opt_score = d, score_d
            a = b
            b = d
            d = c - delta * np.abs(c - a)
        history.append((float(opt_val), float(opt_score)))
        opt_val = np.round(opt_val, 2)
        diff = score_b - score_d
    return float(opt_val), float(opt_score), history


def equal_interval(lower, upper, step, function, int_score=False):
    """mgwr's interval search from ``lower`` to ``upper`` by ``step`` (both ends scored)."""
    if not step or step <= 0:
        raise RegressionError("The interval search needs a positive step.")
    a, c, b = lower, upper, lower + step
    if int_score:
        a, c, b = np.round(a, 0), np.round(c, 0), np.round(b, 0)
    history = []
    opt_val, opt_score = a, function(a)
    history.append((float(a), opt_score))
    while b < c:
        s = function(b)
        history.append((float(b), s))
        if s < opt_score:
            opt_val, opt_score = b, s
        b = b + step
    s = function(c)
    history.append((float(c), s))
    if s < opt_score:
        opt_val, opt_score = c, s
    return float(opt_val), float(opt_score), history


def search_bounds(skernel, n_vars, bw_min=None, bw_max=None):
    """mgwr's default search interval: [40 + 2 k, n] neighbours or [dmin/2, 2 dmax]."""
    if skernel.fixed:
        dmin, dmax = skernel.distance_range()
        a, c = dmin / 2.0, dmax * 2.0
    else:
        a, c = 40 + 2 * n_vars, skernel.n
    if bw_min is not None:
        a = bw_min
    if bw_max is not None and np.isfinite(bw_max):
        c = bw_max
    return a, c
