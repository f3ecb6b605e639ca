"""Eq. 1 allocation, reclassification, aggregation and statistics on hand-worked grids."""

import numpy as np
import pytest
from carbon_spacetime.core import downscaling as ds
from carbon_spacetime.core.emission_stats import value_statistics, yearly_statistics
from carbon_spacetime.core.landuse import cas_reclass_table, reclassify, validate_table
from numpy.testing import assert_allclose, assert_array_equal


def _totals(n_regions, entries):
    t = np.zeros((n_regions + 1, 4))
    for (r, c), v in entries.items():
        t[r, c] = v
    return t


# ---------------------------------------------------------------- reclassification

def test_cas_table_matches_methods():
    table = cas_reclass_table()
    assert table[51] == 1 and table[53] == 2 and table[52] == 3 and table[99] == 0
    for code in (11, 12, 21, 24, 31, 33, 41, 46, 61, 67):
        assert table[code] == 3
    assert 13 not in table and 47 not in table


def test_reclassify_reports_unknown_codes_and_keeps_nodata_apart():
    codes = np.array([[51, 53, 12], [99, 77, np.nan], [77, 0, 52]])
    res = reclassify(codes, nodata=0)
    assert_array_equal(res.categories, [[1, 2, 3], [0, 0, 0], [0, 0, 3]])
    assert res.unknown == {77: 2}
    assert_array_equal(res.valid, [[1, 1, 1], [1, 1, 0], [1, 0, 1]])
    assert res.counts == {0: 3, 1: 1, 2: 1, 3: 2}


def test_custom_table_and_bad_tables():
    res = reclassify(np.array([[10, 20], [30, 190]], dtype=np.uint8), {10: 3, 20: 2, 30: 1, 190: 1})
    assert_array_equal(res.categories, [[3, 2], [1, 1]])
    with pytest.raises(ValueError, match="not one of"):
        validate_table({10: 5})
    with pytest.raises(ValueError, match="different categories"):
        validate_table([(10, 1), ("10", 2)])
    with pytest.raises(ValueError, match="whole number"):
        validate_table({10.5: 1})


def test_reclassify_far_apart_codes_use_sorted_lookup():
    codes = np.array([1, 10_000_000, 3], dtype=np.int64)
    res = reclassify(codes, {1: 1, 10_000_000: 2})
    assert_array_equal(res.categories, [1, 2, 0])
    assert res.unknown == {3: 1}


# ---------------------------------------------------------------- allocation

def test_hand_worked_3x3_region():
    # categories      light        population
    # 1 1 2           10 30 5      .  .  .
    # 3 3 2            0  0 15     100 300 .
    # 0 3 2            0  0  0      .  600 .
    cats = np.array([[1, 1, 2], [3, 3, 2], [0, 3, 2]])
    light = np.array([[10, 30, 5], [0, 0, 15], [0, 0, 0]], float)
    pop = np.array([[0, 0, 0], [100, 300, 0], [0, 600, 0]], float)
    reg = np.ones((3, 3), int)
    res = ds.allocate_emissions(cats, reg, _totals(1, {(1, 1): 8.0, (1, 2): 4.0, (1, 3): 5.0}), light, pop)
    expected = np.array([[2.0, 6.0, 1.0], [0.5, 1.5, 3.0], [0.0, 3.0, 0.0]])
    assert_allclose(res.emissions, expected, rtol=1e-14)
    assert res.max_abs_error < 1e-12 and res.unallocated == 0
    assert {(r.category, r.proxy) for r in res.report} == {(1, "light"), (2, "light"), (3, "population")}


def test_regions_split_a_category():
    cats = np.full((2, 4), 1)
    light = np.array([[1, 3, 2, 2], [0, 4, 6, 0]], float)
    reg = np.array([[1, 1, 2, 2], [1, 1, 2, 2]])
    res = ds.allocate_emissions(cats, reg, _totals(2, {(1, 1): 16.0, (2, 1): 1.0}), light, np.zeros((2, 4)))
    assert_allclose(res.emissions, [[2, 6, 0.2, 0.2], [0, 8, 0.6, 0]], rtol=1e-14)
    assert_allclose(np.nansum(res.emissions[reg == 1]), 16.0, rtol=1e-14)
    assert_allclose(np.nansum(res.emissions[reg == 2]), 1.0, rtol=1e-14)


def test_zero_light_falls_back_to_population_then_area():
    cats = np.array([[1, 1, 2, 2]])
    light = np.zeros((1, 4))
    pop = np.array([[1.0, 3.0, 0.0, 0.0]])
    reg = np.ones((1, 4), int)
    res = ds.allocate_emissions(cats, reg, _totals(1, {(1, 1): 4.0, (1, 2): 10.0}), light, pop)
    assert_allclose(res.emissions, [[1.0, 3.0, 5.0, 5.0]], rtol=1e-14)
    proxies = {r.category: (r.proxy, r.fallback) for r in res.report}
    assert proxies == {1: ("population", True), 2: ("area", True)}


