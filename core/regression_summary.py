"""Summaries of a fitted OLS/GWR/MGWR model for tables and reports.

One place computes what the regression tool writes to its summary table and
its HTML report: the distribution of each term's local coefficients (as
mgwr's ``MGWRResults.summary()``: mean, standard deviation, min, median, max)
with the share of locations where the term is significant, the global
variance inflation factors of the explanatory variables and the spread of the
local condition numbers.
"""

from dataclasses import dataclass

import numpy as np

from .collinearity import CN_THRESHOLD, VIF_THRESHOLD, variance_inflation_factors


@dataclass(frozen=True)
class TermSummary:
    """Distribution of one term's local coefficients over the locations.

    Attributes
    ----------
    name : str
        Term (``"Intercept"`` or the explanatory variable).
    bandwidth : float
        The term's bandwidth (neighbours or distance units; ``inf`` for OLS).
    enp : float
        Effective number of parameters of the term.
    adj_alpha, adj_t_crit : float
        Adjusted significance level and critical |t| (multiple testing).
    mean, std, min, median, max : float
        Of the local coefficients (population standard deviation, ``ddof=0``).
    percent_significant : float
        Percentage (0-100) of locations where |t| exceeds the critical t.
    """

    name: str
    bandwidth: float
    enp: float
    adj_alpha: float
    adj_t_crit: float
    mean: float
    std: float
    min: float
    median: float
    max: float
    percent_significant: float


def coefficient_summary(result, names):
    """One :class:`TermSummary` per term of a fitted model.

    Parameters
    ----------
    result : core.gwr.RegressionResult
        The fit (``params`` of shape ``(n, k)``, ``bandwidths``, ``enp``,
        ``adj_alpha``, ``adj_t_crit`` of shape ``(k,)`` and ``significant``).
    names : sequence of str
        The ``k`` term names, intercept first.

    Returns
    -------
    list of TermSummary
    """
    params = np.asarray(result.params, dtype=float)
    significant = np.asarray(result.significant)
    out = []
    for j, name in enumerate(names):
        b = params[:, j]
        out.append(TermSummary(
            name=name, bandwidth=float(result.bandwidths[j]), enp=float(result.enp[j]),
            adj_alpha=float(result.adj_alpha[j]), adj_t_crit=float(result.adj_t_crit[j]),
            mean=float(np.mean(b)), std=float(np.std(b)), min=float(np.min(b)),
            median=float(np.median(b)), max=float(np.max(b)),
            percent_significant=float(100.0 * np.mean(significant[:, j])),
        ))
    return out


@dataclass(frozen=True)
class Collinearity:
    """Global and local collinearity of a design.

    Attributes
    ----------
    vif : ndarray, shape (p,)
        Variance inflation factor of each explanatory variable (no intercept);
        ``inf`` for a constant or perfectly collinear variable.
    high_vif : ndarray of bool, shape (p,)
        ``vif > VIF_THRESHOLD``.
    """

    vif: np.ndarray
    high_vif: np.ndarray

    @property
    def perfectly_collinear(self):
        """Positions of the variables with an infinite (undefined) VIF."""
        return np.flatnonzero(~np.isfinite(self.vif))


def collinearity(X):
    """VIF of the explanatory columns ``X`` (``(n, p)``, no intercept) and which exceed the threshold."""
    vif = variance_inflation_factors(X)
    return Collinearity(vif=vif, high_vif=vif > VIF_THRESHOLD)


@dataclass(frozen=True)
class ConditionNumbers:
    """Spread of the local condition numbers of a geographically weighted design."""

    min: float
    median: float
    max: float
    above: int  # locations above CN_THRESHOLD
    count: int


def condition_number_summary(cn):
    """Min, median, max and the count above ``CN_THRESHOLD`` of local condition numbers ``cn``."""
    cn = np.asarray(cn, dtype=float)
    return ConditionNumbers(min=float(cn.min()), median=float(np.median(cn)), max=float(cn.max()),
                            above=int(np.sum(cn > CN_THRESHOLD)), count=int(cn.size))


def regression_design(y, X, standardize=False):
    """The response and the design matrix (intercept column first) of a regression.

    Parameters
    ----------
    y : (n,) array
        Dependent variable.
    X : (n, p) array
        Explanatory variables, without intercept.
    standardize : bool
        Centre every variable on its mean and divide by its (population)
        standard deviation first, as mgwr's examples do, so that bandwidths
        and coefficients of different terms are comparable.

    Returns
    -------
    y : (n,) float array
    design : (n, p + 1) float array, ``[1, X]``
    """
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    if standardize:
        y = (y - y.mean()) / y.std()
        X = (X - X.mean(axis=0)) / X.std(axis=0)
    return y, np.column_stack([np.ones(len(y)), X])
