"""core/linalg.py: products on the Fortran BLAS agree with numpy's."""

import numpy as np
import pytest
from carbon_spacetime.core import linalg
from carbon_spacetime.core.linalg import matmul, matmul_add, matvec

RNG = np.random.default_rng(7)


def _close(got, want, dtype):
    tol = 1e-12 if np.dtype(dtype) == np.float64 else 2e-5
    assert got.shape == want.shape
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol * np.abs(want).max(initial=1.0))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("m,k,n", [(300, 200, 150), (257, 64, 3), (5, 400, 90), (1, 600, 80)])
@pytest.mark.parametrize("order_a", ["C", "F"])
@pytest.mark.parametrize("order_b", ["C", "F"])
def test_matmul_matches_numpy(dtype, m, k, n, order_a, order_b):
    a = np.asarray(RNG.normal(size=(m, k)), dtype=dtype, order=order_a)
    b = np.asarray(RNG.normal(size=(k, n)), dtype=dtype, order=order_b)
    _close(matmul(a, b), a @ b, dtype)
    _close(matmul(b.T, a.T), b.T @ a.T, dtype)  # transposed views, no copy


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_matvec_and_vecmat(dtype):
    a = RNG.normal(size=(400, 300)).astype(dtype)
    x = RNG.normal(size=300).astype(dtype)
    y = RNG.normal(size=400).astype(dtype)
    _close(matvec(a, x), a @ x, dtype)
    _close(matmul(a.T, y), a.T @ y, dtype)
    _close(matmul(y, a), y @ a, dtype)
    _close(matmul(np.asfortranarray(a), x), a @ x, dtype)


def test_non_contiguous_and_mixed_inputs():
    big = RNG.normal(size=(600, 500))
    a = big[::2, 1::2]  # neither C nor F contiguous
    b = big[:250, ::3]
    _close(matmul(a, b), a @ b, np.float64)
    _close(matmul(a, big[1:500:2, 7]), a @ big[1:500:2, 7], np.float64)
    a32 = a.astype(np.float32)  # float32 @ float64 -> float64, as numpy
    _close(matmul(a32, b), a32 @ b, np.float64)
    ints = np.arange(250 * 200).reshape(250, 200) % 7  # integers: numpy's own product
    assert np.array_equal(matmul(ints.T, ints), ints.T @ ints)


def test_out_written_in_place():
    a = RNG.normal(size=(300, 200))
    b = RNG.normal(size=(200, 120))
    out = np.full((300, 120), np.nan)
    got = matmul(a, b, out=out)
    assert got is out
    _close(out, a @ b, np.float64)
    rows = np.full((500, 120), np.nan)  # a C-contiguous slice of a bigger buffer
    matmul(a, b, out=rows[100:400])
    _close(rows[100:400], a @ b, np.float64)
    assert np.isnan(rows[:100]).all() and np.isnan(rows[400:]).all()
    fout = np.empty((300, 120), order="F")  # not usable by BLAS directly: still right
    assert matmul(a, b, out=fout) is fout
    _close(fout, a @ b, np.float64)
    vout = np.empty(300)
    assert matmul(a, b[:, 0], out=vout) is vout
    _close(vout, a @ b[:, 0], np.float64)


def test_matmul_add_accumulates_in_place():
    a = RNG.normal(size=(64, 300))
    b = RNG.normal(size=(300, 90))
    base = RNG.normal(size=(200, 90))
    out = base.copy()
    rows = out[50:114]  # a C-contiguous row slice: BLAS in place, beta = 1
    assert matmul_add(a, b, rows) is rows
    _close(out[50:114], base[50:114] + a @ b, np.float64)
    assert np.array_equal(out[:50], base[:50]) and np.array_equal(out[114:], base[114:])
    fout = np.asfortranarray(base[:64])  # not usable by BLAS in place: still right
    assert matmul_add(a, b, fout) is fout
    _close(fout, base[:64] + a @ b, np.float64)
    small = np.ones((2, 2))
    matmul_add(np.eye(2), np.full((2, 2), 3.0), small)  # below the BLAS threshold
    assert np.array_equal(small, np.full((2, 2), 4.0))


@pytest.mark.parametrize("shapes", [((0, 5), (5, 3)), ((4, 0), (0, 3)), ((4, 5), (5, 0)),
                                    ((2, 3), (3, 2)), ((3,), (3,))])
def test_small_and_empty_products_follow_numpy(shapes):
    a = RNG.normal(size=shapes[0])
    b = RNG.normal(size=shapes[1])
    want = a @ b
    got = matmul(a, b)
    assert np.shape(got) == np.shape(want)
    np.testing.assert_allclose(got, want, rtol=1e-14)


def test_threshold_boundary_both_paths_agree(monkeypatch):
    a = RNG.normal(size=(40, 30))
    b = RNG.normal(size=(30, 20))
    monkeypatch.setattr(linalg, "BLAS_MIN_FLOPS", 1)
    blas_side = matmul(a, b)
    monkeypatch.setattr(linalg, "BLAS_MIN_FLOPS", 10 ** 12)
    numpy_side = matmul(a, b)
    _close(blas_side, numpy_side, np.float64)


def test_shape_mismatch_raises_like_numpy():
    with pytest.raises(ValueError):
        matmul(np.ones((300, 200)), np.ones((199, 300)))
    with pytest.raises(ValueError):
        matmul(np.ones((3, 200, 200)), np.ones((3, 201, 200)))


def test_stacks_fall_back_to_numpy():
    a = RNG.normal(size=(3, 50, 40))
    b = RNG.normal(size=(3, 40, 30))
    _close(matmul(a, b), a @ b, np.float64)
