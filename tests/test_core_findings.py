"""The findings text follows from the numbers, and only from them."""

import doctest

import pytest
from carbon_spacetime.core import findings
from carbon_spacetime.core.findings import (
    compass_word,
    ellipse_findings,
    hotspot_findings,
    mgwr_findings,
    moran_findings,
    sign_pattern,
    statistics_findings,
    study_findings,
    trajectory_findings,
)

# Totals follow the CEADs figures the paper uses; other values made up for the test.
STATS = [
    {"year": 2000, "total": 208.957, "peak": 9.1, "mean": 0.0014, "std": 0.050, "cells": 148000},
    {"year": 2005, "total": 300.0, "peak": 8.7, "mean": 0.0020, "std": 0.045, "cells": 148000},
    {"year": 2010, "total": 454.0, "peak": 8.2, "mean": 0.0031, "std": 0.052, "cells": 148000},
    {"year": 2015, "total": 500.0, "peak": 7.9, "mean": 0.0034, "std": 0.049, "cells": 148000},
    {"year": 2020, "total": 533.285, "peak": 7.5, "mean": 0.0036, "std": 0.047, "cells": 148000},
]


def test_doctests():
    assert doctest.testmod(findings).failed == 0


def test_statistics_paper_like_series():
    text = statistics_findings(STATS)
    assert text[0] == ("Total emissions rose from 209 Mt CO2 in 2000 to 533.3 Mt CO2 in 2020 (+155.2%).")
    assert "The total rose in every period." in text
    # 2005-2010: (454/300)^(1/5)-1 = 8.63 % a year is the fastest, later periods slower.
    slowing = [t for t in text if t.startswith("Growth was fastest")]
    assert slowing == [
        "Growth was fastest between 2005 and 2010 (8.6% a year) and slower in every later period "
        "(1.3% a year in 2015–2020)."
    ]
    assert any("peak cell value fell (9.1 to 7.5) while the mean cell value rose" in t for t in text)
    assert text[-1].startswith(
        "The standard deviation of cell values followed a decline–rise–decline pattern"
    )


def test_statistics_growth_fastest_first_is_every_period():
    rows = [dict(r) for r in STATS[:3]]
    rows[1]["total"] = 400.0  # 2000-2005 much faster than 2005-2010
    text = statistics_findings(rows)
    assert any(t.startswith("Annual growth slowed in every period") for t in text)


def _three_years(totals, stds=(1, 1, 1)):
    """Statistics rows of 2000, 2005 and 2010 with these totals and standard deviations (the rest constant)."""
    return [{"year": year, "total": total, "peak": 1, "mean": 1, "std": std, "cells": 10}
            for year, total, std in zip((2000, 2005, 2010), totals, stds)]


def test_statistics_no_slowing_claim_when_growth_accelerates():
    text = statistics_findings(_three_years((100.0, 101.0, 150.0)))
    assert not any("slow" in t for t in text)
    assert "Growth was fastest in the latest period, 2005 and 2010 (8.2% a year)." in text
    assert any("peak cell value did not change" in t and " and the mean" in t for t in text)
    assert text[-1] == "The standard deviation of cell values did not change (1, 1, 1)."


def test_statistics_decline_years_named():
    text = statistics_findings(_three_years((100.0, 90.0, 120.0), stds=(1, 2, 3)))
    assert "The total fell in 2000–2005." in text
    assert text[-1] == "The standard deviation of cell values rose in every period (1, 2, 3)."


def test_statistics_single_year():
    text = statistics_findings([STATS[0]])
    assert text == [
        "In 2000 total emissions were 209 Mt CO2 over 148000 cells (peak cell 9.1, mean 0.0014, "
        "standard deviation 0.05 Mt CO2 per cell)."
    ]
    assert statistics_findings([]) == []


def test_sign_pattern():
    assert sign_pattern([3, 2, 1, 2, 1]) == "decline–rise–decline"
    assert sign_pattern([1, 2]) == "rise"
    assert sign_pattern([1, 1, 2]) == "no change–rise"
    assert sign_pattern([1]) is None


