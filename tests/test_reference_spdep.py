"""Clustering statistics against a second, independent reference: R's spdep (1.2-7).

spdep builds its own neighbours here (``cell2nb``, ``knearneigh`` +
``knn2nb``, ``dnearneigh``, ``nbdists`` for inverse distance, ``subset.nb``
for grids with NaN holes, ``include.self`` for Gi*) and computes
``moran.test`` (randomisation and normality), ``globalG.test``,
``localmoran`` (``conditional=TRUE`` and ``FALSE``) and ``localG``, for
row-standardised ("W") and binary/raw ("B") weights. One ``Rscript`` call
(``tests/spdep_reference.R``) serves the whole module.

Conventions that differ on purpose (compared with the spdep options that
match ours, or on the observations where both are defined):

* islands stay in ``n`` (esda): spdep's ``adjust.n=TRUE`` default drops them,
  so the R script passes ``adjust.n=FALSE`` (and ``adjust.x=FALSE`` to
  ``globalG.test``); without islands these options change nothing;
* islands get NaN in local statistics (spdep: ``Ii = 0`` and Gi* from the
  self weight alone).
"""

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from carbon_spacetime.core import getis_ord, moran
from carbon_spacetime.core import weights as sw
from numpy.testing import assert_allclose, assert_array_equal

RSCRIPT = shutil.which("Rscript")
pytestmark = pytest.mark.skipif(RSCRIPT is None, reason="Rscript (R with spdep) is not installed")

