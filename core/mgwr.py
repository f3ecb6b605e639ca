"""Multiscale geographically weighted regression (MGWR) by back-fitting.

Reproduces mgwr 2.2.1 (``Sel_BW(coords, y, X, multi=True).search()`` followed by
``MGWR(coords, y, X, selector).fit()``) with its default settings:

1. start from a GWR (bandwidth chosen by the same criterion and search);
2. back-fit: for each term j in turn, fit its partial residual
   ``beta_j x_j + e`` with a single-covariate GWR whose bandwidth minimises the
   criterion -- in closed form, ``beta_ij = sum_l w_il x_lj r_l / sum_l w_il x_lj^2``;
   once all bandwidths have stayed the same for ``bws_same_times`` iterations the
   searches stop and the bandwidths are kept;
3. stop when the score of change
   ``SOC = sqrt(mean((XB_new - XB_old)^2) / sum_i (sum_j XB_new_ij)^2)``
   falls below ``tol`` (1e-5) or after ``max_iter`` (200) iterations.

Inference uses the covariate-specific hat matrices ``R_j`` (``S = sum_j R_j``),
obtained as mgwr does by replaying the back-fitting history on the columns of
the identity (Yu et al. 2019; Li & Fotheringham 2020), but block-wise: a block of
``c`` columns costs ``O(n k c)`` memory, and each smoothing step is one
(sparse or dense) product with the kernel matrix instead of a Python loop.
``ENP_j = tr(R_j)`` and the coefficient variances ``diag(C_j C_j') sigma^2``
(``C_j = R_j / x_j`` row-wise) follow. For large ``n`` (above
``exact_limit``) the same replay runs on Rademacher probe vectors instead of
identity columns (Hutchinson's estimator of ``tr R_j`` and of the row norms
of ``C_j``): an unbiased, documented approximation whose cost no longer grows
with ``n^2``.

References
----------
Fotheringham, Yang & Kang (2017) Multiscale geographically weighted regression.
Annals AAG 107(6), 1247-1265.
Yu, Fotheringham, Li, Oshan, Kang & Wolf (2019) Inference in multiscale GWR.
Geographical Analysis 52(1), 87-106.
Li & Fotheringham (2020) Computational improvements to MGWR. IJGIS 34(7).
"""

import time

import numpy as np

from .gwr import (
    RegressionError,
    RegressionResult,
    SpatialKernel,
    _common_stats,
    _noop_progress,
    _times,
    critical_t,
    gwr_fit,
    select_bandwidth,
)

# Replay blocks hold about this many float64 numbers per (n, k, c) array.
REPLAY_ELEMENTS = 25_000_000


class _Throttle:
    """Calls ``progress`` at most every ``every`` seconds (always on messages)."""

    def __init__(self, progress, every=0.25):
        self.progress = progress or _noop_progress
        self.every = every
        self.last = 0.0

    def __call__(self, fraction, message=None):
        now = time.monotonic()
        if message is not None or now - self.last >= self.every:
            self.last = now
            self.progress(fraction, message)


