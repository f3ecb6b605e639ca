"""VIF and local condition numbers against mgwr 2.2.1 and a hand-worked regression."""

import numpy as np
import pytest
from _georgia import georgia
from carbon_spacetime.core import collinearity as col
from numpy.testing import assert_allclose

pytestmark = pytest.mark.usefixtures("one_blas_thread")


@pytest.mark.parametrize("bw,kernel,fixed", [(117, "bisquare", False), (250000.0, "gaussian", True)])
def test_local_condition_numbers_match_mgwr(bw, kernel, fixed):
    from mgwr.gwr import GWR

    coords, y, X = georgia()
    ref = GWR(coords, y[:, None], X, bw, kernel=kernel, fixed=fixed, n_jobs=1).fit()
    cn = ref.local_collinearity()[2].ravel()
    ours = col.local_condition_numbers(coords, np.column_stack([np.ones(len(y)), X]), bw,
                                       kernel, fixed)
    assert_allclose(ours, cn, rtol=1e-9)


def test_vif_equals_auxiliary_regressions():
    coords, y, X = georgia(standardise=False, explanatory=("PctFB", "PctBlack", "PctRural",
                                                           "PctPov", "PctEld"))
    vif = col.variance_inflation_factors(X)
    for j in range(X.shape[1]):
        others = np.column_stack([np.ones(len(X)), np.delete(X, j, axis=1)])
        beta, *_ = np.linalg.lstsq(others, X[:, j], rcond=None)
        resid = X[:, j] - others @ beta
        r2 = 1 - resid @ resid / np.sum((X[:, j] - X[:, j].mean()) ** 2)
        assert_allclose(vif[j], 1 / (1 - r2), rtol=1e-9)


def test_vif_flags_collinear_and_constant_columns():
    rng = np.random.default_rng(0)
    a, b, c = rng.normal(size=(3, 50))
    vif = col.variance_inflation_factors(np.column_stack([a, b, a + 2 * b, c]))
    assert np.all(np.isinf(vif[:3])) and vif[3] < 2
    vif = col.variance_inflation_factors(np.column_stack([a, np.ones(50), c]))
    assert np.isinf(vif[1]) and np.all(vif[[0, 2]] < 2)
    near = a + 0.05 * rng.normal(size=50)
    assert col.variance_inflation_factors(np.column_stack([a, near]))[0] > col.VIF_THRESHOLD
