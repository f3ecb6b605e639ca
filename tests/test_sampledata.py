"""The generated Liaoning sample dataset: contract, determinism, totals."""

import csv
import os
from collections import defaultdict

import numpy as np
import pytest
from carbon_spacetime.sampledata import liaoning
from osgeo import gdal, ogr


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("liaoning")
    return liaoning.generate(out, years=(2000, 2020), shrink=4)


def test_contract_files_and_keys(sample):
    for key in ("province", "cities", "totals"):
        assert os.path.exists(sample[key])
    for year in (2000, 2020):
        for key in ("landuse", "light", "population"):
            assert gdal.Open(sample[key][year]) is not None
        for name in liaoning.FACTOR_NAMES:
            assert gdal.Open(sample["factors"][name][year]) is not None
    ds = ogr.Open(sample["cities"])
    cities = ds.GetLayer(0)
    names = sorted(f.GetField("region") for f in cities)
    assert names == sorted(c[0] for c in liaoning.CITIES)
    assert cities.GetSpatialRef().IsProjected()
    ds = None


def test_light_is_half_the_landuse_cell(sample):
    lu = gdal.Open(sample["landuse"][2020]).GetGeoTransform()
    li = gdal.Open(sample["light"][2020]).GetGeoTransform()
    assert lu[1] == 4000.0 and li[1] == 2000.0
    assert lu[0] == li[0] and lu[3] == li[3]


def test_totals_follow_ceads(sample):
    sums = defaultdict(float)
    with open(sample["totals"], newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert set(rows[0]) == {"region", "year", "category", "emissions"}
    for row in rows:
        sums[int(row["year"])] += float(row["emissions"])
        assert float(row["emissions"]) >= 0
    np.testing.assert_allclose(sums[2000], 208.957, rtol=0, atol=1e-9)
    np.testing.assert_allclose(sums[2020], 533.285, rtol=0, atol=1e-9)


def test_every_city_has_urban_industrial_and_rural_land(sample):
    from carbon_spacetime.core.landuse import reclassify

    codes = gdal.Open(sample["landuse"][2000]).ReadAsArray()
    assert (codes == 99).any(), "no sea"
    cats = reclassify(codes, nodata=0).categories
    study = liaoning._Study(sample["cell_size"], liaoning.SEED)
    for k, city in enumerate(liaoning.CITIES, start=1):
        counts = np.bincount(cats[study.city_id == k], minlength=4)
        assert (counts[1:] > 0).all(), (city[0], counts)


def test_deterministic(tmp_path):
    a = liaoning.generate(tmp_path / "a", years=(2010,), shrink=8)
    b = liaoning.generate(tmp_path / "b", years=(2010,), shrink=8)
    for key in ("landuse", "light", "population"):
        np.testing.assert_array_equal(gdal.Open(a[key][2010]).ReadAsArray(),
                                      gdal.Open(b[key][2010]).ReadAsArray())


def test_cli_writes_the_dataset(tmp_path):
    assert liaoning.main([str(tmp_path), "--shrink", "10", "--years", "2005"]) == 0
    for name in ("province.gpkg", "cities.gpkg", "emission_totals.csv", "README.md", "landuse_2005.tif",
                 "light_2005.tif", "population_2005.tif", "real_gdp_2005.tif"):
        assert (tmp_path / name).exists(), name