def backfit(skernel, y, X, criterion="AICc", search="golden_section", bw_min=None,
            bw_max=None, interval=0.0, bandwidths=None, init_bw=None, tol=1.0e-5,
            max_iter=200, bws_same_times=5, names=None, progress=None):
    """MGWR back-fitting (mgwr's ``multi_bw``); returns a dict of the run.

    ``bandwidths`` (one per column of ``X``) fixes the bandwidths instead of
    searching them. Keys: ``params``, ``bws``, ``bw_init``, ``history`` (iterations
    x k bandwidths), ``scores`` (SOC per iteration), ``converged``, ``resid``.
    """
    y = np.asarray(y, dtype=float).reshape(-1)
    n, k = X.shape
    report = _Throttle(progress)
    names = list(names) if names is not None else [f"x{j}" for j in range(k)]

    if init_bw is None:
        report(0.0, "Initial GWR: bandwidth search")
        init_bw, _, _ = select_bandwidth(skernel, y, X, criterion, search, bw_min, bw_max,
                                         interval, names=names,
                                         progress=lambda f, m=None: report(0.1 * f))
    report(0.1, f"Initial GWR bandwidth {init_bw:g}")
    fit = gwr_fit(skernel, y, X, init_bw, names=names)
    err = fit.resid
    xb = fit.params * X
    bws = np.empty(k)
    history, scores = [], []
    stable = 0
    converged = False
    params = fit.params.copy()
    for it in range(1, max_iter + 1):
        new_xb = np.zeros_like(X)
        params = np.zeros_like(X)
        for j in range(k):
            frac = 0.1 + 0.8 * (1.0 - 0.85 ** (it - 1 + j / k))
            report(frac)
            temp_y = xb[:, j] + err
            xj = X[:, j:j + 1]
            if bandwidths is not None:
                bw = float(bandwidths[j])
            elif stable >= bws_same_times:
                bw = bws[j]
            else:
                bw, _, _ = select_bandwidth(skernel, temp_y, xj, criterion, search, bw_min,
                                            bw_max, interval, names=[names[j]],
                                            progress=lambda f, m=None, fr=frac: report(fr))
            single = gwr_fit(skernel, temp_y, xj, bw, names=[names[j]],
                             progress=lambda f, m=None, fr=frac: report(fr))
            err = single.resid
            new_xb[:, j] = single.predy
            params[:, j] = single.params[:, 0]
            bws[j] = bw
        if it > 1 and np.all(history[-1] == bws):
            stable += 1
        else:
            stable = 0
        num = np.sum((new_xb - xb) ** 2) / n
        den = np.sum(np.sum(new_xb, axis=1) ** 2)
        score = float((num / den) ** 0.5)
        xb = new_xb
        scores.append(score)
        history.append(bws.copy())
        report(0.1 + 0.8 * (1.0 - 0.85 ** it),
               f"Back-fitting iteration {it}: score of change {score:.3e} (tolerance {tol:g}); "
               "bandwidths " + ", ".join(f"{b:g}" for b in bws))
        if score < tol:
            converged = True
            break
    return dict(params=params, bws=history[-1].copy(), bw_init=float(init_bw),
                history=np.array(history), scores=scores, converged=converged,
                resid=err, iterations=len(scores))


def _smoother_denominators(skernel, X, history, tick=None):
    """``sum_l w_il x_lj^2`` for every (term, bandwidth) pair in the history."""
    den = {}
    for j in range(X.shape[1]):
        for bw in np.unique(history[:, j]):
            key = (j, float(bw))
            d = np.empty(skernel.n)
            for r0, r1, w in skernel.blocks(bw, tick):
                d[r0:r1] = _times(w, X[:, j] ** 2)
            den[key] = d
    return den


def _dense_if_full(w, columns):
    """Multi-column products: threaded dense BLAS beats a sparse product past ~5 % fill."""
    if hasattr(w, "nnz") and columns > 8 and w.nnz > 0.05 * w.shape[0] * w.shape[1]:
        return w.toarray()
    return w


def _apply_smoother(skernel, bw, xj, den, block, tick=None):
    """Coefficient smoother of one term: ``C = diag(1/den) W diag(x_j)`` times ``block``."""
    out = np.empty_like(block)
    v = xj[:, None] * block
    for r0, r1, w in skernel.blocks(bw, tick):
        out[r0:r1] = _times(_dense_if_full(w, block.shape[1]), v)
    out /= den[:, None]
    return out