def test_nodata_holes_get_no_share_and_stay_nodata():
    cats = np.array([[1, 1, 1], [3, 3, 3]])
    valid = np.array([[True, False, True], [True, True, True]])
    light = np.array([[2.0, 50.0, np.nan], [0, 0, 0]])
    pop = np.array([[0, 0, 0], [1.0, np.nan, 3.0]])
    reg = np.array([[1, 1, 1], [1, 1, 0]])
    res = ds.allocate_emissions(cats, reg, _totals(1, {(1, 1): 6.0, (1, 3): 2.0}), light, pop, valid=valid)
    assert np.isnan(res.emissions[0, 1]) and np.isnan(res.emissions[1, 2])
    assert_allclose(res.emissions[0, [0, 2]], [6.0, 0.0])
    assert_allclose(res.emissions[1, :2], [2.0, 0.0])
    assert res.proxy_nodata_cells == 2


def test_total_without_cells_is_reported_unallocated():
    cats = np.array([[1, 1]])
    res = ds.allocate_emissions(cats, np.ones((1, 2), int), _totals(1, {(1, 1): 1.0, (1, 2): 7.0}),
                                np.ones((1, 2)), np.ones((1, 2)))
    assert res.unallocated == 7.0
    assert [r.proxy for r in res.report if r.category == 2] == ["none (no cells)"]


def test_mass_conserved_on_random_grid_against_masked_loop():
    rng = np.random.default_rng(1)
    shape = (300, 211)
    cats = rng.integers(0, 4, shape)
    reg = rng.integers(0, 6, shape)
    light = rng.gamma(0.5, 10, shape) * (rng.random(shape) > 0.3)
    pop = rng.gamma(1.0, 100, shape)
    totals = np.zeros((6, 4))
    totals[1:, 1:] = rng.random((5, 3)) * 100
    old = ds._BLOCK_CELLS
    ds._BLOCK_CELLS = 5000  # many blocks
    try:
        res = ds.allocate_emissions(cats, reg, totals, light, pop)
    finally:
        ds._BLOCK_CELLS = old
    ref = np.where(reg > 0, 0.0, np.nan)
    for r in range(1, 6):
        for c in (1, 2, 3):
            m = (reg == r) & (cats == c)
            dn = light[m] if c < 3 else pop[m]
            ref[m] = dn / dn.sum() * totals[r, c]
            assert_allclose(res.emissions[m].sum(), totals[r, c], rtol=1e-12)
    assert_allclose(res.emissions, ref, rtol=1e-12, atol=0)
    assert ds.mass_balance_ok(res, totals)


def test_allocation_rejects_bad_input():
    cats = np.ones((2, 2), int)
    with pytest.raises(ValueError, match="non-negative"):
        ds.allocate_emissions(cats, np.ones((2, 2), int), _totals(1, {(1, 1): -1.0}), cats * 1.0, cats * 1.0)
    with pytest.raises(ValueError, match="align"):
        ds.allocate_emissions(cats, np.ones((2, 3), int), _totals(1, {}), cats * 1.0, cats * 1.0)


# ---------------------------------------------------------------- totals table

FIELDS = ["region", "year", "category", "emissions"]


def test_parse_totals_sums_and_checks():
    rows = [
        {"region": "A", "year": "2000", "category": "1", "emissions": "1.5"},
        {"region": "A", "year": 2000, "category": 1, "emissions": 0.5},
        {"region": 210100.0, "year": 2000, "category": 3, "emissions": 2},
        {"region": "B", "year": 2005, "category": 2, "emissions": 9},
    ]
    t = ds.parse_totals(rows, FIELDS, 2000)
    assert t.values == {("A", 1): 2.0, ("210100", 3): 2.0}
    with pytest.raises(ValueError, match="no rows for year 2010. Years in the table: 2000, 2005"):
        ds.parse_totals(rows, FIELDS, 2010)
    with pytest.raises(ValueError, match="no 'emissions' column"):
        ds.parse_totals(rows, ["region", "year", "category"], 2000)
    with pytest.raises(ValueError, match="negative"):
        ds.parse_totals([{"region": "A", "year": 2000, "category": 1, "emissions": -3}], FIELDS, 2000)
    with pytest.raises(ValueError, match="category"):
        ds.parse_totals([{"region": "A", "year": 2000, "category": 4, "emissions": 3}], FIELDS, 2000)
    with pytest.raises(ValueError, match="no 'region' column"):
        ds.parse_totals(rows, ["year", "category", "emissions"], 2000)


def test_ceads_sector_preset():
    expected = {
        "Farming, Forestry, Animal Husbandry, Fishery and Water Conservancy": 3,
        "Rural households": 3,
        "Coal Mining and Dressing": 2,
        "Logging and Transport of Wood and Bamboo": 2,
        "Transportation Equipment": 2,
        "Production and Supply of Tap Water": 2,
        "Production and Supply of Electric Power, Steam and Hot Water": 2,
        "Other Manufacturing Industry": 2,
        "Construction": 1,
        "Transportation, Storage, Post and Telecommunication Services": 1,
        "Wholesale, Retail Trade and Catering Services": 1,
        "Others": 1,
        "Urban households": 1,
    }
    for name, cat in expected.items():
        assert ds.sector_category(name) == cat, name
    rows = [{"year": 2000, "sector": n, "emissions": 1.0} for n in expected]
    t = ds.parse_totals(rows, ["year", "sector", "emissions"], 2000, use_regions=False)
    assert t.values == {(None, 1): 5.0, (None, 2): 6.0, (None, 3): 2.0}
    with pytest.raises(ValueError, match="not recognised"):
        ds.parse_totals([{"year": 2000, "sector": "Total", "emissions": 1}], ["year", "sector", "emissions"],
                        2000, use_regions=False)


