"""Mann-Kendall against pymannkendall, space-time Gi* against esda and the textbook
formula on explicit space-time weights, and every emerging hot spot pattern on
hand-built cubes."""

import esda
import libpysal
import numpy as np
import pymannkendall
import pytest
from carbon_spacetime.core import weights as sw
from carbon_spacetime.core.emerging_hot_spots import (
    PATTERN_NAMES,
    classify_patterns,
    emerging_hot_spots,
    space_time_gi_star,
    yearly_pattern_counts,
)
from carbon_spacetime.core.inference import StatisticError
from carbon_spacetime.core.mann_kendall import mann_kendall, sens_slope
from numpy.testing import assert_allclose
from scipy import sparse

TOL = dict(rtol=1e-10, atol=1e-12)


# ---------------------------------------------------------------------------
# Mann-Kendall
# ---------------------------------------------------------------------------
def test_mann_kendall_hand_worked_series():
    # 1, 2, 2, 5: pairs + + + 0 + + -> S = 5; one tie group of 2:
    # Var = (4*3*13 - 2*1*9) / 18 = 138/18; z = (5 - 1)/sqrt(Var); slopes 1, .5, 4/3, 0, 1.5, 3.
    r = mann_kendall(np.array([1.0, 2.0, 2.0, 5.0]), sen_slope=True)
    assert r.s[0] == 5
    assert_allclose(r.variance[0], 138 / 18, **TOL)
    assert_allclose(r.z[0], 4 / np.sqrt(138 / 18), **TOL)
    assert_allclose(r.slope[0], (1 + 4 / 3) / 2, **TOL)


@pytest.mark.parametrize("t", [4, 10, 21])
def test_mann_kendall_matches_pymannkendall_with_ties(t):
    rng = np.random.default_rng(t)
    continuous = rng.normal(size=(t, 25)) + np.linspace(0, 2, t)[:, None] * rng.normal(size=25)
    tied = rng.integers(0, 4, size=(t, 25)).astype(float)  # many ties
    x = np.hstack([continuous, tied, np.ones((t, 1))])  # and one constant series
    r = mann_kendall(x, sen_slope=True)
    for j in range(x.shape[1]):
        ref = pymannkendall.original_test(x[:, j])
        assert_allclose([r.s[j], r.variance[j], r.z[j], r.p_value[j], r.slope[j]],
                        [ref.s, ref.var_s, ref.z, ref.p, ref.slope], **TOL)


def test_mann_kendall_chunks_agree(monkeypatch):
    from carbon_spacetime.core import mann_kendall as module

    rng = np.random.default_rng(3)
    x = rng.integers(0, 5, size=(9, 1000)).astype(float)
    whole = mann_kendall(x, sen_slope=True)
    monkeypatch.setattr(module, "_MK_CHUNK", 7)
    monkeypatch.setattr(module, "_SLOPE_CHUNK", 11)
    parts = mann_kendall(x, sen_slope=True)
    for a, b in zip([whole.s, whole.variance, whole.slope], [parts.s, parts.variance, parts.slope]):
        assert_allclose(a, b, **TOL)


def test_sens_slope_uses_year_spacing():
    years = np.array([2000.0, 2001.0, 2005.0, 2010.0])
    x = np.array([[1.0], [3.0], [2.0], [7.0]])
    pairs = [(x[j, 0] - x[i, 0]) / (years[j] - years[i]) for i in range(4) for j in range(i + 1, 4)]
    assert_allclose(sens_slope(x, years)[0], np.median(pairs), **TOL)


def test_mann_kendall_rejects_missing_values():
    with pytest.raises(ValueError, match="complete series"):
        mann_kendall(np.array([1.0, np.nan, 3.0]))