def replay_inference(skernel, X, bw_init, inverse, history, probes, columns=None,
                     progress=None):
    """Replay the back-fitting on the columns of ``probes`` (n x c).

    Returns ``(enp_part (k,), cct_part (n, k), influ_part (n,))``: sums over the
    probe columns of ``z' R_j z``, of ``(C_j z)_i^2`` and of ``z_i (S z)_i``.
    With identity columns (``columns`` = their indices, ``probes`` = the identity
    block) these are the exact ``tr R_j``, row sums of squares of ``C_j`` and the
    diagonal of ``S``.
    """
    n, k = X.shape
    c = probes.shape[1]
    report = progress or _noop_progress
    # initial GWR: R_j = diag(x_j) [(X'W_iX)^-1 X'W_i]_j
    coef = np.empty((n, k, c))
    if columns is not None:  # X'W_i e_c = x_c w_ic: no product needed
        xc = X[columns].T
        for r0, r1, w in skernel.blocks(bw_init, lambda f, m=None: report(0.0)):
            wc = w[:, columns]
            wc = wc.toarray() if hasattr(wc, "toarray") else np.asarray(wc)
            coef[r0:r1] = np.einsum("rkl,lc,rc->rkc", inverse[r0:r1], xc, wc, optimize=True)
    else:
        xz = (X[:, :, None] * probes[:, None, :]).reshape(n, k * c)
        for r0, r1, w in skernel.blocks(bw_init, lambda f, m=None: report(0.0)):
            g = _times(w, xz).reshape(-1, k, c)
            coef[r0:r1] = np.einsum("rkl,rlc->rkc", inverse[r0:r1], g)
        del xz
    part = X[:, :, None] * coef
    err = probes - part.sum(axis=1)
    den = _smoother_denominators(skernel, X, history, lambda f, m=None: report(0.0))
    steps = history.shape[0] * k
    step = 0
    for it in range(history.shape[0]):
        for j in range(k):
            bw = float(history[it, j])
            old = part[:, j, :] + err
            coef[:, j, :] = _apply_smoother(skernel, bw, X[:, j], den[(j, bw)], old,
                                            tick=lambda f, m=None, s=step: report(s / steps))
            part[:, j, :] = X[:, j, None] * coef[:, j, :]
            err = old - part[:, j, :]
            step += 1
            report(step / steps)
    enp = np.einsum("nc,nkc->k", probes, part)
    cct = np.einsum("nkc,nkc->nk", coef, coef)
    influ = np.einsum("nc,nc->n", probes, part.sum(axis=1))
    return enp, cct, influ


