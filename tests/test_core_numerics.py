"""Zero, constant and flat are decided relative to the data's scale, never by exact comparison.

Every case is run on the data as given and shifted by 1e6 and scaled by 1e-3 and 1e4: the
decision must not change with the units or the false easting of the coordinate system.
"""

import numpy as np
import pytest
from carbon_spacetime.core import getis_ord, moran
from carbon_spacetime.core import weights as sw
from carbon_spacetime.core.centrography import standard_deviational_ellipse
from carbon_spacetime.core.collinearity import variance_inflation_factors
from carbon_spacetime.core.inference import StatisticError, prepare_values
from carbon_spacetime.core.numerics import FLAT_AXIS_RATIO, clearly_positive, constant_columns, is_constant

TRANSFORMS = [
    (1.0, 0.0),
    (1.0, 1e6),
    (1e-3, 0.0),
    (1e4, 1e6),
    (1.0, 4.3e6),
]


@pytest.mark.parametrize("scale,offset", TRANSFORMS)
@pytest.mark.parametrize("bearing", [0.0, 17.0, 45.0, 90.0, 123.4])
def test_collinear_points_give_a_flat_ellipse(scale, offset, bearing):
    b = np.radians(bearing)
    u = np.array([0.0, 1.0, 2.0, 3.0, 7.5, 11.0])
    xy = np.column_stack([u * np.sin(b), u * np.cos(b)]) * scale + offset
    e = standard_deviational_ellipse(xy)
    assert e.is_flat
    assert e.major > 0


def test_the_issue_case_four_collinear_points_is_flat():
    # 4 points on the diagonal: on some CPUs the short axis came out as 2.1e-08, not 0.
    e = standard_deviational_ellipse(np.array([[0, 0], [1, 1], [2, 2], [3, 3]], float))
    assert e.is_flat
    assert e.minor <= FLAT_AXIS_RATIO * e.major


@pytest.mark.parametrize("scale,offset", TRANSFORMS)
def test_thin_but_real_ellipse_is_not_flat(scale, offset):
    u = np.array([0.0, 1.0, 2.0, 3.0])
    v = np.array([1.0, -1.0, -1.0, 1.0]) * 1e-3  # uncorrelated with u: short axis 1e-3/1.118 of the long
    xy = np.column_stack([u, v]) * scale + offset
    e = standard_deviational_ellipse(xy)
    assert not e.is_flat
    assert e.minor / e.major == pytest.approx(np.sqrt(np.mean(v ** 2)) / np.std(u), rel=1e-3)


def test_coincident_points_are_flat():
    e = standard_deviational_ellipse(np.full((5, 2), 1e6 + 0.1))
    assert e.is_flat


@pytest.mark.parametrize("scale,offset", TRANSFORMS)
def test_constant_values_are_constant_at_any_offset(scale, offset):
    # 0.1 is not exact in binary: the mean of copies of it is not exactly 0.1 either.
    values = np.full(37, 0.1) * scale + offset
    assert is_constant(values)
    assert not is_constant(values + np.linspace(0, 1e-6, 37) * max(scale, 1.0) * max(offset, 1.0))
    X = np.column_stack([values, np.arange(37.0) * scale + offset])
    assert constant_columns(X).tolist() == [True, False]


def test_constant_columns_of_zeros_and_mixed_signs():
    assert constant_columns(np.zeros((4, 1))).tolist() == [True]
    assert constant_columns(np.array([[-1.0], [1.0]])).tolist() == [False]


def test_clearly_positive_is_relative():
    assert not clearly_positive(1e-18, 1e6 ** 2 * 1e-8)  # rounding-sized difference
    assert clearly_positive(1e-3, 1.0)
    assert not clearly_positive(0.0, 0.0)
    assert not clearly_positive(-1.0, 1.0)
    assert not clearly_positive(float("nan"), 1.0)


@pytest.mark.parametrize("offset", [0.0, 1e6, 3.3e8])
def test_statistics_refuse_a_constant_field_at_any_offset(offset):
    xy = np.column_stack([np.arange(25.0) % 5, np.arange(25.0) // 5])
    w = sw.knn_weights(xy, 4)
    values = np.full(25, 0.3) + offset
    with pytest.raises(StatisticError, match="same value"):
        prepare_values(values, w)
    with pytest.raises(StatisticError, match="same value"):
        moran.global_morans_i(values, w)
    with pytest.raises(StatisticError, match="same value"):
        getis_ord.general_g(values, w)


def test_general_g_with_one_non_zero_value_is_undefined():
    xy = np.column_stack([np.arange(25.0) % 5, np.arange(25.0) // 5])
    w = sw.knn_weights(xy, 4)
    values = np.zeros(25)
    values[7] = 0.1 * 3  # not exact in binary
    with pytest.raises(StatisticError, match="fewer than two"):
        getis_ord.general_g(values, w)


@pytest.mark.parametrize("offset", [0.0, 1e6])
def test_local_moran_value_at_the_mean_has_zero_z_score(offset):
    # Values whose mean is one of them; 0.1 steps so the computed mean is rounded.
    xy = np.column_stack([np.arange(25.0) % 5, np.arange(25.0) // 5])
    w = sw.knn_weights(xy, 4)
    rng = np.random.default_rng(3)
    steps = rng.permutation(np.r_[np.arange(-12, 0), 0, np.arange(1, 13)]) * 0.1
    values = steps + 0.7 + offset
    at_mean = int(np.flatnonzero(steps == 0)[0])
    res = moran.local_morans_i(values, w)
    assert res.z_score[at_mean] == 0.0
    assert np.isfinite(res.z_score).all()


@pytest.mark.parametrize("offset", [0.0, 1e6])
def test_constant_explanatory_variable_gets_infinite_vif(offset):
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.normal(size=50), np.full(50, 0.1) + offset, rng.normal(size=50)])
    vif = variance_inflation_factors(X)
    assert np.isinf(vif[1])
    assert np.all(np.isfinite(vif[[0, 2]]))