# ---------------------------------------------------------------------------
# Space-time Gi*
# ---------------------------------------------------------------------------
def _points(n=40, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(0, 100, size=(n, 2))


def test_one_year_is_the_ordinary_gi_star_of_esda():
    xy = _points()
    y = np.random.default_rng(1).gamma(2.0, 3.0, size=len(xy))
    w = sw.knn_weights(xy, 5)
    ref = libpysal.weights.KNN(xy, k=5)
    ref.transform = "b"
    e = esda.G_Local(y, ref, transform="B", star=True, permutations=0)
    assert_allclose(space_time_gi_star(y[None, :], w, time_steps=0)[0], e.Zs, **TOL)
    assert_allclose(space_time_gi_star(y[None, :], w, time_steps=3)[0], e.Zs, **TOL)


def _space_time_matrix(spatial, t, k):
    """Explicit (N T) x (N T) weights of the space-time neighbourhood, self bin excluded."""
    n = spatial.shape[0]
    eye = sparse.identity(n, format="csr")
    blocks = [[None] * t for _ in range(t)]
    for a in range(t):
        for b in range(t):
            if a == b:
                blocks[a][b] = spatial
            elif a - k <= b < a:
                blocks[a][b] = spatial + eye  # the location itself in an earlier year
            else:
                blocks[a][b] = sparse.csr_matrix((n, n))
    return sparse.bmat(blocks, format="csr")


@pytest.mark.parametrize("k", [0, 1, 2])
def test_space_time_gi_star_matches_esda_on_stacked_weights(k):
    xy = _points(30, seed=2)
    t = 5
    rng = np.random.default_rng(5)
    cube = rng.gamma(2.0, 3.0, size=(t, len(xy))) + np.linspace(0, 3, t)[:, None]
    w = sw.distance_band_weights(xy, 25.0, row_standardise=False)
    ours = space_time_gi_star(cube, w, time_steps=k)
    stacked = _space_time_matrix(w.raw, t, k)
    ref = libpysal.weights.WSP(stacked).to_W(silence_warnings=True)
    ref.transform = "b"
    e = esda.G_Local(cube.ravel(), ref, transform="B", star=True, permutations=0)
    ok = ~np.repeat(w.islands[None, :], t, axis=0).ravel()
    assert_allclose(ours.ravel()[ok], e.Zs[ok], rtol=1e-9, atol=1e-12)


def test_space_time_gi_star_textbook_formula_inverse_distance():
    xy = _points(25, seed=4)
    t, k = 4, 1
    cube = np.random.default_rng(9).gamma(2.0, 3.0, size=(t, len(xy)))
    w = sw.inverse_distance_weights(xy, 40.0, power=1.0)
    raw = w.raw.toarray()
    selfw = np.where(raw.max(axis=1) > 0, raw.max(axis=1), 1.0)
    full = raw + np.diag(selfw)
    x = cube.ravel()
    n = x.size
    xbar, s = x.mean(), x.std()
    ours = space_time_gi_star(cube, w, time_steps=k)
    for a in range(t):
        window = range(max(0, a - k), a + 1)
        for i in range(len(xy)):
            wij = np.concatenate([full[i] for _ in window])
            xj = np.concatenate([cube[b] for b in window])
            big_w, s1 = wij.sum(), (wij ** 2).sum()
            z = (wij @ xj - xbar * big_w) / (s * np.sqrt((n * s1 - big_w ** 2) / (n - 1)))
            assert_allclose(ours[a, i], z, rtol=1e-10)


def test_space_time_gi_star_on_a_grid_equals_the_feature_engine():
    mask = np.ones((8, 9), bool)
    mask[3, 4] = False
    rows, cols = np.nonzero(mask)
    xy = np.column_stack([cols, -rows]).astype(float)
    cube = np.random.default_rng(1).gamma(2.0, 3.0, size=(6, mask.sum()))
    grid = sw.grid_weights(sw.QUEEN, mask)
    feat = sw.distance_band_weights(xy, 1.5, row_standardise=True)
    assert_allclose(space_time_gi_star(cube, grid, 2), space_time_gi_star(cube, feat, 2), **TOL)


def test_space_time_gi_star_bad_input():
    w = sw.knn_weights(_points(10), 3)
    with pytest.raises(StatisticError, match="missing"):
        space_time_gi_star(np.full((3, 10), np.nan), w)
    with pytest.raises(StatisticError, match="same everywhere"):
        space_time_gi_star(np.ones((3, 10)), w)
    with pytest.raises(StatisticError, match="at least 3 years"):
        emerging_hot_spots(np.ones((2, 10)), w)


# ---------------------------------------------------------------------------
# Patterns
# ---------------------------------------------------------------------------
H, C, N = 1, -1, 0
#: (name, bins over 10 years, trend direction of the Gi* z series: +1 up, -1 down, 0 none)
CASES = [
    ("New Hot Spot", [N] * 9 + [H], 0),
    ("Consecutive Hot Spot", [N] * 7 + [H] * 3, 1),
    ("Intensifying Hot Spot", [N] + [H] * 9, 1),
    ("Persistent Hot Spot", [H] * 10, 0),
    ("Diminishing Hot Spot", [H] * 4 + [N] + [H] * 5, -1),
    ("Sporadic Hot Spot", [N, H, N, N, H, N, H, N, N, H], 0),
    ("Oscillating Hot Spot", [C, C, N, N, N, N, H, H, N, H], 1),
    ("Historical Hot Spot", [H] * 9 + [N], -1),
    ("New Cold Spot", [N] * 9 + [C], 0),
    ("Consecutive Cold Spot", [N] * 8 + [C] * 2, -1),
    ("Intensifying Cold Spot", [C] * 9 + [C], -1),
    ("Persistent Cold Spot", [C] * 5 + [N] + [C] * 4, 0),
    ("Diminishing Cold Spot", [C] * 10, 1),
    ("Sporadic Cold Spot", [C, N, C, N, N, N, N, C, N, C], 0),
    ("Oscillating Cold Spot", [H] * 8 + [N, C], -1),
    ("Historical Cold Spot", [C] * 9 + [N], 1),
    ("No Pattern Detected", [N, H, N, N, H, N, N, C, N, N], 0),
    ("No Pattern Detected", [H] * 8 + [N, N], 0),  # 80 % hot, not in the final step
]


@pytest.mark.parametrize("name, bins, trend", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_pattern_rules(name, bins, trend):
    b = np.array(bins)[:, None] * 2
    z = np.array([3.0 * trend])
    p = np.array([0.01 if trend else 0.5])
    code = classify_patterns(b, z, p)[0]
    assert PATTERN_NAMES[int(code)] == name


def test_trend_at_the_90_percent_confidence_boundary():
    bins = np.array([[2] * 10]).T
    assert PATTERN_NAMES[int(classify_patterns(bins, np.array([1.7]), np.array([0.099]))[0])] \
        == "Intensifying Hot Spot"
    assert PATTERN_NAMES[int(classify_patterns(bins, np.array([1.6]), np.array([0.11]))[0])] \
        == "Persistent Hot Spot"


def test_ninety_percent_rule_needs_nine_of_ten_and_nineteen_of_twentyone():
    ten = np.array([[1] * 9 + [0], [0] * 2 + [1] * 8]).T  # historical (9/10), then 80 %: not
    codes = classify_patterns(np.vstack([ten]), np.zeros(2), np.ones(2))
    assert [PATTERN_NAMES[int(c)] for c in codes] == ["Historical Hot Spot", "Consecutive Hot Spot"]
    t21 = np.array([[1] * 19 + [0, 1], [1] * 17 + [0, 0, 0, 1]]).T
    codes = classify_patterns(t21, np.zeros(2), np.ones(2))
    assert [PATTERN_NAMES[int(c)] for c in codes] == ["Persistent Hot Spot", "Sporadic Hot Spot"]


def test_end_to_end_cube_with_a_new_hot_spot_and_a_persistent_one():
    mask = np.ones((12, 12), bool)
    t = 10
    rng = np.random.default_rng(0)
    cube = rng.uniform(9.0, 11.0, size=(t, 12, 12))
    cube[:, 1:4, 1:4] += 30.0  # persistent block
    cube[-1, 8:11, 8:11] += 60.0  # new in the final year
    w = sw.grid_weights(sw.QUEEN, mask)
    r = emerging_hot_spots(cube.reshape(t, -1), w, times=np.arange(2001, 2011), time_steps=0)
    grid = r.pattern.reshape(12, 12)
    assert PATTERN_NAMES[int(grid[2, 2])] == "Persistent Hot Spot"
    assert PATTERN_NAMES[int(grid[9, 9])] == "New Hot Spot"
    assert r.hot_years.reshape(12, 12)[2, 2] == t
    assert r.last_bin.reshape(12, 12)[9, 9] > 0
    ref = pymannkendall.original_test(cube[:, 2, 2])
    assert_allclose(r.sen_slope.reshape(12, 12)[2, 2], ref.slope, **TOL)
    assert_allclose(r.value_mk_z.reshape(12, 12)[2, 2], ref.z, **TOL)
    rows = yearly_pattern_counts(r)
    assert {row[0] for row in rows} == set(range(2001, 2011))
    assert sum(row[3] for row in rows if row[0] == 2001) == 144
    last_new = [row for row in rows if row[0] == 2010 and row[2] == "New Hot Spot"][0]
    assert last_new[4] == last_new[3]  # every new hot spot is hot in the final year


def test_sens_slope_exact_when_float32_cannot_tell_slopes_apart():
    rng = np.random.default_rng(7)
    t = np.arange(12.0)
    x = np.column_stack([t * (1 + 1e-10 * rng.normal(size=12)) for _ in range(5)])  # slopes ~1 +- 1e-9
    ours = sens_slope(x)
    for j in range(5):
        assert_allclose(ours[j], pymannkendall.sens_slope(x[:, j]).slope, rtol=1e-15)
    assert len(set(np.round(ours, 14))) > 1