# ---------------------------------------------------------------- grids and statistics

def test_aggregate_blocks_mean_and_sum_with_nodata():
    fine = np.array([[1, 3, 5, np.nan], [2, 2, np.nan, np.nan]], float)
    assert_allclose(ds.aggregate_blocks(fine, 2, 2, "mean"), [[2.0, 5.0]])
    assert_allclose(ds.aggregate_blocks(fine, 2, 2, "sum"), [[8.0, 5.0]])
    assert np.isnan(ds.aggregate_blocks(np.full((2, 2), np.nan), 2, 2)[0, 0])


def test_nesting_factors():
    coarse = (1000.0, 1000.0, 0, 5000.0, 0, -1000.0)
    fine = (0.0, 500.0, 0, 6000.0, 0, -500.0)
    assert ds.nesting_factors(fine, (20, 20), coarse, (4, 4)) == (2, 2, 2, 2)
    assert ds.nesting_factors((0.0, 400.0, 0, 6000.0, 0, -400.0), (40, 40), coarse, (4, 4)) is None
    assert ds.nesting_factors((250.0, 500.0, 0, 6000.0, 0, -500.0), (20, 20), coarse, (4, 4)) is None


def test_yearly_statistics_against_numpy():
    rng = np.random.default_rng(3)
    a = rng.random((50, 40))
    b = a * 1.5
    b[0, 0] = np.nan
    stats = yearly_statistics([(2005, b), (2000, a)])
    assert [s.year for s in stats] == [2000, 2005]
    assert_allclose(stats[0].total, a.sum(), rtol=1e-12)
    assert_allclose(stats[1].std, np.nanstd(b), rtol=1e-12)
    assert_allclose(stats[1].mean, np.nanmean(b), rtol=1e-12)
    assert stats[1].cells == a.size - 1 and stats[1].peak == np.nanmax(b)
    assert_allclose(stats[1].growth, np.nansum(b) - a.sum(), rtol=1e-12)
    assert_allclose(stats[1].growth_pct, 100 * (np.nansum(b) / a.sum() - 1), rtol=1e-12)
    assert np.isnan(stats[0].growth)
    total, peak, mean, std, n = value_statistics(np.arange(10.0), block=3)
    assert (total, peak, n) == (45.0, 9.0, 10)
    assert_allclose(std, np.std(np.arange(10.0)), rtol=1e-14)


def test_progress_callback_can_cancel():
    class CancelledError(Exception):
        pass

    def progress(fraction, message=None):
        if fraction > 0.4:
            raise CancelledError

    cats = np.ones((50, 50), int)
    with pytest.raises(CancelledError):
        ds.allocate_emissions(cats, np.ones((50, 50), int), np.array([[0, 0, 0, 0], [0, 1.0, 0, 0]]),
                              np.ones((50, 50)), np.ones((50, 50)), progress=progress)


def test_aggregate_blocks_matches_gdal_average_and_sum():
    from osgeo import gdal

    rng = np.random.default_rng(7)
    fine = rng.random((40, 60)) * 10
    fine[rng.random(fine.shape) < 0.1] = -1.0  # nodata holes
    src = gdal.GetDriverByName("MEM").Create("", 60, 40, 1, gdal.GDT_Float64)
    src.SetGeoTransform((0.0, 500.0, 0, 20000.0, 0, -500.0))
    src.GetRasterBand(1).SetNoDataValue(-1.0)
    src.GetRasterBand(1).WriteArray(fine)
    with_nan = np.where(fine < 0, np.nan, fine)
    for how, alg in (("mean", "average"), ("sum", "sum")):
        warped = gdal.Warp("", src, format="MEM", outputBounds=(0, 0, 30000, 20000), width=30, height=20,
                           resampleAlg=alg, dstNodata=np.nan, outputType=gdal.GDT_Float64)
        assert_allclose(ds.aggregate_blocks(with_nan, 2, 2, how), warped.ReadAsArray(), rtol=1e-12)


def test_reclassify_matches_dictionary_lookup():
    rng = np.random.default_rng(11)
    table = cas_reclass_table()
    codes = rng.choice(list(table) + [13, 47, 68, 0], size=(300, 200)).astype(float)
    codes[rng.random(codes.shape) < 0.05] = np.nan
    res = reclassify(codes, nodata=0)
    expected = [table.get(int(c), 0) if np.isfinite(c) else 0 for c in codes.ravel()]
    expected = np.array(expected).reshape(codes.shape)
    assert_array_equal(res.categories, expected)
    unknown = {13, 47, 68}
    for code in unknown:
        assert res.unknown[code] == int((codes == code).sum())
    assert set(res.unknown) == unknown
