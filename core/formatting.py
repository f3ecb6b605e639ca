"""Numbers as text for tables, reports and findings sentences: the one place for it.

Two notations:

* :func:`format_fixed` -- a fixed number of decimals (tables of statistics,
  where a column lines up), switching to scientific notation for values so
  small that the decimals would hide them (tiny p-values and variances).
* :func:`format_significant` -- a number of significant digits without
  scientific notation for usual sizes (prose: "total emissions rose from
  1234 to 1567 t").
"""

import math

import numpy as np


def format_fixed(value, decimals=4, *, tiny_below=None, exp_decimals=None):
    """``value`` with ``decimals`` decimals; tiny non-zero values in scientific notation.

    Parameters
    ----------
    value : number or None
        ``None`` gives ``""``; integers are written whole; NaN gives
        ``"undefined"``, infinities ``"inf"`` / ``"-inf"``.
    decimals : int
        Decimals of the fixed notation.
    tiny_below : float, optional
        Non-zero values with a magnitude under this are written in scientific
        notation. Default ``10 ** -(decimals - 1)``: at least one significant
        digit is always shown.
    exp_decimals : int, optional
        Decimals of the mantissa in scientific notation; default
        ``max(decimals - 1, 2)``.

    Examples
    --------
    >>> format_fixed(0.123456), format_fixed(2.5e-7), format_fixed(7), format_fixed(float("nan"))
    ('0.1235', '2.500e-07', '7', 'undefined')
    """
    if value is None:
        return ""
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    value = float(value)
    if not math.isfinite(value):
        return "inf" if value > 0 else ("-inf" if value < 0 else "undefined")
    if tiny_below is None:
        tiny_below = 10.0 ** -(decimals - 1)
    if exp_decimals is None:
        exp_decimals = max(decimals - 1, 2)
    if value != 0 and abs(value) < tiny_below:
        return f"{value:.{exp_decimals}e}"
    return f"{value:.{decimals}f}"


def format_significant(value, digits=4, *, missing="n/a"):
    """``value`` with ``digits`` significant digits, in plain notation from 1e-4 to 1e15.

    The formatter of report cells, legends, console lines and findings sentences.

    Parameters
    ----------
    value : number, str or None
        ``None`` and non-finite numbers give ``missing``; integers (and booleans)
        are written whole; text that is not a number is returned as it is.
    digits : int
        Significant digits. Values of ``10 ** digits`` or more (under 1e15) are
        written whole, without an exponent.
    missing : str
        Text for a missing or non-finite value (``""`` in tables).

    Examples
    --------
    >>> format_significant(1234567.0), format_significant(0.000123456), format_significant(0)
    ('1234567', '0.0001235', '0')
    >>> format_significant(7), format_significant("HH"), format_significant(float("nan"), missing="")
    ('7', 'HH', '')
    """
    if value is None:
        return missing
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    try:
        value = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(value):
        return missing
    if value == 0:
        return "0"
    text = f"{value:.{digits}g}"
    if "e" in text:
        magnitude = abs(value)
        if 1e-4 <= magnitude < 1e15:
            decimals = max(0, digits - 1 - int(math.floor(math.log10(magnitude))))
            text = f"{value:.{decimals}f}"
        else:
            text = f"{value:.{digits - 1}e}"
    return text


def format_cell(value, digits=6):
    """A report table cell: :func:`format_significant` with ``digits``; blank when missing
    or NaN, ``inf``/``-inf`` for an infinite statistic (e.g. an F of a perfect fit).

    Examples
    --------
    >>> format_cell(0.1234567), format_cell(None), format_cell(float("inf"), 4)
    ('0.123457', '', 'inf')
    """
    if isinstance(value, (float, np.floating)) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return format_significant(value, digits, missing="")
