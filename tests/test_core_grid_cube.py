"""core.grid, core.cube and core.emerging_hot_spots.pattern_counts: math moved out of the glue
(issue 15), checked on hand-worked cases and against plain Python."""

import collections
import doctest

import numpy as np
import pytest
from carbon_spacetime.core import cube as cube_module
from carbon_spacetime.core import grid as grid_module
from carbon_spacetime.core.cube import IncompleteCubeError, complete_locations, space_time_cube
from carbon_spacetime.core.emerging_hot_spots import PATTERN_NAMES, pattern_counts
from carbon_spacetime.core.grid import (
    analysis_cell_count,
    cell_bounds,
    cell_centres,
    cell_size_for_budget,
    coarse_geotransform,
    coarsening_factor,
    complete_cells,
    grid_bounds,
)
from numpy.testing import assert_allclose, assert_array_equal

GT = (500000.0, 1000.0, 0.0, 4600000.0, 0.0, -1000.0)


@pytest.mark.parametrize("module", [grid_module, cube_module])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0


def test_cell_centres_and_bounds_by_hand():
    # row 2, column 3 of 1 km cells from (500000, 4600000): x 503000-504000, y 4597000-4598000
    assert_allclose(cell_centres(GT, [2], [3]), [[503500.0, 4597500.0]])
    assert_allclose(cell_bounds(GT, [2], [3]), [[503000.0, 4597000.0, 504000.0, 4598000.0]])
    # a south-up grid gives the same box ordering
    south_up = (0.0, 10.0, 0.0, 0.0, 0.0, 10.0)
    assert_allclose(cell_bounds(south_up, [1], [0]), [[0.0, 10.0, 10.0, 20.0]])


def test_cell_centres_of_a_rotated_grid_follow_gdal():
    gt = (100.0, 2.0, 0.5, 200.0, 0.25, -3.0)
    # GDAL: Xgeo = GT0 + P*GT1 + L*GT2, Ygeo = GT3 + P*GT4 + L*GT5 at pixel centre (P, L) = (c + .5, r + .5)
    assert_allclose(cell_centres(gt, [1], [2]), [[100 + 2.5 * 2 + 1.5 * 0.5, 200 + 2.5 * 0.25 - 1.5 * 3]])


def test_grid_bounds_and_coarse_geotransform():
    assert grid_bounds(GT, (4, 6)) == (500000.0, 4596000.0, 506000.0, 4600000.0)
    coarse = coarse_geotransform(GT, 3)
    assert coarse == (500000.0, 3000.0, 0.0, 4600000.0, 0.0, -3000.0)
    # the coarse grid of ceil(4/3) x ceil(6/3) blocks covers the fine one (padding at bottom/right)
    assert grid_bounds(coarse, (2, 2)) == (500000.0, 4594000.0, 506000.0, 4600000.0)


@pytest.mark.parametrize("cell, fine, factor, exact", [
    (10000.0, 1000.0, 10, True),
    (10000.0, 1000.0000001, 10, True),  # within 1e-6 relative
    (2500.0, 1000.0, 2, False),  # round(2.5) = 2: cells of 2000
    (3500.0, 1000.0, 4, False),
    (400.0, 1000.0, 1, False),  # never below the fine cell
    (0.0, 1000.0, 1, True),
    (-5.0, 1000.0, 1, True),
])
def test_coarsening_factor(cell, fine, factor, exact):
    assert coarsening_factor(cell, fine) == (factor, exact)


def test_complete_cells():
    a = np.array([[1.0, np.nan], [3.0, 4.0]])
    b = np.array([[1.0, 2.0], [np.inf, 4.0]])
    assert_array_equal(complete_cells(a, b), [[True, False], [False, True]])
    assert_array_equal(complete_cells(a), np.isfinite(a))


def test_cell_budget_by_hand():
    # 250,000 land-use cells of 1 km with data; 10 km cells -> 2,500 analysis cells
    assert analysis_cell_count(250_000, 1000.0, 10_000.0) == pytest.approx(2500.0, rel=1e-12)
    # a cell smaller than the fine one keeps the fine cells
    assert analysis_cell_count(250_000, 1000.0, 500.0) == 250_000
    # at most 1,500 cells: sqrt(250000 / 1500) = 12.9 -> 13 km
    assert cell_size_for_budget(250_000, 1000.0, 1500) == 13_000.0
    assert analysis_cell_count(250_000, 1000.0, 13_000.0) <= 1500 < analysis_cell_count(250_000, 1000.0, 12_000.0)