def mgwr_inference(skernel, X, bw_init, history, exact=True, n_probes=100, seed=0,
                   names=None, progress=None):
    """``ENP_j``, unscaled coefficient variances (n, k) and hat diagonal of an MGWR."""
    n, k = X.shape
    report = _Throttle(progress)
    init = gwr_fit(skernel, np.zeros(n), X, bw_init, keep_inverse=True, names=names)
    inverse = init.inverse
    enp = np.zeros(k)
    cct = np.zeros((n, k))
    influ = np.zeros(n)
    if exact:
        width = max(1, min(n, REPLAY_ELEMENTS // (n * k)))
        for c0 in range(0, n, width):
            c1 = min(n, c0 + width)
            probes = np.zeros((n, c1 - c0))
            probes[np.arange(c0, c1), np.arange(c1 - c0)] = 1.0
            e, cc, inf = replay_inference(
                skernel, X, bw_init, inverse, history, probes, columns=np.arange(c0, c1),
                progress=lambda f, a=c0, b=c1: report((a + f * (b - a)) / n))
            enp += e
            cct += cc
            influ += inf
        return enp, cct, influ
    rng = np.random.default_rng(seed)
    width = max(1, min(n_probes, REPLAY_ELEMENTS // (n * k)))
    done = 0
    while done < n_probes:
        c = min(width, n_probes - done)
        probes = rng.choice(np.array([-1.0, 1.0]), size=(n, c))
        e, cc, inf = replay_inference(
            skernel, X, bw_init, inverse, history, probes,
            progress=lambda f, a=done, b=done + c: report((a + f * (b - a)) / n_probes))
        enp += e
        cct += cc
        influ += inf
        done += c
    return enp / n_probes, cct / n_probes, influ / n_probes


def fit_mgwr(coords, y, X, names=None, kernel="bisquare", fixed=False, criterion="AICc",
             search="golden_section", bw_min=None, bw_max=None, interval=0.0,
             bandwidths=None, init_bw=None, tol=1.0e-5, max_iter=200, bws_same_times=5,
             inference="auto", exact_limit=5000, exact_flops=2.5e12, n_probes=100, seed=0,
             skernel=None, progress=None):
    """Fit an MGWR with inference (``X`` includes the intercept column if wanted).

    Parameters
    ----------
    coords : (n, 2) array
        Projected coordinates; fixed bandwidths are in these units.
    y : (n,) array
    X : (n, k) array
    bandwidths : sequence of k numbers, optional
        User-given bandwidths (no search).
    inference : {"auto", "exact", "stochastic"}
        ``"auto"``: exact when ``n <= exact_limit`` and replaying the back-fitting
        on the identity costs at most ``exact_flops`` (about
        ``2 * (iterations + 1) * k * n**3``: a fit that needed hundreds of
        iterations would take hours), else ``n_probes`` Rademacher probes
        (seeded by ``seed``).
    progress : callable ``progress(fraction, message=None)``, optional
        Receives the back-fitting iteration and its score of change.

    Returns
    -------
    RegressionResult
        ``bandwidths``, ``enp`` (ENP_j), ``adj_alpha`` (0.05 / ENP_j),
        ``adj_t_crit``, ``params``, ``bse``, ``tvalues``, ``aicc``, ``scores``
        (SOC per iteration), ``iterations``, ``converged`` ...
    """
    y = np.asarray(y, dtype=float).reshape(-1)
    X = np.asarray(X, dtype=float)
    n, k = X.shape
    names = list(names) if names is not None else [f"x{j}" for j in range(k)]
    progress = progress or _noop_progress
    skernel = skernel or SpatialKernel(coords, kernel, fixed)
    if bandwidths is not None and len(bandwidths) != k:
        raise RegressionError(
            f"Give one bandwidth per term ({k}: {', '.join(names)}); got {len(bandwidths)}.")
    run = backfit(skernel, y, X, criterion, search, bw_min, bw_max, interval, bandwidths,
                  init_bw, tol, max_iter, bws_same_times, names,
                  progress=lambda f, m=None: progress(0.75 * f, m))
    replay_flops = 2.0 * (run["iterations"] + 1) * k * float(n) ** 3
    exact = inference == "exact" or (
        inference == "auto" and n <= exact_limit and replay_flops <= exact_flops)
    progress(0.75, "MGWR inference (covariate-specific hat matrices)"
             + ("" if exact else f", estimated with {n_probes} random probes"))
    enp, cct, influ = mgwr_inference(skernel, X, run["bw_init"], run["history"], exact,
                                     n_probes, seed, names,
                                     progress=lambda f, m=None: progress(0.75 + 0.25 * f))
    params = run["params"]
    predy = np.sum(X * params, axis=1)
    tr_s = float(np.sum(enp))
    stats = _common_stats(y, predy, tr_s, n)
    sigma2 = stats["rss"] / (n - tr_s)
    bse = np.sqrt(cct * sigma2)
    adj_alpha = 0.05 / enp
    resid = stats["resid"]
    std_resid = resid / np.sqrt(sigma2 * (1.0 - influ)) if exact else resid / np.sqrt(sigma2)
    return RegressionResult(
        model="MGWR", names=names, params=params, bse=bse, tvalues=params / bse, predy=predy,
        resid=resid, std_resid=std_resid, bandwidths=np.asarray(run["bws"], dtype=float),
        enp=enp, adj_alpha=adj_alpha, adj_t_crit=critical_t(adj_alpha, n), tr_s=tr_s,
        sigma2=sigma2, rss=stats["rss"], aicc=stats["aicc"], aic=stats["aic"],
        bic=stats["bic"], r2=stats["r2"], adj_r2=stats["adj_r2"], n=n,
        influ=influ if exact else None, iterations=run["iterations"], scores=run["scores"],
        bandwidth_history=run["history"], converged=run["converged"],
        inference="exact" if exact else f"stochastic ({n_probes} probes, seed {seed})",
        bw_init=run["bw_init"],
    )