@pytest.mark.parametrize(
    "bearing,word",
    [
        (0, "north"),
        (22.4, "north"),
        (22.6, "northeast"),
        (225, "southwest"),
        (337.6, "north"),
        (359.9, "north"),
        (270, "west"),
        (135, "southeast"),
    ],
)
def test_compass_word(bearing, word):
    assert compass_word(bearing) == word


def test_trajectory_paper_like_and_zero_shift():
    rows = [
        {
            "from_year": 2010,
            "to_year": 2015,
            "dist_km": 22.24,
            "bearing": 230.0,
            "direction": "SW",
            "km_per_year": 4.448,
        },
        {
            "from_year": 2015,
            "to_year": 2020,
            "dist_km": 35.19,
            "bearing": 215.0,
            "direction": "SW",
            "km_per_year": 7.038,
        },
        {
            "from_year": 2005,
            "to_year": 2010,
            "dist_km": 0.01,
            "bearing": 90.0,
            "direction": "E",
            "km_per_year": 0.002,
        },
    ]
    text = trajectory_findings(rows)
    assert text[0] == "Between 2005 and 2010 the emission centre did not move measurably (0.0 km)."
    assert (
        text[1]
        == "Between 2010 and 2015 the emission centre moved 22.2 km southwest (bearing 230°, 4.4 km a year)."
    )
    assert (
        text[2]
        == "Between 2015 and 2020 the emission centre moved 35.2 km southwest (bearing 215°, 7.0 km a year)."
    )
    assert text[3] == "Over 2005–2020 the centre travelled 57.4 km in 3 steps."
    assert text[4] == "2 of its 3 moves were to the southwest."
    assert not any("east" in t for t in text)  # the zero move has no direction


def test_trajectory_direction_from_code_when_no_bearing():
    text = trajectory_findings([{"from_year": 2000, "to_year": 2005, "dist_km": 10.0, "direction": "NE"}])
    assert text == ["Between 2000 and 2005 the emission centre moved 10.0 km northeast (2.0 km a year)."]


def test_ellipses_growth_and_orientation():
    rows = [
        {"year": 2015, "major_km": 300.0, "minor_km": 150.0, "major_bearing": 40.0, "area_km2": 141371.7},
        {"year": 2020, "major_km": 310.0, "minor_km": 140.0, "major_bearing": 44.0, "area_km2": 136345.1},
    ]
    text = ellipse_findings(rows)
    assert text[0] == "In every year the long axis of the ellipse ran northeast–southwest (bearing 40°–44°)."
    assert text[1] == (
        "Between 2015 and 2020 the long axis grew (300 to 310 km), the short axis shrank (150 to 140 km) "
        "and the area shrank by 3.6%; the long axis turned from 40.0° to 44.0°."
    )
    single = ellipse_findings(rows[:1])
    assert single[0] == "In 2015 the long axis of the ellipse ran northeast–southwest (bearing 40°)."
    rows[1]["major_bearing"] = 170.0
    assert ellipse_findings(rows)[0] == (
        "The long axis of the ellipse ran northeast–southwest in 2015 (bearing 40.0°) and north–south "
        "in 2020 (bearing 170.0°)."
    )


def test_ellipse_orientation_grouped_by_years():
    rows = [
        {"year": y, "major_km": 170.0, "minor_km": 100.0, "major_bearing": b, "area_km2": 5e4}
        for y, b in ((2000, 23.8), (2005, 24.2), (2010, 22.4))
    ]
    # Bearings within 2 degrees of each other are one orientation, not a change.
    assert ellipse_findings(rows)[0] == (
        "In every year the long axis of the ellipse ran north-northeast–south-southwest (bearing 22°–24°)."
    )
    rows[2]["major_bearing"] = 95.0
    assert ellipse_findings(rows)[0] == (
        "The long axis of the ellipse ran north-northeast–south-southwest in 2000 and 2005 "
        "(bearing 23.8°–24.2°) and east–west in 2010 (bearing 95.0°)."
    )
    rows = [dict(rows[0], major_bearing=b) for b in (178.0, 3.0)]
    assert ellipse_findings(rows)[0] == "In every year the long axis of the ellipse ran north–south (bearing 178°–3°)."


