"""Geographically weighted regression (GWR) and ordinary least squares (OLS).

A numpy/scipy engine that reproduces mgwr 2.2.1 (Oshan et al. 2019) with its
default settings -- GWR calibration, bandwidth selection and inference --
without ``n x n`` hat matrices:

* the kernel weights come block by block from :class:`core.kernel.SpatialKernel`;
* the local ``k x k`` normal equations of all locations of a block are solved at
  once (a vectorised Gauss-Jordan inverse over the stacked systems);
* the hat-matrix diagonal (``tr S``), ``tr S'S`` and the coefficient covariance
  come from the same stacked systems;
* the bandwidth is chosen by the searches and criteria of :mod:`core.bandwidth`.

References
----------
Fotheringham, Brunsdon & Charlton (2002) *Geographically weighted regression*.
Oshan, Li, Kang, Wolf & Fotheringham (2019) mgwr: a Python implementation of
multiscale geographically weighted regression. ISPRS IJGI 8(6), 269.
"""

from dataclasses import dataclass, field

import numpy as np
from scipy import special

from .bandwidth import CRITERIA, equal_interval, fit_score, gaussian_loglike, golden_section, search_bounds
from .kernel import RegressionError, SpatialKernel, squared_weights, weighted_sums
from .numerics import constant_columns


def no_progress(fraction, message=None):
    return None

# ---------------------------------------------------------------------------
# Local fits
# ---------------------------------------------------------------------------


def pair_products(X):
    """``x_ik x_il`` for every location and pair of columns, as an ``(n, k * k)`` array."""
    n, k = X.shape
    return (X[:, :, None] * X[:, None, :]).reshape(n, k * k)


def batched_inverse(a):
    """Inverses of a stack of small ``k x k`` matrices, and a mask of singular ones.

    Gauss-Jordan elimination with partial pivoting, vectorised over the stack.
    For the tiny matrices of local regressions this is much faster than LAPACK
    called once per matrix (whose thread start-up dominates on a busy machine),
    and it tells which locations are singular instead of failing as a whole.
    """
    a = np.array(a, dtype=float, copy=True)
    m, k, _ = a.shape
    inv = np.broadcast_to(np.eye(k), a.shape).copy()
    rows = np.arange(m)
    scale = np.max(np.abs(a), axis=(1, 2))
    singular = ~(scale > 0)
    for c in range(k):
        p = c + np.argmax(np.abs(a[:, c:, c]), axis=1)
        swap = p != c
        if np.any(swap):
            r = rows[swap]
            pr = p[swap]
            top_a, top_i = a[r, c, :].copy(), inv[r, c, :].copy()
            a[r, c, :], inv[r, c, :] = a[r, pr, :], inv[r, pr, :]
            a[r, pr, :], inv[r, pr, :] = top_a, top_i
        piv = a[:, c, c]
        bad = np.abs(piv) <= 1e-14 * scale
        singular |= bad
        piv = np.where(bad, 1.0, piv)
        a[:, c, :] /= piv[:, None]
        inv[:, c, :] /= piv[:, None]
        f = a[:, :, c].copy()
        f[:, c] = 0.0
        a -= f[:, :, None] * a[:, None, c, :]
        inv -= f[:, :, None] * inv[:, None, c, :]
    return inv, singular


def _invert_stack(a, row0, names, skernel, X, bw):
    inv, singular = batched_inverse(a)
    if np.any(singular):
        raise singular_local_error(row0 + np.flatnonzero(singular), names, skernel, X, bw)
    return inv


def singular_local_error(rows, names, skernel, X, bw):
    """A :class:`RegressionError` naming the culprit variable and a minimum bandwidth."""
    rows = list(rows)[:50]
    k = X.shape[1]
    names = list(names) if names is not None else [f"x{j}" for j in range(k)]
    culprits = set()
    needed = k + 1
    for i in rows:
        order = skernel.neighbour_order(i, skernel.n)
        m = k
        while m <= skernel.n and np.linalg.matrix_rank(X[order[:m]]) < k:
            m += 1
        needed = max(needed, m + 1)
        local = X[order[:max(int(bw) if not skernel.fixed else k, k)]]
        constant = constant_columns(local)
        for j in range(k):
            if constant[j] and names[j] != "Intercept":
                culprits.add(names[j])
    which = (f" '{', '.join(sorted(culprits))}' is constant among the neighbours of "
             f"location {rows[0]}" if culprits else
             f" the explanatory variables are collinear among the neighbours of location {rows[0]}")
    unit = "neighbours" if not skernel.fixed else "(distance units)"
    hint = (f"Set the minimum bandwidth to at least {needed} neighbours"
            if not skernel.fixed else
            f"Use a larger minimum distance bandwidth than {bw:g} {unit}, or an adaptive bandwidth")
    return RegressionError(
        f"The local regression is singular at bandwidth {bw:g}:{which}. {hint}, "
        "or remove/merge that variable."
    )


