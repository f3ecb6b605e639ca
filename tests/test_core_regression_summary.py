"""core.regression_summary: coefficient table, VIF and condition-number spread (hand-worked)."""

from types import SimpleNamespace

import numpy as np
import pytest
from carbon_spacetime.core.collinearity import CN_THRESHOLD
from carbon_spacetime.core.regression_summary import (
    coefficient_summary,
    collinearity,
    condition_number_summary,
    regression_design,
)
from numpy.testing import assert_allclose


def _result():
    params = np.array([[1.0, -2.0], [2.0, 0.0], [3.0, 2.0], [6.0, 4.0]])
    return SimpleNamespace(
        params=params,
        bandwidths=np.array([4.0, 3.0]),
        enp=np.array([1.5, 2.25]),
        adj_alpha=np.array([0.033, 0.022]),
        adj_t_crit=np.array([2.4, 2.7]),
        significant=np.array([[1, 0], [1, 0], [0, 0], [1, 1]], dtype=bool),
    )


def test_coefficient_summary_hand_worked():
    terms = coefficient_summary(_result(), ["Intercept", "x"])
    assert [t.name for t in terms] == ["Intercept", "x"]
    a, b = terms
    # Intercept 1, 2, 3, 6: mean 3, population variance (4 + 1 + 0 + 9) / 4 = 3.5
    assert (a.mean, a.min, a.median, a.max) == (3.0, 1.0, 2.5, 6.0)
    assert a.std == pytest.approx(np.sqrt(3.5), rel=1e-14)
    assert a.percent_significant == pytest.approx(75.0)
    # x -2, 0, 2, 4: mean 1, variance (9 + 1 + 1 + 9) / 4 = 5
    assert (b.mean, b.min, b.median, b.max) == (1.0, -2.0, 1.0, 4.0)
    assert b.std == pytest.approx(np.sqrt(5.0), rel=1e-14)
    assert b.percent_significant == pytest.approx(25.0)
    assert (b.bandwidth, b.enp, b.adj_alpha, b.adj_t_crit) == (3.0, 2.25, 0.022, 2.7)


def test_collinearity_two_variables_is_one_over_one_minus_r2():
    rng = np.random.default_rng(3)
    x1 = rng.normal(size=50)
    x2 = 0.9 * x1 + 0.3 * rng.normal(size=50)
    r = np.corrcoef(x1, x2)[0, 1]
    result = collinearity(np.column_stack([x1, x2]))
    assert_allclose(result.vif, [1.0 / (1.0 - r * r)] * 2, rtol=1e-10)
    assert list(result.high_vif) == list(result.vif > 7.5)
    assert len(result.perfectly_collinear) == 0


def test_collinearity_flags_perfectly_collinear_and_high():
    rng = np.random.default_rng(4)
    x1, x2 = rng.normal(size=30), rng.normal(size=30)
    result = collinearity(np.column_stack([x1, x2, x1 + 2 * x2]))
    assert list(result.perfectly_collinear) == [0, 1, 2]
    assert result.high_vif.all()


def test_condition_number_summary():
    spread = condition_number_summary([5.0, CN_THRESHOLD, 31.0, 100.0, 2.0])
    assert (spread.min, spread.median, spread.max, spread.above, spread.count) == (2.0, 30.0, 100.0, 2, 5)


def test_regression_design_standardises_and_adds_intercept():
    y = np.array([1.0, 2.0, 3.0, 6.0])
    X = np.array([[1.0, 10.0], [2.0, 10.0], [3.0, 30.0], [4.0, 30.0]])
    raw_y, raw = regression_design(y, X)
    assert_allclose(raw, np.column_stack([np.ones(4), X]))
    assert_allclose(raw_y, y)
    sy, design = regression_design(y, X, standardize=True)
    assert_allclose(sy, (y - 3.0) / np.sqrt(3.5))
    assert_allclose(design[:, 0], 1.0)
    assert_allclose(design[:, 1:].mean(axis=0), 0.0, atol=1e-15)
    assert_allclose(design[:, 1:].std(axis=0), 1.0)
    assert_allclose(design[:, 2], [-1, -1, 1, 1])
    assert_allclose(y, [1.0, 2.0, 3.0, 6.0])  # input unchanged