def test_moran_significance_per_year():
    rows = [
        {
            "year": 2000,
            "morans_i": 0.071163,
            "expected_i": -0.006711,
            "z_score": 4.404966,
            "p_value": 0.000011,
        },
        {"year": 2005, "morans_i": 0.02, "expected_i": -0.006711, "z_score": 1.2, "p_value": 0.23},
        {"year": 2010, "morans_i": 0.09, "expected_i": -0.006711, "z_score": 5.0, "p_value": 0.0000006},
    ]
    text = moran_findings(rows)
    assert text[0] == (
        "Emissions were significantly spatially clustered in 2000 and 2010 (Moran's I 0.07116 to 0.09, "
        "p < 0.001, 5% level)."
    )
    assert text[1] == "Moran's I was not significant at the 5% level in 2005 (I = 0.02, p = 0.230)."
    assert text[2] == "Moran's I rose from 0.07116 in 2000 to 0.09 in 2010."


def test_moran_nothing_significant():
    rows = [
        {"year": 2000, "morans_i": 0.001, "expected_i": -0.01, "z_score": 0.3, "p_value": 0.76},
        {"year": 2005, "morans_i": -0.02, "expected_i": -0.01, "z_score": -0.4, "p_value": 0.69},
    ]
    text = moran_findings(rows)
    assert (
        text[0]
        == "No year shows significant spatial autocorrelation at the 5% level "
        "(p = 0.760 in 2000, p = 0.690 in 2005)."
    )
    assert not any("clustered" in t or "dispersed" in t for t in text)


def test_moran_dispersed_and_single_year():
    rows = [{"year": 2020, "morans_i": -0.3, "expected_i": -0.01, "z_score": -4.0, "p_value": 0.0001}]
    text = moran_findings(rows)
    assert text == [
        "Emissions were significantly dispersed (Moran's I below its expectation) in 2020 (5% level)."
    ]


def test_hotspot_counts():
    counts = {
        2020: {3: 12, 2: 5, 1: 0, 0: 100, -1: 2, -2: 0, -3: 0},
        2015: {0: 119},
    }
    text = hotspot_findings(counts)
    assert text[0] == "In 2015 no cell was a significant hot or cold spot (119 cells tested)."
    assert text[1] == (
        "In 2020 there were 17 hot spots (12 at 99%, 5 at 95% confidence) and 2 cold spots "
        "(2 at 90% confidence) among 119 cells."
    )
    assert text[2] == (
        "From 2015 to 2020 the number of hot-spot cells went from 0 to 17 and the number of cold-spot cells "
        "went from 0 to 2."
    )


def test_hotspot_counts_unchanged():
    counts = {2015: {3: 4, 0: 10, -1: 1}, 2020: {3: 4, 0: 11}}
    text = hotspot_findings(counts)
    assert text[-1] == (
        "From 2015 to 2020 the number of hot-spot cells stayed at 4 and the number of cold-spot cells "
        "went from 1 to 0."
    )
    assert text[1] == "In 2020 there were 4 hot spots (4 at 99% confidence) and no cold spots among 15 cells."