@dataclass
class LocalFit:
    """Result of one GWR calibration at a fixed bandwidth."""

    params: np.ndarray  # (n, k)
    predy: np.ndarray
    resid: np.ndarray
    influ: np.ndarray  # diagonal of the hat matrix S
    tr_s: float
    rss: float
    cct: np.ndarray = None  # (n, k) diag((X'WX)^-1 X'W^2X (X'WX)^-1), unscaled
    tr_sts: float = None
    local_r2: np.ndarray = None
    inverse: np.ndarray = None  # (n, k, k) (X'W_iX)^-1, when asked


def gwr_fit(skernel, y, X, bw, full=False, keep_inverse=False, names=None, progress=None,
            ranked=False):
    """Calibrate a GWR at bandwidth ``bw`` (lite: params, influence, residuals).

    ``full=True`` also returns the unscaled coefficient covariance diagonal,
    ``tr(S'S)`` and local R2. Never builds ``n x n`` matrices beyond one block.
    ``ranked=True`` (the same ``y`` and ``X`` fitted at several bandwidths, as in
    a bandwidth search) takes the kernel sums from the kernel's rank prefix sums
    where it has them and they fit (:meth:`SpatialKernel.rank_sums_fit`), built
    once for ``X`` and ``y``.
    """
    n, k = X.shape
    y = np.asarray(y, dtype=float).reshape(-1)
    if k == 1:
        fit = _gwr_fit_single(skernel, y, X[:, 0], bw, full, progress, ranked)
        if keep_inverse:
            fit.inverse = (fit.influ / X[:, 0] ** 2)[:, None, None]
        return fit
    # X'W_iX is symmetric: only its upper triangle is summed (k(k+1)/2 columns instead of
    # k^2), in one product with X'W_iy (and, for ``full``, the sums of 1, y, y^2)
    upper = np.triu_indices(k)
    p = len(upper[0])
    xx = X[:, upper[0]] * X[:, upper[1]]
    columns = [xx, X * y[:, None]]
    if full:
        columns += [np.ones((n, 1)), y[:, None], (y * y)[:, None]]
    v = np.concatenate(columns, axis=1)
    params = np.empty((n, k))
    influ = np.empty(n)
    cct = np.empty((n, k)) if full else None
    sts = np.empty(n) if full else None
    inverse = np.empty((n, k, k)) if keep_inverse else None
    wsums = np.empty((n, 3)) if full else None

    def symmetric(sums):
        a = np.empty((len(sums), k, k))
        a[:, upper[0], upper[1]] = sums
        a[:, upper[1], upper[0]] = sums
        return a

    def solve(r0, s, w=None):  # rows r0:r0 + len(s) from their weighted sums s (and weights w)
        r1 = r0 + len(s)
        a = symmetric(s[:, :p])
        b = s[:, p:p + k]
        inv = _invert_stack(a, r0, names, skernel, X, bw)
        params[r0:r1] = np.einsum("rkl,rl->rk", inv, b)
        xi = X[r0:r1]
        cx = np.einsum("rkl,rl->rk", inv, xi)
        influ[r0:r1] = np.einsum("rk,rk->r", xi, cx)
        if keep_inverse:
            inverse[r0:r1] = inv
        if full:
            a2 = symmetric(weighted_sums(squared_weights(w), xx))
            m = np.einsum("rkl,rlm,rmj->rkj", inv, a2, inv)
            cct[r0:r1] = np.einsum("rkk->rk", m)
            sts[r0:r1] = np.einsum("rk,rkl,rl->r", xi, m, xi)
            wsums[r0:r1] = s[:, p + k:]

    def local(r0, r1, w):  # on a worker thread: writes rows r0:r1 only
        solve(r0, weighted_sums(w, v), w)

    if ranked and not full and skernel.rank_sums_fit(v.shape[1]):
        # a bandwidth search: the columns are the same at every probe (one table)
        solve(0, skernel.rank_weighted_sums(skernel.rank_sums(v, progress), bw))
    else:
        for _ in skernel.map_blocks(bw, local, progress):
            pass
    predy = np.einsum("ik,ik->i", X, params)
    resid = y - predy
    rss = float(np.einsum("i,i->", resid, resid))
    fit = LocalFit(params, predy, resid, influ, float(np.sum(influ)), rss, inverse=inverse)
    if full:
        fit.cct = cct
        fit.tr_sts = float(np.sum(sts))
        fit.local_r2 = _local_r2(skernel, bw, wsums, resid)
    return fit


