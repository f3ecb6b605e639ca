"""Years from layer names and from the YEARS text."""

import pytest
from carbon_spacetime.core.years import parse_years, year_from_name


@pytest.mark.parametrize(
    "name,year",
    [("co2_2015", 2015), ("emissions_2015_v2", 2015), ("grid10km_2020", 2020), ("y1999to2005", 2005),
     ("layer_7", 7), ("emissions", None), ("2010-12345", 2010)],
)
def test_year_from_name(name, year):
    assert year_from_name(name) == year


def test_parse_years():
    assert parse_years("2000, 2005;2010  2015") == [2000, 2005, 2010, 2015]
    assert parse_years("") == [] and parse_years(None) == []
    with pytest.raises(ValueError, match="whole numbers"):
        parse_years("2000, twenty")