def test_mgwr_ranges():
    rows = [
        {"year": 2020, "variable": "Intercept", "bandwidth": 50, "mean": 0.1, "min": -0.5, "max": 0.6},
        {
            "year": 2020,
            "variable": "electricity",
            "bandwidth": 1400,
            "mean": 0.0198,
            "min": 0.0169,
            "max": 0.0230,
        },
        {"year": 2020, "variable": "agpp", "bandwidth": 80, "mean": -0.2, "min": -0.4, "max": -0.01},
        {"year": 2020, "variable": "real_gdp", "bandwidth": 120, "mean": 0.3, "min": -0.1, "max": 0.9},
    ]
    text = mgwr_findings(rows, {2020: {"R2": 0.8312, "AICC": 1234.5678}}, n_obs={2020: 1400})
    assert text[0] == (
        "In 2020 the MGWR bandwidths ranged from 50 nearest neighbours (Intercept, the most local effect) "
        "to 1400 (electricity, the most regional)."
    )
    assert text[1] == "In 2020 electricity had a bandwidth spanning all 1400 cells, i.e. a global effect."
    assert "electricity (0.0169 to 0.023, mean 0.0198) were positive everywhere" in text[2]
    assert "agpp (-0.4 to -0.01, mean -0.2) were negative everywhere" in text[3]
    assert "real_gdp (-0.1 to 0.9, mean 0.3) changed sign" in text[4]
    assert text[4].endswith("changed sign across the area.")
    assert text[5] == "In 2020 real_gdp had the largest mean coefficient in absolute value (0.3)."
    assert text[6] == "In 2020 the model explained R² = 0.831 of the variance, AICc 1234.57."


def test_study_findings_skips_missing_tables():
    result = study_findings(statistics=[STATS[0]])
    assert [f.section for f in result] == ["Emissions over time"]
    assert study_findings() == []


def test_the_study_tables_are_keywords_of_study_findings():
    """carbon:emissionstudy passes its tables to study_findings by these names."""
    import inspect

    keywords = inspect.signature(study_findings).parameters
    assert set(findings.STUDY_TABLES) <= set(keywords)
    assert all(keywords[name].default is None for name in findings.STUDY_TABLES)


def test_emerging_hot_spot_findings():
    from carbon_spacetime.core.findings import emerging_findings

    rows = [{"code": 0, "pattern": "No Pattern Detected", "cells": 70},
            {"code": 3, "pattern": "Intensifying Hot Spot", "cells": 12},
            {"code": 4, "pattern": "Persistent Hot Spot", "cells": 8},
            {"code": 14, "pattern": "Sporadic Cold Spot", "cells": 10}]
    text = emerging_findings(rows)
    assert text[0] == ("Over the study years 20 of 100 cells (20.0%) showed a hot spot pattern and 10 (10.0%) "
                       "a cold spot pattern.")
    assert "intensifying hot spot (12 cells)" in text[1] and "sporadic cold spot (10 cells)" in text[2]
    assert text[3].startswith("12 cells became or grew hotter")
    assert emerging_findings([]) == []
    assert emerging_findings([{"code": 0, "pattern": "No Pattern Detected", "cells": 5}])[0].startswith("No cell")


def test_geodetector_findings_rank_factors_and_name_the_strongest_interaction():
    from carbon_spacetime.core.findings import geodetector_findings

    rows = [
        {"year": 2020, "factor": "real_gdp", "q": 0.41, "p": 1e-9},
        {"year": 2020, "factor": "urbanisation", "q": 0.62, "p": 1e-12},
        {"year": 2020, "factor": "agpp", "q": 0.03, "p": 0.2},
    ]
    pairs = [
        {"year": 2020, "pair": "real_gdp ∩ urbanisation", "q": 0.71, "type": "bi-variable enhance"},
        {"year": 2020, "pair": "agpp ∩ urbanisation", "q": 0.66, "type": "nonlinear-enhance"},
    ]
    text = geodetector_findings(rows, pairs)
    assert text == [
        "In 2020 the geographical detector ranked the factors urbanisation (q = 0.620), real_gdp (q = 0.410) "
        "and agpp (q = 0.030); agpp not significant at 0.05.",
        "In 2020 the strongest interaction was real_gdp ∩ urbanisation (q = 0.710, bi-variable enhance).",
    ]
    assert geodetector_findings(rows[:2])[0].endswith("all significant at 0.05.")
    sections = {f.section for f in study_findings(geodetector=rows, geodetector_interactions=pairs)}
    assert sections == {"Drivers (geographical detector)"}