def _local_r2(skernel, bw, wsums, resid):
    e2 = np.empty(skernel.n)
    for r0, r1, s in skernel.map_blocks(bw, lambda r0, r1, w: weighted_sums(w, resid * resid)):
        e2[r0:r1] = s
    sw, swy, swy2 = wsums.T
    tss = swy2 - swy * swy / sw
    return (tss - e2) / tss


def _gwr_fit_single(skernel, y, x, bw, full, progress, ranked=False):
    """Single-covariate GWR in closed form: beta_i = sum w x y / sum w x^2."""
    n = len(y)
    if ranked and not full and skernel.rank_sums_fit(2):
        # x^2 is the same in every search of a back-fitting term: its table is kept
        table = skernel.rank_sums(np.column_stack([x * y, x * x]), progress, fixed=(False, True))
        sums = skernel.rank_weighted_sums(table, bw)
        return _single_fit(y, x, sums[:, 0], sums[:, 1])
    num = np.empty(n)
    memo = skernel.sums_key(bw, x * x)  # sum_l w_il x_l^2: the same at every back-fitting step
    known = skernel.fixed_sums(memo)
    den = np.empty(n) if known is None else known
    den2 = np.empty(n) if full else None
    v = np.column_stack([x * y, x * x]) if known is None else x * y

    def local(r0, r1, w):  # on a worker thread: writes rows r0:r1 only
        s = weighted_sums(w, v)
        if known is None:
            num[r0:r1] = s[:, 0]
            den[r0:r1] = s[:, 1]
        else:
            num[r0:r1] = s
        if full:
            den2[r0:r1] = weighted_sums(squared_weights(w), x * x)

    for _ in skernel.map_blocks(bw, local, progress):
        pass
    if known is None:
        skernel.fixed_sums(memo, den)
    fit = _single_fit(y, x, num, den)
    if full:
        fit.cct = (den2 / den ** 2)[:, None]
        fit.tr_sts = float(np.sum(x * x * x * x * den2 / den ** 2))
    return fit


# ---------------------------------------------------------------------------
# Bandwidth selection
# ---------------------------------------------------------------------------


def _single_fit(y, x, num, den):
    """Single-covariate fit from the kernel sums ``num = W (x y)`` and ``den = W x^2``."""
    beta = num / den
    predy = beta * x
    resid = y - predy
    influ = x * x / den
    return LocalFit(beta[:, None], predy, resid, influ, float(np.sum(influ)),
                    float(np.einsum("i,i->", resid, resid)))


def select_bandwidth(skernel, y, X, criterion="AICc", search="golden_section",
                     bw_min=None, bw_max=None, interval=0.0, tol=1.0e-6, max_iter=200,
                     names=None, progress=None):
    """Optimal bandwidth of a GWR of ``y`` on ``X`` (``X`` includes any intercept).

    Equivalent to ``mgwr.sel_bw.Sel_BW(coords, y, X, constant=False, ...).search``
    (with an intercept column in ``X``: ``Sel_BW(coords, y, X[:, 1:])``).
    """
    if criterion not in CRITERIA:
        raise RegressionError(f"Unknown criterion '{criterion}'. Use one of {', '.join(CRITERIA)}.")
    n, k = X.shape
    progress = progress or no_progress
    calls = [0]

    def score(bw):
        calls[0] += 1
        now = min(0.95, 1.0 - 0.9 ** calls[0])
        progress(now)
        if not skernel.fixed and (bw < 1 or bw > n):
            raise RegressionError(
                f"An adaptive bandwidth must be between 1 and the number of observations ({n}); "
                f"got {bw:g}.")
        # the per-block ticks let a cancel request through within one evaluation
        return fit_score(gwr_fit(skernel, y, X, bw, names=names, ranked=True,
                                 progress=lambda f, m=None: progress(now)), criterion, n)

    if search == "golden_section":
        a, c = search_bounds(skernel, k, bw_min, bw_max)
        if a > c:
            raise RegressionError(
                f"The minimum bandwidth ({a:g}) is larger than the maximum ({c:g}).")
        return golden_section(a, c, score, tol, max_iter, int_score=not skernel.fixed)
    if search == "interval":
        if bw_min is None or bw_max is None:
            raise RegressionError("The interval search needs a minimum and a maximum bandwidth.")
        return equal_interval(bw_min, bw_max, interval, score, int_score=not skernel.fixed)
    raise RegressionError(f"Unknown search method '{search}'.")



# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


def critical_t(alpha_adjusted, n):
    """Two-sided critical t for ``alpha_adjusted`` with ``n - 1`` degrees of freedom.

    Student's t quantiles and tails come from ``scipy.special`` (what ``scipy.stats.t``
    computes them with): importing ``scipy.stats`` takes 0.4-0.8 s, a tenth of a
    whole MGWR run of 2,000 locations.
    """
    return special.stdtrit(n - 1, 1.0 - np.abs(alpha_adjusted) / 2.0)


@dataclass
class RegressionResult:
    """A fitted OLS, GWR or MGWR model (names follow mgwr's results)."""

    model: str
    names: list
    params: np.ndarray  # (n, k); OLS: repeated global coefficients
    bse: np.ndarray
    tvalues: np.ndarray
    predy: np.ndarray
    resid: np.ndarray
    std_resid: np.ndarray
    bandwidths: np.ndarray  # (k,) (all equal for GWR, inf for OLS)
    enp: np.ndarray  # (k,) ENP per term (MGWR); GWR: the model ENP; OLS: 1
    adj_alpha: np.ndarray  # (k,) adjusted alpha (0.05 level)
    adj_t_crit: np.ndarray  # (k,)
    tr_s: float
    sigma2: float
    rss: float
    aicc: float
    aic: float
    bic: float
    r2: float
    adj_r2: float
    n: int
    local_r2: np.ndarray = None
    influ: np.ndarray = None
    tr_sts: float = None
    cv: float = None
    pvalues: np.ndarray = None  # OLS only
    iterations: int = 0
    scores: list = field(default_factory=list)
    bandwidth_history: np.ndarray = None
    converged: bool = True
    inference: str = "exact"
    bw_init: float = None  # MGWR: bandwidth of the initial GWR

    @property
    def significant(self):
        """(n, k) 1 where |t| exceeds the term's adjusted critical t, else 0."""
        return (np.abs(self.tvalues) > self.adj_t_crit[None, :]).astype(int)


def model_statistics(y, predy, tr_s, n, enp=None):
    """Residuals, RSS, R2, adjusted R2, AICc, AIC and BIC of a fit with ``tr_s`` parameters."""
    resid = y - predy
    rss = float(resid @ resid)
    tss = float(np.sum((y - y.mean()) ** 2))
    llf = gaussian_loglike(rss, n)
    r2 = 1.0 - rss / tss
    adj_r2 = 1.0 - (1.0 - r2) * (n - 1) / (n - (tr_s if enp is None else enp) - 1)
    return dict(
        resid=resid, rss=rss, r2=r2, adj_r2=adj_r2,
        aicc=float(-2.0 * llf + 2.0 * n * (tr_s + 1.0) / (n - tr_s - 2.0)),
        aic=float(-2.0 * llf + 2.0 * (tr_s + 1.0)),
        bic=float(-2.0 * llf + (tr_s + 1.0) * np.log(n)),
    )