def test_space_time_cube_arranges_shuffled_observations():
    rng = np.random.default_rng(3)
    years, locs = [2003, 2001, 2002], ["x", "y", "z", "w"]
    truth = {(y, k): float(10 * i + j) for i, y in enumerate(years) for j, k in enumerate(locs)}
    obs = list(truth)
    order = rng.permutation(len(obs))
    obs = [obs[i] for i in order]
    cube = space_time_cube([y for y, _ in obs], [k for _, k in obs], [truth[o] for o in obs], min_years=3)
    assert cube.years == [2001, 2002, 2003]
    first_seen = list(dict.fromkeys(k for _, k in obs))
    assert cube.locations == first_seen
    for t, year in enumerate(cube.years):
        for n, key in enumerate(cube.locations):
            assert cube.values[t, n] == truth[(year, key)]
    # each location's final-year observation
    for n, key in enumerate(cube.locations):
        assert obs[cube.final[n]] == (2003, key)


def test_space_time_cube_reports_what_is_wrong():
    with pytest.raises(IncompleteCubeError) as info:
        space_time_cube([2000, 2001], ["a", "a"], [1.0, 2.0], min_years=3)
    assert info.value.kind == "years" and info.value.years == [2000, 2001]
    with pytest.raises(IncompleteCubeError) as info:
        space_time_cube([2000, 2000, 2000, 2001, 2001], ["a", "b", "b", "a", "b"], np.ones(5))
    assert (info.value.kind, info.value.year, info.value.location, info.value.count) == ("duplicate", 2000, "b", 2)
    with pytest.raises(IncompleteCubeError) as info:
        space_time_cube([2000, 2000, 2001, 2002], ["a", "b", "a", "a"], np.ones(4))
    # b is missing in 2001 and 2002
    assert (info.value.kind, info.value.year, info.value.location, info.value.count) == ("missing", 2001, "b", 2)


def test_complete_locations():
    stack = np.array([[1.0, 2.0, np.nan, 4.0], [5.0, 6.0, 7.0, np.nan]])
    values, mask = complete_locations(stack)
    assert_array_equal(mask, [True, True, False, False])
    assert_array_equal(values, [[1.0, 2.0], [5.0, 6.0]])
    full = np.ones((3, 2))
    same, mask = complete_locations(full)
    assert same is full and mask.all()


def test_pattern_counts_match_a_plain_count():
    rng = np.random.default_rng(7)
    codes = rng.integers(-1, 17, size=(40, 30)).astype(float)
    codes[rng.random(codes.shape) < 0.1] = np.nan
    rows = pattern_counts(codes)
    defined = [int(c) for c in codes.ravel() if np.isfinite(c) and c >= 0]
    expected = collections.Counter(defined)
    assert [r[0] for r in rows] == sorted(expected)
    for code, name, count, share in rows:
        assert name == PATTERN_NAMES[code]
        assert count == expected[code]
        assert share == pytest.approx(100.0 * expected[code] / len(defined), rel=1e-12)
    assert sum(r[3] for r in rows) == pytest.approx(100.0, rel=1e-12)
    assert pattern_counts([-1, np.nan]) == []


def test_projection_centre_by_hand():
    from carbon_spacetime.core.centrography import projection_centre

    lon0, lat0 = projection_centre([[120.0, 38.0], [124.0, 43.0], [122.0, np.nan]])
    assert lon0 == pytest.approx(122.0, abs=1e-12) and lat0 == 40.5
    # across the antimeridian the centre is at 180, not 0
    lon0, lat0 = projection_centre([[179.0, 10.0], [-179.0, 20.0]])
    assert abs(abs(lon0) - 180.0) < 1e-9 and lat0 == 15.0
    assert projection_centre([]) == (0.0, 0.0)


def test_counts_per_cell_keeps_the_density():
    from carbon_spacetime.core.downscaling import counts_per_cell

    # 4 source cells of 500 m x 500 m averaging 25 people each under one 1 km cell: 100 people
    assert_allclose(counts_per_cell(np.array([25.0]), 1000.0 * 1000.0, 500.0 * 500.0), [100.0])
    out = counts_per_cell(np.array([[1.0, np.nan]]), 2.0, 8.0)
    assert_allclose(out, [[0.25, np.nan]])
