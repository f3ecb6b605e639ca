"""core.formatting: the one number formatter (fixed decimals for tables, significant digits for prose)."""

import doctest

import numpy as np
import pytest
from carbon_spacetime.core import formatting
from carbon_spacetime.core.formatting import format_fixed, format_significant


def test_doctests():
    assert doctest.testmod(formatting).failed == 0


@pytest.mark.parametrize("value, args, kwargs, text", [
    (None, (), {}, ""),
    (3, (), {}, "3"),
    (np.int64(12), (), {}, "12"),
    (0.0, (), {}, "0.0000"),
    (0.5, (2,), {}, "0.50"),
    (-1.23456, (), {}, "-1.2346"),
    (0.001, (), {}, "0.0010"),  # 10 ** -(4 - 1): shown in fixed notation
    (0.000999, (), {}, "9.990e-04"),
    (3.2e-9, (8,), {}, "3.2000000e-09"),
    (float("nan"), (), {}, "undefined"),
    (float("inf"), (), {}, "inf"),
    (-np.inf, (), {}, "-inf"),
    # the clustering reports' policy: at least two significant digits in fixed notation
    (0.0001, (6,), {"tiny_below": 1e-4, "exp_decimals": 3}, "0.000100"),
    (0.0000999, (6,), {"tiny_below": 1e-4, "exp_decimals": 3}, "9.990e-05"),
])
def test_format_fixed(value, args, kwargs, text):
    assert format_fixed(value, *args, **kwargs) == text


@pytest.mark.parametrize("value, digits, text", [
    (None, 4, "n/a"),
    (float("nan"), 4, "n/a"),
    (0, 4, "0"),
    (35.19, 3, "35.2"),
    (1234.5678, 4, "1235"),
    (123456.0, 4, "123456"),  # 1.235e+05 written out
    (0.00012346, 4, "0.0001235"),
    (0.000012345, 4, "1.234e-05"),  # under 1e-4: scientific
    (2.5e16, 4, "2.500e+16"),
    (-0.5, 4, "-0.5"),
])
def test_format_significant(value, digits, text):
    assert format_significant(value, digits) == text


def test_missing_text_is_chosen_by_caller():
    assert format_significant(float("inf"), missing="") == ""


@pytest.mark.parametrize("value, digits, text", [
    (True, 6, "True"),
    (np.int64(2020), 6, "2020"),
    ("HH", 6, "HH"),
    (0.07116312345678, 6, "0.0711631"),
    (3.0, 6, "3"),
    # written whole, never cut: the former report formatter stripped zeros off whole numbers
    # (-154970.31 came out as "-15497", 1234000.5 as "1234")
    (-154970.31084176362, 3, "-154970"),
    (1234000.5, 6, "1234000"),
    (1500000.0, 3, "1500000"),
    (float("-inf"), 4, ""),
])
def test_format_significant_as_report_cell(value, digits, text):
    assert format_significant(value, digits, missing="") == text