def fit_gwr(coords, y, X, *, bw=None, names=None, kernel="bisquare", fixed=False,
            criterion="AICc", search="golden_section", bw_min=None, bw_max=None,
            interval=0.0, sigma2_v1=True, skernel=None, progress=None):
    """Select the bandwidth (unless ``bw`` is given) and calibrate a GWR with inference.

    ``X`` must contain the intercept column if one is wanted. Matches
    ``GWR(coords, y, X, bw).fit()`` of mgwr 2.2.1 (params, bse, tvalues, tr S,
    AICc, R2, local R2, adjusted critical t). ``sigma2_v1=False`` uses GWR4's
    residual variance ``RSS / (n - 2 tr S + tr S'S)`` (and ENP ``2 tr S - tr S'S``).
    """
    y = np.asarray(y, dtype=float).reshape(-1)
    X = np.asarray(X, dtype=float)
    n, k = X.shape
    progress = progress or no_progress
    skernel = skernel or SpatialKernel(coords, kernel, fixed)
    if bw is None:
        bw, _, _ = select_bandwidth(skernel, y, X, criterion, search, bw_min, bw_max,
                                    interval, names=names,
                                    progress=lambda f, m=None: progress(0.8 * f, m or "Bandwidth search"))
    progress(0.85, "GWR inference")
    fit = gwr_fit(skernel, y, X, bw, full=True, names=names)
    tr_s = fit.tr_s
    if np.any(fit.influ >= 1.0 - 1e-10) or tr_s >= n - 2:
        raise RegressionError(
            f"The bandwidth {bw:g} is too small: some local regressions have no more neighbours "
            f"than parameters ({k}) and reproduce their observation exactly. Use a bandwidth "
            f"of at least {2 * k + 2} neighbours (or a larger distance).")
    if sigma2_v1:
        sigma2 = fit.rss / (n - tr_s)
        enp = tr_s
    else:
        sigma2 = fit.rss / (n - 2.0 * tr_s + fit.tr_sts)
        enp = 2.0 * tr_s - fit.tr_sts
    stats = model_statistics(y, fit.predy, tr_s, n, enp)
    bse = np.sqrt(fit.cct * sigma2)
    adj_alpha = np.full(k, 0.05 * k / enp)
    return RegressionResult(
        model="GWR", names=list(names) if names else [f"x{j}" for j in range(k)],
        params=fit.params, bse=bse, tvalues=fit.params / bse, predy=fit.predy,
        resid=stats["resid"], std_resid=stats["resid"] / np.sqrt(sigma2 * (1.0 - fit.influ)),
        bandwidths=np.full(k, float(bw)), enp=np.full(k, enp), adj_alpha=adj_alpha,
        adj_t_crit=critical_t(adj_alpha, n), tr_s=tr_s, sigma2=sigma2, rss=fit.rss,
        aicc=stats["aicc"], aic=stats["aic"], bic=stats["bic"], r2=stats["r2"],
        adj_r2=stats["adj_r2"], n=n, local_r2=fit.local_r2, influ=fit.influ,
        tr_sts=fit.tr_sts, cv=float(np.sum((fit.resid / (1 - fit.influ)) ** 2) / n),
    )


def fit_ols(y, X, *, names=None):
    """Ordinary least squares with classical standard errors (``X`` includes the intercept)."""
    y = np.asarray(y, dtype=float).reshape(-1)
    X = np.asarray(X, dtype=float)
    n, k = X.shape
    if n <= k + 1:
        raise RegressionError(
            f"OLS needs more observations ({n}) than parameters plus one ({k + 1}).")
    xtx = X.T @ X
    if np.linalg.matrix_rank(X) < k:
        raise RegressionError("The explanatory variables are perfectly collinear; remove one of them.")
    inv = np.linalg.inv(xtx)
    beta = inv @ (X.T @ y)
    predy = X @ beta
    stats = model_statistics(y, predy, float(k), n)
    stats["adj_r2"] = 1.0 - (1.0 - stats["r2"]) * (n - 1) / (n - k)  # classical OLS
    sigma2 = stats["rss"] / (n - k)
    se = np.sqrt(np.diag(inv) * sigma2)
    tval = beta / se
    influ = np.einsum("ik,kl,il->i", X, inv, X)
    # OLS: no multiple-testing correction; the usual two-sided 5 % level.
    adj_alpha = np.full(k, 0.05)
    return RegressionResult(
        model="OLS", names=list(names) if names else [f"x{j}" for j in range(k)],
        params=np.tile(beta, (n, 1)), bse=np.tile(se, (n, 1)), tvalues=np.tile(tval, (n, 1)),
        predy=predy, resid=stats["resid"],
        std_resid=stats["resid"] / np.sqrt(sigma2 * (1.0 - influ)),
        bandwidths=np.full(k, np.inf), enp=np.ones(k), adj_alpha=adj_alpha,
        adj_t_crit=np.full(k, special.stdtrit(n - k, 0.975)), tr_s=float(k), sigma2=sigma2,
        rss=stats["rss"], aicc=stats["aicc"], aic=stats["aic"], bic=stats["bic"],
        r2=stats["r2"], adj_r2=stats["adj_r2"], n=n, influ=influ,
        pvalues=2.0 * special.stdtr(n - k, -np.abs(tval)),
    )