R_SOURCE = Path(__file__).with_name("spdep_reference.R")
RTOL = 1e-9
MAX_REL = {}  # quantity -> largest relative difference seen (printed with -s)


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------
def _grid_values(h, w, seed):
    rng = np.random.default_rng(seed)
    values = rng.gamma(2.0, 3.0, size=(h, w))
    values[: h // 3, : w // 3] += 12.0  # a hot corner
    values[-2:, -3:] *= 0.2  # a cold one
    return values


def _holes(h, w):
    mask = np.ones((h, w), bool)
    mask[4:6, 5:9] = False
    mask[0, 7] = False
    mask[9, 0] = mask[9, 1] = mask[10, 1] = False  # cell (10, 0): an island for rook, not queen
    return mask


def _libpysal_columns(dbf, names):
    import libpysal
    from libpysal import examples

    db = libpysal.io.open(examples.get_path(dbf))
    cols = [np.asarray(db.by_col(n), dtype=float) for n in names]
    db.close()
    return cols


def _grid_case(name, nbtype, h, w, holes, d=0.0, power=1.0, seed=1):
    values = _grid_values(h, w, seed)
    mask = _holes(h, w) if holes else np.ones((h, w), bool)
    kind = {"queen": sw.QUEEN, "rook": sw.ROOK, "band": sw.DISTANCE_BAND, "idw": sw.INVERSE_DISTANCE}[nbtype]

    def build(row):
        return sw.grid_weights(kind, mask, distance_cells=d or None, power=power, row_standardise=row)

    data = np.where(mask, values, np.nan).ravel()  # row-major, as cell2nb
    return dict(name=name, kind="grid", nbtype=nbtype, nrow=h, ncol=w, k=0, d=d, power=power,
                data={"value": data}, y=values[mask], build=build)


def _point_case(name, dbf, field, nbtype, k=0, d=0.0, power=1.0, jitter=0.0):
    x, y, v = _libpysal_columns(dbf, ["X", "Y", field])
    if jitter:
        # Baltimore's integer coordinates tie at the k-th neighbour of many houses; the two
        # k-d trees break ties differently (both valid), so move points by < jitter to break them.
        rng = np.random.default_rng(7)
        x = x + rng.uniform(-jitter, jitter, x.size)
        y = y + rng.uniform(-jitter, jitter, y.size)
    xy = np.column_stack([x, y])

    def build(row):
        if nbtype == "knn":
            return sw.knn_weights(xy, k, row_standardise=row)
        if nbtype == "band":
            return sw.distance_band_weights(xy, d or None, row_standardise=row)
        return sw.inverse_distance_weights(xy, d or None, power=power, row_standardise=row)

    return dict(name=name, kind="points", nbtype=nbtype, nrow=0, ncol=0, k=k, d=d, power=power,
                data={"x": x, "y": y, "value": v}, y=v, build=build)


def _cases():
    return [
        _grid_case("grid_queen", "queen", 9, 7, holes=False, seed=1),
        _grid_case("grid_rook", "rook", 7, 10, holes=False, seed=2),
        _grid_case("grid_holes_queen", "queen", 11, 13, holes=True, seed=3),
        _grid_case("grid_holes_rook", "rook", 11, 13, holes=True, seed=3),  # one island
        _grid_case("grid_holes_band", "band", 11, 13, holes=True, d=2.5, seed=4),
        _grid_case("grid_holes_idw", "idw", 11, 13, holes=True, d=2.9, power=2.0, seed=5),
        _point_case("columbus_knn4", "columbus.dbf", "CRIME", "knn", k=4),
        _point_case("columbus_knn8", "columbus.dbf", "CRIME", "knn", k=8),
        _point_case("columbus_band_default", "columbus.dbf", "HOVAL", "band"),
        _point_case("columbus_idw", "columbus.dbf", "CRIME", "idw", d=10.0, power=1.0),
        _point_case("baltimore_knn4", "baltim.dbf", "PRICE", "knn", k=4, jitter=1e-3),
        _point_case("baltimore_knn8", "baltim.dbf", "PRICE", "knn", k=8, jitter=1e-3),
        _point_case("baltimore_band", "baltim.dbf", "PRICE", "band", d=15.5),
        _point_case("baltimore_idw", "baltim.dbf", "PRICE", "idw", d=22.5, power=1.5),
    ]


CASES = {c["name"]: c for c in _cases()}
PARAMS = [(name, style) for name in CASES for style in ("W", "B")]


def _write_csv(path, columns):
    names = list(columns)
    table = np.column_stack([np.asarray(columns[n], dtype=float) for n in names])
    lines = [",".join(names)]
    lines += [",".join("NA" if np.isnan(v) else repr(float(v)) for v in row) for row in table]
    path.write_text("\n".join(lines) + "\n")


def _read_csv(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
    table = np.genfromtxt(path, delimiter=",", skip_header=1, missing_values="NA", filling_values=np.nan,
                          ndmin=2)
    return {name: table[:, i] for i, name in enumerate(header)}


@pytest.fixture(scope="module")
def spdep(tmp_path_factory):
    """Run the R script once for all cases; ``spdep[(name, style, part)]`` -> columns."""
    work = tmp_path_factory.mktemp("spdep")
    keys = ["name", "kind", "nbtype", "nrow", "ncol", "k", "d", "power"]
    rows = [",".join(keys)] + [",".join(str(c[k]) for k in keys) for c in CASES.values()]
    (work / "cases.csv").write_text("\n".join(rows) + "\n")
    for c in CASES.values():
        _write_csv(work / f"{c['name']}_data.csv", c["data"])
    run = subprocess.run([RSCRIPT, "--vanilla", str(R_SOURCE), str(work)], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0 and run.stdout.strip().endswith("ok"), (
        f"Rscript failed (is r-cran-spdep installed?):\n{run.stdout}\n{run.stderr}")
    out = {}
    for name in CASES:
        for style in ("W", "B"):
            for part in ("edges", "global", "local"):
                out[name, style, part] = _read_csv(work / f"{name}_{style}_{part}.csv")
    yield out
    if MAX_REL:
        print("\nLargest relative difference to spdep per quantity:")
        for what, rel in sorted(MAX_REL.items()):
            print(f"  {what:<28s} {rel:.2e}")


def _close(ours, ref, what, rtol=RTOL):
    ours = np.atleast_1d(np.asarray(ours, dtype=float))
    ref = np.atleast_1d(np.asarray(ref, dtype=float))
    scale = max(float(np.max(np.abs(ref))), 1e-300)
    atol = 1e-12 * scale  # values that are ~0 relative to their siblings
    rel = np.abs(ours - ref) / np.maximum(np.abs(ref), atol)
    MAX_REL[what] = max(MAX_REL.get(what, 0.0), float(np.max(rel)))
    assert_allclose(ours, ref, rtol=rtol, atol=atol, err_msg=what)


def _ours(name, style):
    case = CASES[name]
    return case["y"], case["build"](style == "W")


# ---------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("name,style", PARAMS)
def test_weights_match_spdep(spdep, name, style):
    """Same neighbours (spdep's cell2nb order = numpy row-major), weights and S0, S1, S2."""
    _, w = _ours(name, style)
    e = spdep[name, style, "edges"]
    m = w.to_sparse() if isinstance(w, sw.GridWeights) else w.matrix
    m = m.tocoo()
    ours = sorted(zip(m.row.tolist(), m.col.tolist()))
    ref = sorted(zip(e["i"].astype(int).tolist(), e["j"].astype(int).tolist()))
    assert ours == ref
    dense = m.toarray()
    _close(dense[e["i"].astype(int), e["j"].astype(int)], e["w"], "weights w_ij")
    g = spdep[name, style, "global"]
    _close([w.s0, w.s1, w.s2], [g["S0"][0], g["S1"][0], g["S2"][0]], "S0, S1, S2")
    assert w.n == int(g["n"][0])
    assert_array_equal(w.cardinalities, spdep[name, style, "local"]["card"])


@pytest.mark.parametrize("name,style", PARAMS)
def test_global_moran_matches_moran_test(spdep, name, style):
    y, w = _ours(name, style)
    r = moran.global_morans_i(y, w)
    g = spdep[name, style, "global"]
    _close(r.morans_i, g["I"], "Moran I")
    _close(r.expected_i, g["EI"], "Moran E[I]")
    _close(r.variance, g["VI_rand"], "Moran Var[I] randomisation")
    _close(r.z_score, g["Z_rand"], "Moran z randomisation")
    _close(r.variance_normal, g["VI_norm"], "Moran Var[I] normality")
    _close(r.z_normal, g["Z_norm"], "Moran z normality")
    _close(r.p_value, g["P_rand"], "Moran p randomisation")
    _close(r.p_normal, g["P_norm"], "Moran p normality")


@pytest.mark.parametrize("name", list(CASES))
def test_general_g_matches_globalG_test(spdep, name):
    y, w = _ours(name, "W")  # General G always uses the raw (style "B") weights
    r = getis_ord.general_g(y, w)
    g = spdep[name, "B", "global"]
    _close(r.observed_g, g["G"], "General G")
    _close(r.expected_g, g["EG"], "General G E[G]")
    _close(r.variance, g["VG"], "General G Var[G]")
    _close(r.z_score, g["Z_G"], "General G z")
    _close(r.p_value, g["P_G"], "General G p")


def _local(spdep, name, style, statistic):
    """Our local ``statistic`` and spdep's local results on the same data and weights, and where there are
    neighbours (spdep's ``card`` > 0: not an island)."""
    y, w = _ours(name, style)
    loc = spdep[name, style, "local"]
    return statistic(y, w), loc, loc["card"] > 0


@pytest.mark.parametrize("name,style", PARAMS)
def test_local_moran_matches_localmoran(spdep, name, style):
    r, loc, ok = _local(spdep, name, style, moran.local_morans_i)
    assert_array_equal(np.isnan(r.local_i), ~ok)
    _close(r.local_i[ok], loc["Ii"][ok], "local I_i")
    # conditional = TRUE (our z-score)
    _close(r.expected_conditional[ok], loc["E_c"][ok], "local E[I_i] conditional")
    _close(r.variance_conditional[ok], loc["Var_c"][ok], "local Var[I_i] conditional")
    _close(r.z_score[ok], loc["Z_c"][ok], "local z conditional")
    _close(r.p_value[ok], loc["P_c"][ok], "local p conditional")
    # conditional = FALSE (total randomisation, Anselin 1995)
    _close(r.expected[ok], loc["E_t"][ok], "local E[I_i] total")
    _close(r.variance[ok], loc["Var_t"][ok], "local Var[I_i] total")
    with np.errstate(divide="ignore", invalid="ignore"):
        z_total = (r.local_i - r.expected) / np.sqrt(r.variance)
    _close(z_total[ok], loc["Z_t"][ok], "local z total")
    # Islands: spdep reports I_i = 0 with an undefined z; we report NaN.
    assert np.all(loc["Ii"][~ok] == 0) and np.all(np.isnan(r.z_score[~ok]))


@pytest.mark.parametrize("name,style", PARAMS)
def test_gi_star_matches_localG_include_self(spdep, name, style):
    r, loc, ok = _local(spdep, name, style, getis_ord.getis_ord_gi_star)
    _close(r.z_score[ok], loc["Gstar"][ok], "Gi* z")
    _close(r.p_value[ok], loc["P_Gstar"][ok], "Gi* p")
    assert np.all(np.isnan(r.z_score[~ok]))


def test_cases_cover_islands_and_asymmetric_weights():
    """The comparison is not vacuous: one case has an island, k-NN weights are asymmetric."""
    _, rook = _ours("grid_holes_rook", "B")
    assert rook.n_islands == 1
    _, knn = _ours("baltimore_knn4", "B")
    assert (knn.matrix != knn.matrix.T).nnz > 0
