"""HTML report of the geographical detector: tables, a q bar chart, an interaction heat map."""


import numpy as np

from ..core.classify import METHOD_NAMES
from ..core.formatting import format_cell
from . import _html


def _fmt(value):
    """A table cell: 4 significant digits (an infinite F or ncp, q = 1, reads "inf")."""
    return format_cell(value, 4)


def q_bar_chart_png(factors):
    """Horizontal bar chart of q per factor (sorted), significant bars dark; base64 PNG or None."""
    try:
        from matplotlib.figure import Figure
    except ImportError:  # matplotlib ships with QGIS; keep the report without the figure otherwise
        return None
    ordered = sorted(factors, key=lambda f: f.q)
    fig = Figure(figsize=(6.0, 0.45 * len(ordered) + 1.2))
    ax = fig.add_subplot(111)
    colours = ["#b2182b" if f.p < 0.05 else "#bbbbbb" for f in ordered]
    ax.barh([f.name for f in ordered], [f.q for f in ordered], color=colours)
    for i, f in enumerate(ordered):
        ax.text(f.q, i, f" {f.q:.3f}", va="center", fontsize=8)
    ax.set_xlim(0, min(1.0, max(f.q for f in ordered) * 1.25 + 0.02))
    ax.set_xlabel("q (share of the variance explained by the strata)")
    ax.set_title("Factor detector (grey: p >= 0.05)")
    return _html.figure_png_base64(fig)


def interaction_heatmap_png(factors, interactions):
    """Heat map of q (diagonal: q of each factor; off-diagonal: q(X1 n X2)); base64 PNG or None."""
    if len(factors) < 2:
        return None
    try:
        from matplotlib.figure import Figure
    except ImportError:
        return None
    names = [f.name for f in factors]
    index = {name: i for i, name in enumerate(names)}
    m = np.full((len(names), len(names)), np.nan)
    for f in factors:
        m[index[f.name], index[f.name]] = f.q
    codes = {}
    for r in interactions:
        i, j = index[r["factor_1"]], index[r["factor_2"]]
        m[i, j] = m[j, i] = r["q_12"]
        codes[(i, j)] = codes[(j, i)] = r["type"]
    size = 1.0 + 0.8 * len(names)
    fig = Figure(figsize=(size + 1.5, size))
    ax = fig.add_subplot(111)
    image = ax.imshow(m, cmap="YlOrRd", vmin=0, vmax=max(np.nanmax(m), 1e-9))
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=45, ha="right")
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(names)
    short = {"nonlinear-weaken": "NW", "uni-variable weaken": "UW", "bi-variable enhance": "BE",
             "independent": "I", "nonlinear-enhance": "NE"}
    for i in range(len(names)):
        for j in range(len(names)):
            label = f"{m[i, j]:.2f}" + (f"\n{short[codes[(i, j)]]}" if (i, j) in codes else "")
            ax.text(j, i, label, ha="center", va="center", fontsize=7)
    fig.colorbar(image, ax=ax, label="q")
    ax.set_title("Interaction detector: q(X1 ∩ X2)")
    return _html.figure_png_base64(fig)


def write_geodetector_report(path, result, description, alpha):
    """Write the report of a :class:`core.geodetector.GeodetectorResult` to ``path``."""
    from .geodetector import stratum_labels

    sections = []
    rows = [[f.name, METHOD_NAMES.get(f.method, f.method), f.classes, f.strata, _fmt(f.q), _fmt(f.p),
             _fmt(f.f), _fmt(f.ncp)] for f in sorted(result.factors, key=lambda f: -f.q)]
    body = _html.html_table(["factor", "method", "classes", "strata", "q", "p", "F", "non-centrality"], rows)
    png = q_bar_chart_png(result.factors)
    if png:
        body += f"<p><img alt='q per factor' src='data:image/png;base64,{png}'></p>"
    sections.append(("Factor detector", body))
    if result.candidates:
        rows = [[name, METHOD_NAMES[m], k, _fmt(q)] for name, cands in result.candidates.items()
                for m, k, q in cands]
        sections.append(("Optimal discretisation (all candidates)",
                         "<p>q of every method and number of classes tried; the largest is used. "
                         "Empty q: a stratum with a single observation.</p>"
                         + _html.html_table(["factor", "method", "classes", "q"], rows)))
    if result.interactions:
        rows = [[f"{r['factor_1']} ∩ {r['factor_2']}", _fmt(r["q_1"]), _fmt(r["q_2"]), _fmt(r["q_12"]), r["type"]]
                for r in result.interactions]
        body = _html.html_table(["pair", "q1", "q2", "q(X1 ∩ X2)", "type"], rows)
        png = interaction_heatmap_png(result.factors, result.interactions)
        if png:
            body += f"<p><img alt='interaction heat map' src='data:image/png;base64,{png}'></p>"
        sections.append(("Interaction detector", body))
    parts = []
    for s in result.strata:
        means, pairs = result.risk[s.name]
        labels = stratum_labels(s)
        parts.append(f"<h3>{_html.html.escape(s.name)}</h3>" + _html.html_table(
            ["stratum", "n", "mean", "std"], [[labels[m["stratum"]], m["n"], _fmt(m["mean"]), _fmt(m["std"])]
                                               for m in means]))
        significant = [p for p in pairs if p["significant"]]
        parts.append(f"<p>{len(significant)} of {len(pairs)} pairs of strata differ significantly "
                     f"(Welch t-test, p &lt; {alpha:g}).</p>")
    sections.append(("Risk detector", "".join(parts)))
    if result.ecological:
        rows = [[r["factor_1"], r["factor_2"], _fmt(r["f"]), _fmt(r["p"]), "yes" if r["significant"] else "no"]
                for r in result.ecological]
        sections.append(("Ecological detector",
                         "<p>F = SSW(factor 1) / SSW(factor 2), df (N-1, N-1); significant: factor 2 explains "
                         "significantly more of the variance than factor 1.</p>"
                         + _html.html_table(["factor 1", "factor 2", "F", "p", "significant"], rows)))
    sections.append(("Data", _html.html_list([description, f"N = {result.n}"])))
    _html.write_html(path, "Geographical detector", sections)
