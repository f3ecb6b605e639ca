"""Block aggregation of the fine grid into analysis cells."""

import doctest

import numpy as np
from carbon_spacetime.core import aggregate
from carbon_spacetime.core.aggregate import block_count, block_mean, block_sum
from numpy.testing import assert_allclose


def test_doctests():
    assert doctest.testmod(aggregate).failed == 0


def test_block_sum_keeps_mass_and_matches_loop():
    rng = np.random.default_rng(3)
    data = rng.random((23, 17))
    data[rng.random(data.shape) < 0.2] = np.nan
    data[:10, :10] = np.nan  # a whole empty block stays NaN
    factor = 5
    got_sum, got_mean, got_count = (
        block_sum(data, factor),
        block_mean(data, factor),
        block_count(data, factor),
    )
    assert got_sum.shape == (5, 4)
    for i in range(5):
        for j in range(4):
            block = data[i * factor : (i + 1) * factor, j * factor : (j + 1) * factor]
            valid = block[np.isfinite(block)]
            assert got_count[i, j] == valid.size
            if valid.size:
                assert_allclose(got_sum[i, j], valid.sum(), rtol=1e-12)
                assert_allclose(got_mean[i, j], valid.mean(), rtol=1e-12)
            else:
                assert np.isnan(got_sum[i, j]) and np.isnan(got_mean[i, j])
    assert_allclose(np.nansum(got_sum), np.nansum(data), rtol=1e-12)


def test_factor_one_is_identity():
    data = np.array([[1.0, np.nan], [3.0, 4.0]])
    assert_allclose(block_sum(data, 1), data)
    assert_allclose(block_mean(data, 1), data)


def test_rectangular_factors_match_loop_and_downscaling_uses_them():
    from carbon_spacetime.core.downscaling import aggregate_blocks

    rng = np.random.default_rng(5)
    data = rng.random((6, 9))
    data[rng.random(data.shape) < 0.3] = np.nan
    got = block_sum(data, (2, 3))
    want = np.array([[np.nansum(data[i:i + 2, j:j + 3]) if np.isfinite(data[i:i + 2, j:j + 3]).any() else np.nan
                      for j in range(0, 9, 3)] for i in range(0, 6, 2)])
    assert_allclose(got, want, rtol=1e-12)
    assert_allclose(aggregate_blocks(data, 2, 3, "sum"), got)
    assert_allclose(aggregate_blocks(data, 2, 3, "mean"), block_mean(data, (2, 3)))
    assert_allclose(block_count(data, (2, 3)), [[np.isfinite(data[i:i + 2, j:j + 3]).sum() for j in range(0, 9, 3)]
                                               for i in range(0, 6, 2)])
