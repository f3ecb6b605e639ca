"""Math moved out of the Processing glue into core (issue 15): hand-worked cases."""

import datetime

import numpy as np
import pytest
from carbon_spacetime.core.centrography import centre_shifts, circular_mean_longitude
from carbon_spacetime.core.downscaling import (
    DownscaleResult,
    cells_outside_regions,
    single_region_index,
    table_total,
    totals_table,
)
from carbon_spacetime.core.weights import estimate_band_pairs
from carbon_spacetime.core.years import whole_year
from numpy.testing import assert_allclose, assert_array_equal


def test_totals_table_by_region_and_category():
    values = {("b", 1): 10.0, ("a", 2): 5.0, ("b", 3): 2.5}
    table = totals_table(values, ["a", "b"])
    assert table.shape == (3, 4)
    assert_array_equal(table, [[0, 0, 0, 0], [0, 0, 5.0, 0], [0, 10.0, 0, 2.5]])
    assert table_total(table) == 17.5


def test_totals_table_single_region_puts_everything_in_row_one():
    table = totals_table({("only", 1): 1.0, ("only", 3): 4.0})
    assert_array_equal(table, [[0, 0, 0, 0], [0, 1.0, 0, 4.0]])


def test_single_region_index_and_cells_outside():
    valid = np.array([[True, True], [False, True]])
    index = single_region_index(valid)
    assert index.dtype == np.int32
    assert_array_equal(index, [[1, 1], [0, 1]])
    categories = np.array([[1, 0], [2, 3]])
    regions = np.array([[0, 0], [0, 2]])
    # (0,0) category 1 outside; (0,1) category 0 not emitting; (1,0) not valid; (1,1) inside
    assert cells_outside_regions(categories, valid, regions) == 1


def test_allocated_total_ignores_nodata():
    result = DownscaleResult(np.array([[1.5, np.nan], [2.0, 0.5]]), [], 0.0, 0.0)
    assert result.allocated_total == 4.0


def test_estimate_band_pairs_uniform_lattice():
    assert estimate_band_pairs(np.zeros((10, 2)), 1.0) is None  # small inputs are not estimated
    # A 50 x 50 unit lattice with a band of 1.0: interior points have 4 neighbours + themselves.
    g = np.arange(50.0)
    xy = np.column_stack([np.repeat(g, 50), np.tile(g, 50)])
    mean, pairs = estimate_band_pairs(xy, 1.0, sample=2500, min_features=100)
    edge = 4 * 48 * 4 + 4 * 3  # 192 edge points with 4 (3 + self), 4 corners with 3 (2 + self)
    want = (edge + (2500 - 196) * 5) / 2500
    assert mean == pytest.approx(want, rel=1e-12)
    assert pairs == pytest.approx(want * 2500, rel=1e-12)


def test_shift_remeasured_scales_speed_and_direction():
    (shift,) = centre_shifts([2000, 2010], [[0.0, 0.0], [3000.0, 4000.0]])
    assert shift.distance_km == pytest.approx(5.0) and shift.km_per_year == pytest.approx(0.5)
    other = shift.remeasured(6.0, 180.0)
    assert other.distance_km == 6.0 and other.bearing == 180.0 and other.direction == "S"
    assert other.km_per_year == pytest.approx(0.6)
    assert other.distance == shift.distance
    (text,) = centre_shifts(["a", "b"], [[0.0, 0.0], [0.0, 1000.0]])
    assert np.isnan(text.remeasured(2.0, 90.0).km_per_year)
    assert_allclose(other.from_xy, (0.0, 0.0))


def test_whole_year():
    assert whole_year(2015) == 2015 and whole_year(2015.0) == 2015 and whole_year("2020") == 2020
    assert whole_year(datetime.date(2010, 6, 1)) == 2010
    assert whole_year(datetime.datetime(2011, 1, 1, 12)) == 2011
    for text in ("spring", None):
        with pytest.raises(TypeError):
            whole_year(text)
    for number in (2015.5, float("nan"), float("inf")):
        with pytest.raises(ValueError):
            whole_year(number)


def test_circular_mean_longitude():
    assert circular_mean_longitude([10.0, 20.0, 30.0]) == pytest.approx(20.0)
    assert abs(circular_mean_longitude([179.5, -179.5])) == pytest.approx(180.0)  # across the antimeridian
    assert circular_mean_longitude([np.nan]) == 0.0
    assert circular_mean_longitude([0.0, 180.0]) == pytest.approx(0.0)  # opposite: the first one


def test_years_doctests():
    import doctest

    from carbon_spacetime.core import years

    assert doctest.testmod(years).failed == 0


def test_local_moran_cluster_codes_and_gi_bin_codes():
    from carbon_spacetime.core.getis_ord import GiStarResult
    from carbon_spacetime.core.moran import LocalMoranResult

    nan = np.nan
    n = 5
    res = LocalMoranResult(
        local_i=np.array([1.0, 0.5, -0.2, 0.3, nan]), expected=np.zeros(n), variance=np.ones(n),
        z_score=np.zeros(n), p_value=np.array([0.01, 0.2, 0.04, 0.049, nan]),
        expected_conditional=np.zeros(n), variance_conditional=np.ones(n),
        quadrant=np.array([1, 2, 4, 3, 1], dtype=np.int8), cluster_type=None,
        cardinalities=np.ones(n), n_islands=1)
    assert_array_equal(res.cluster_codes, [1.0, 0.0, 4.0, 3.0, nan])
    res.pseudo_p_value = np.array([0.2, 0.01, 0.5, 0.001, nan])  # permutations decide instead
    assert_array_equal(res.cluster_codes, [0.0, 2.0, 0.0, 3.0, nan])

    gi = GiStarResult(z_score=np.array([3.0, nan, -2.0]), p_value=np.array([0.003, nan, 0.05]),
                      bins=np.array([3, 0, -1], dtype=np.int8), n_neighbours=np.array([4, 1, 4]),
                      fdr=False, n_islands=1, n_undefined=1)
    assert_array_equal(gi.bin_codes(), [3, 0, -1])
    assert_array_equal(gi.bin_codes(np.nan), [3.0, nan, -1.0])
