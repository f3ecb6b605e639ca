"""Reading years from layer names and from a comma-separated list."""

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


def parse_years(text):
    """Whole-number years from ``"2000, 2005;2010"``; an empty list for empty text.

    Raises ValueError on anything that is not a whole number.
    """
    parts = [p for p in re.split(r"[,;\s]+", text or "") if p]
    try:
        return [int(p) for p in parts]
    except ValueError:
        raise ValueError(f"Years must be whole numbers separated by commas, got {text!r}.") from None
