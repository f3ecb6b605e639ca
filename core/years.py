"""Reading years from layer names, time-field values and a comma-separated list."""

import datetime
import math
import re

_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2[01]\d\d)(?!\d)")


def year_from_name(name):
    """The year in a layer name such as ``co2_2015``.

    The last 4-digit group from 1800 to 2199 wins; without one, the last run of
    digits; ``None`` when the name has no digits.

    >>> year_from_name("emissions_2015_v2"), year_from_name("grid10km_2020"), year_from_name("emissions")
    (2015, 2020, None)
    """
    found = _YEAR.findall(name) or re.findall(r"\d+", name)
    return int(found[-1]) if found else None


def whole_year(value):
    """The year of a time-field value: a date's year, or a number that is a whole year.

    Raises
    ------
    TypeError
        ``value`` is neither a date nor a number (e.g. text such as ``"spring"``).
    ValueError
        ``value`` is a number but not a whole one (``2015.5``, NaN, infinity).

    >>> whole_year(2015.0), whole_year("2020"), whole_year(datetime.date(2010, 6, 1))
    (2015, 2020, 2010)
    """
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.year
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{value!r} is not a year") from None
    if not math.isfinite(number) or number != int(number):
        raise ValueError(f"{value!r} is not a whole year")
    return int(number)


def parse_years(text):
    """Whole-number years from ``"2000, 2005;2010"``; an empty list for empty text.

    Raises ValueError on anything that is not a whole number.
    """
    parts = [p for p in re.split(r"[,;\s]+", text or "") if p]
    try:
        return [int(p) for p in parts]
    except ValueError:
        raise ValueError(f"Years must be whole numbers separated by commas, got {text!r}.") from None
