"""Dense matrix products that reach the optimised BLAS wherever the plugin runs.

Inside QGIS on Linux (``qgis_process`` and the desktop) the executables link
GSL's reference CBLAS (``libgslcblas``), whose unversioned ``cblas_*`` symbols
interpose on OpenBLAS's: numpy's ``a @ b`` then runs GSL's naive loops, about
25x slower for large products. The Fortran BLAS symbols (``dgemm_``), which
``scipy.linalg.blas`` calls, still reach OpenBLAS. So the heavy products of this
package go through :func:`matmul`, which calls ``scipy.linalg.blas`` above a
size threshold and plain numpy below it (where the call overhead dominates).
Nothing process-wide is changed.

Layout: a C-ordered product ``C = A B`` is computed as the Fortran product
``C' = B' A'``, whose operands are the transposed (Fortran-ordered) views of
C-ordered inputs, so no input is copied; non-contiguous inputs are copied once.
"""

import numpy as np
from scipy.linalg import blas

# Below this many multiply-adds a product stays with numpy (no f2py call overhead).
BLAS_MIN_FLOPS = 32_768

_GEMM = {np.dtype(np.float64): blas.dgemm, np.dtype(np.float32): blas.sgemm}
_GEMV = {np.dtype(np.float64): blas.dgemv, np.dtype(np.float32): blas.sgemv}


def _fortran_operand(x):
    """``(array, trans)`` such that BLAS reads ``x`` without a copy when it can."""
    if x.flags.f_contiguous:
        return x, 0
    if x.flags.c_contiguous:
        return x.T, 1
    return np.asfortranarray(x), 0


def _common_dtype(a, b):
    dtype = np.result_type(a.dtype, b.dtype)
    return dtype if dtype in _GEMM else None


def _blas_dtype(a, b):
    """The BLAS type of ``a @ b`` if the product goes to the Fortran BLAS, else ``None``.

    Float operands (after numpy's promotion), 1-D or 2-D (not both 1-D), matching
    inner sizes, non-empty and at least ``BLAS_MIN_FLOPS`` multiply-adds.
    """
    dtype = _common_dtype(a, b)
    if (dtype is None or a.ndim not in (1, 2) or b.ndim not in (1, 2)
            or (a.ndim == 1 and b.ndim == 1) or a.shape[-1] != b.shape[0]
            or a.size * (b.shape[1] if b.ndim == 2 else 1) < BLAS_MIN_FLOPS
            or a.size == 0 or b.size == 0):
        return None
    return dtype


def matmul(a, b, out=None):
    """``a @ b`` for 1-D/2-D float arrays, on the Fortran BLAS when it is large.

    Parameters
    ----------
    a, b : ndarray
        Dense operands (1-D or 2-D). Other shapes, dtypes other than float32 /
        float64 (after numpy's promotion), sparse matrices and small products
        fall back to ``numpy.matmul``.
    out : ndarray, optional
        Where to write the result (shape and dtype of ``a @ b``); written in place.

    Returns
    -------
    ndarray
        ``a @ b`` (``out`` when given), as numpy would compute it up to rounding.
    """
    a = np.asarray(a)
    b = np.asarray(b)
    dtype = _blas_dtype(a, b)
    if dtype is None:
        return np.matmul(a, b) if out is None else np.matmul(a, b, out=out)
    a = a.astype(dtype, copy=False)
    b = b.astype(dtype, copy=False)
    if b.ndim == 1:
        result = _gemv(a, b)
    elif a.ndim == 1:
        result = _gemv(b.T, a)
    else:
        result = _gemm(a, b, out)
        if result is out:
            return out
    if out is None:
        return result
    out[...] = result
    return out


def matmul_add(a, b, out):
    """``out += a @ b`` for 2-D float arrays, without a temporary on the Fortran BLAS.

    ``out`` must have the shape of ``a @ b``; it is updated in place (``beta = 1``
    of ``dgemm`` when it is C-contiguous and of the operands' type, else
    ``out += matmul(a, b)``).
    """
    a = np.asarray(a)
    b = np.asarray(b)
    dtype = _blas_dtype(a, b)
    if (dtype is not None and a.ndim == 2 and b.ndim == 2 and out.dtype == dtype
            and out.flags.c_contiguous and out.shape == (a.shape[0], b.shape[1])):
        _gemm(a.astype(dtype, copy=False), b.astype(dtype, copy=False), out, beta=1.0)
        return out
    out += matmul(a, b)
    return out


def matvec(a, x, out=None):
    """``a @ x`` for a 2-D ``a`` and a 1-D ``x`` (see :func:`matmul`)."""
    return matmul(a, x, out=out)


def _gemv(a, x):
    fa, trans = _fortran_operand(a)
    return _GEMV[a.dtype](1.0, fa, np.ascontiguousarray(x), trans=trans)


def _gemm(a, b, out, beta=0.0):
    # C' = B' A' in Fortran order: B' and A' are the Fortran views of C-ordered inputs;
    # beta = 1 adds the product to ``out`` (matmul_add passes a C-contiguous ``out`` of a's type)
    fb, tb = _fortran_operand(b.T)
    fa, ta = _fortran_operand(a.T)
    gemm = _GEMM[a.dtype]
    if (out is not None and out.dtype == a.dtype and out.flags.c_contiguous
            and out.shape == (a.shape[0], b.shape[1])):
        ct = gemm(1.0, fb, fa, beta=beta, c=out.T, trans_a=tb, trans_b=ta, overwrite_c=1)
        if np.shares_memory(ct, out):
            return out
        out[...] = ct.T
        return out
    return gemm(1.0, fb, fa, trans_a=tb, trans_b=ta).T
