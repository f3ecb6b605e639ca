"""Legend numbers (core/legend.py) and the Moran scatterplot slope (core/moran.py), without QGIS.

Hand-worked cases, numpy's quantiles and polyfit, and esda's Moran's I as references.
"""

import esda
import libpysal
import numpy as np
import pytest
from carbon_spacetime.core.legend import (
    EMISSION_STOP_QUANTILES,
    display_unit,
    quantile_class_bounds,
    quantile_stops,
    round_significant,
    spread_indices,
    symmetric_class_bounds,
)
from carbon_spacetime.core.moran import moran_scatter
from libpysal import examples
from numpy.testing import assert_allclose


def test_quantile_class_bounds_pool_the_years_and_end_at_the_maximum():
    # 1..14 in two "years" (NaN, 0 and negatives left out): sevenths of the pooled values
    a = np.array([[1, 2, 3, 4, 5, 6, 7], [np.nan, 0, -3, np.nan, 0, 0, 0]], float)
    b = np.arange(8.0, 15.0)
    bounds = quantile_class_bounds([a, b], classes=7)
    # numpy linear quantiles of 1..14 at k/7: 1 + 13 k / 7
    assert_allclose(bounds, [1 + 13 * k / 7 for k in range(1, 7)] + [14.0], rtol=1e-12)


def test_quantile_class_bounds_merge_repeated_quantiles():
    values = np.array([1.0] * 90 + [5.0] * 10)
    bounds = quantile_class_bounds([values], classes=7)
    assert bounds == [1.0, 5.0]  # six quantiles are 1: one class, then the top class up to the maximum
    assert quantile_class_bounds([np.zeros(4)]) == [1.0]
    assert quantile_class_bounds([]) == [1.0]


def test_quantile_stops_start_at_zero():
    values = np.concatenate([np.arange(1.0, 1001.0), [0.0, -1.0, np.nan]])
    stops = quantile_stops(values)
    expected = [0.0] + [float(np.quantile(np.arange(1.0, 1001.0), q)) for q in EMISSION_STOP_QUANTILES]
    assert_allclose(stops, expected, rtol=1e-12)
    assert stops[1] == pytest.approx(500.5)  # median of 1..1000
    assert quantile_stops(np.array([np.nan, 0.0])) == [0.0, 1.0]
    assert quantile_stops(np.full(5, 2.0)) == [0.0, 2.0]  # repeated quantiles merge


def test_spread_indices_use_both_ends_of_the_palette():
    assert spread_indices(7, 7) == [0, 1, 2, 3, 4, 5, 6]
    assert spread_indices(7, 4) == [0, 2, 4, 6]
    assert spread_indices(7, 2) == [0, 6]
    assert spread_indices(7, 1) == [3]
    assert spread_indices(6, 4) == [0, 2, 3, 5]  # 5/3 and 10/3 round to 2 and 3
    # the same picks as numpy's evenly spaced, rounded positions
    for count in range(2, 9):
        for picks in range(2, 9):
            assert spread_indices(count, picks) == list(np.linspace(0, count - 1, picks).round().astype(int))


def test_round_significant():
    assert round_significant(0.012345, 2) == 0.012
    assert round_significant(-1234.5, 3) == -1230.0
    assert round_significant(0.0) == 0.0
    assert np.isinf(round_significant(np.inf))


def test_symmetric_class_bounds_hand_worked():
    # max |v| = 1, three classes a side: 1/3 -> 0.33 does not cover 1, so 0.34
    bounds = symmetric_class_bounds([-0.5, 0.1, 1.0])
    assert [i for i, _, _ in bounds] == [1, 2, 3, 4, 5]  # the empty lowest class is left out
    assert_allclose([a for _, a, _ in bounds], [-0.68, -0.34, 0.0, 0.34, 0.68], rtol=1e-12)
    assert bounds[2][1] == 0.0 and bounds[-1][2] == pytest.approx(1.02)
    assert symmetric_class_bounds([np.nan]) == []
    # max 0.5: width 0.17; 0.2 lies above the first positive class (0 to 0.17)
    assert [i for i, _, _ in symmetric_class_bounds([0.2, 0.5])] == [4, 5]


def test_display_unit():
    assert display_unit("Mt CO2", [1e-5, 1e-4, 0.2]) == (1e6, "t CO2")
    assert display_unit("Mt CO2", [0.1, 0.5, 3.0]) == (1e3, "kt CO2")
    assert display_unit("Mt CO2", [20.0, 50.0, 80.0]) == (1.0, "Mt CO2")
    assert display_unit("kg", [1e-5]) == (1.0, "kg")
    assert display_unit("Mt", []) == (1.0, "Mt")


def test_moran_scatter_slope_is_esda_morans_i_with_row_standardised_weights():
    w = libpysal.weights.Queen.from_shapefile(examples.get_path("columbus.shp"))
    w.transform = "r"
    y = np.asarray(libpysal.io.open(examples.get_path("columbus.dbf")).by_col("CRIME"), float)
    z = y - y.mean()
    lag = libpysal.weights.lag_spatial(w, z)
    zs, ls, slope = moran_scatter(z, lag)
    assert slope == pytest.approx(esda.Moran(y, w, permutations=0).I, rel=1e-10)
    assert slope == pytest.approx(np.polyfit(zs, ls, 1)[0], rel=1e-10)
    assert_allclose(zs, z / z.std(), rtol=1e-12)
    assert_allclose(ls, lag / z.std(), rtol=1e-12)


def test_moran_scatter_samples_large_inputs_but_fits_all_points():
    rng = np.random.default_rng(5)
    z = rng.normal(size=5000)
    lag = 0.4 * z + rng.normal(scale=0.5, size=5000)
    zs, ls, slope = moran_scatter(z, lag, max_points=300, seed=2)
    assert zs.size == ls.size == 300
    assert slope == pytest.approx(np.polyfit(z, lag, 1)[0], rel=1e-10)  # all 5000 points
    again = moran_scatter(z, lag, max_points=300, seed=2)
    assert_allclose(again[0], zs) and again[2] == slope
    # the sampled points are (value, lag) pairs of the input
    index = {v: i for i, v in enumerate(z / z.std())}
    picked = [index[v] for v in zs]
    assert_allclose(ls, lag[picked] / z.std(), rtol=1e-12)
    assert moran_scatter(np.ones(3) * 0.0, np.zeros(3))[2] == 0.0
    assert moran_scatter(np.array([1.0]), np.array([0.5]))[2] == 0.0
