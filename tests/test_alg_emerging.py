"""carbon:emerginghotspots through Processing, vector and raster input.

The trend of the Gi* series is checked end to end against an independent
reference: esda G_Local on explicitly stacked space-time weights, then
pymannkendall.original_test on each location's series.
"""

import warnings

import esda
import libpysal
import numpy as np
import pymannkendall
import pytest
from _layers import write_raster
from numpy.testing import assert_allclose
from osgeo import gdal, ogr, osr
from qgis.core import QgsProcessingException
from scipy import sparse

warnings.filterwarnings("ignore")
YEARS = list(range(2001, 2011))


def _cube(n=36, seed=0):
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 10000, size=(n, 2)) + [500000, 4000000]
    t = len(YEARS)
    values = rng.gamma(3.0, 2.0, size=(t, n))
    hot = np.hypot(*(xy - xy[0]).T) < 2500
    values[:, hot] += np.linspace(0, 12, t)[:, None]  # a growing hot area
    return xy, values


def _write_cube(path, xy, values, epsg=26918, drop=(), shuffle=False, text_value=False, null=None):
    rows = [(i, k) for k in range(len(YEARS)) for i in range(len(xy)) if (i, k) not in drop]
    if shuffle:
        rows = [rows[j] for j in np.random.default_rng(1).permutation(len(rows))]
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    lyr = ds.CreateLayer("cube", srs, ogr.wkbPoint)
    lyr.CreateField(ogr.FieldDefn("loc", ogr.OFTInteger))
    lyr.CreateField(ogr.FieldDefn("year", ogr.OFTInteger))
    lyr.CreateField(ogr.FieldDefn("value", ogr.OFTString if text_value else ogr.OFTReal))
    lyr.CreateField(ogr.FieldDefn("name", ogr.OFTString))
    for i, k in rows:
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("loc", i)
        f.SetField("year", YEARS[k])
        if null == (i, k):
            f.SetFieldNull("value")
        else:
            f.SetField("value", str(values[k, i]) if text_value else float(values[k, i]))
        f.SetField("name", f"site {i}")
        g = ogr.Geometry(ogr.wkbPoint)
        g.AddPoint_2D(float(xy[i, 0]), float(xy[i, 1]))
        f.SetGeometry(g)
        lyr.CreateFeature(f)
    ds = None
    return str(path)


def _reference(values, w_binary, k):
    """esda Gi* on the stacked space-time weights, then pymannkendall per location."""
    t, n = values.shape
    eye = sparse.identity(n, format="csr")
    empty = sparse.csr_matrix((n, n))
    blocks = [[w_binary if a == b else (w_binary + eye if a - k <= b < a else empty) for b in range(t)]
              for a in range(t)]
    ref = libpysal.weights.WSP(sparse.bmat(blocks, format="csr")).to_W(silence_warnings=True)
    ref.transform = "b"
    z = esda.G_Local(values.ravel(), ref, transform="B", star=True, permutations=0).Zs.reshape(t, n)
    return z, [pymannkendall.original_test(z[:, i]) for i in range(n)]


def _features(layer, key="loc"):
    return {f[key]: f for f in layer.getFeatures()}


def test_registered(carbon_provider):
    alg = carbon_provider.algorithm("emerginghotspots")
    assert alg is not None and alg.displayName() == "Emerging hot spot analysis"
    keys = {p.name() for p in alg.parameterDefinitions()}
    assert {"INPUT", "FIELD", "TIME_FIELD", "LOCATION_FIELD", "RASTERS", "YEARS", "NEIGHBORHOOD", "DISTANCE",
            "K", "TIME_STEPS", "OUTPUT", "OUTPUT_RASTER", "OUTPUT_TABLE", "OUTPUT_HTML"} <= keys


def test_vector_matches_esda_and_pymannkendall(run_alg, tmp_path):
    xy, values = _cube()
    path = _write_cube(tmp_path / "cube.gpkg", xy, values)
    html = str(tmp_path / "ehs.html")
    res = run_alg("emerginghotspots", {"INPUT": path, "FIELD": "value", "TIME_FIELD": "year",
                                       "LOCATION_FIELD": "loc", "NEIGHBORHOOD": 2, "K": 5, "TIME_STEPS": 1,
                                       "OUTPUT": "memory:", "OUTPUT_TABLE": "memory:", "OUTPUT_HTML": html})
    out = _features(res["OUTPUT"])
    assert len(out) == len(xy)
    knn = libpysal.weights.KNN(xy, k=5)
    z, trends = _reference(values, knn.sparse, 1)
    for i, ref in enumerate(trends):
        f = out[i]
        assert_allclose(f["MK_Z"], ref.z, rtol=1e-9, atol=1e-12)
        assert_allclose(f["MK_P"], ref.p, rtol=1e-9, atol=1e-12)
        v = pymannkendall.original_test(values[:, i])
        assert_allclose([f["SEN_SLOPE"], f["VALUE_MK_Z"], f["VALUE_MK_P"]], [v.slope, v.z, v.p], rtol=1e-9,
                        atol=1e-12)
        assert f["HOT_YEARS"] == int((z[:, i] >= 1.6448536269514722).sum())
        assert f["COLD_YEARS"] == int((z[:, i] <= -1.6448536269514722).sum())
        assert np.sign(f["LAST_BIN"]) == (np.sign(z[-1, i]) if abs(z[-1, i]) >= 1.6448536269514722 else 0)
        assert f["name"] == f"site {i}" and "value" not in f.fields().names()
    patterns = {f["PATTERN"] for f in out.values()}
    assert patterns & {"Intensifying Hot Spot", "Persistent Hot Spot", "Consecutive Hot Spot"}
    table = list(res["OUTPUT_TABLE"].getFeatures())
    assert {f["YEAR"] for f in table} == set(YEARS)
    assert sum(f["LOCATIONS"] for f in table if f["YEAR"] == 2001) == len(xy)
    text = open(html, encoding="utf-8").read()
    assert "data:image/png;base64," in text and "Hot Spot" in text


def test_locations_matched_by_geometry_in_any_order(run_alg, tmp_path):
    xy, values = _cube(seed=3)
    a = _write_cube(tmp_path / "a.gpkg", xy, values)
    b = _write_cube(tmp_path / "b.gpkg", xy, values, shuffle=True)
    params = {"FIELD": "value", "TIME_FIELD": "year", "NEIGHBORHOOD": 0, "DISTANCE": 3000.0, "OUTPUT": "memory:"}
    by_id = _features(run_alg("emerginghotspots", dict(params, INPUT=a, LOCATION_FIELD="loc"))["OUTPUT"])
    by_geometry = _features(run_alg("emerginghotspots", dict(params, INPUT=b))["OUTPUT"])
    for i in range(len(xy)):
        assert by_id[i]["PATTERN_CODE"] == by_geometry[i]["PATTERN_CODE"]
        assert_allclose(by_id[i]["MK_Z"], by_geometry[i]["MK_Z"], rtol=1e-12)


def _write_rasters(folder, cube, cell=1000.0, epsg=3857):
    paths = []
    for year, data in zip(YEARS, cube):
        paths.append(write_raster(folder / f"co2_{year}.tif", data, cell=cell, crs=epsg, nodata=-1.0))
    return paths


def test_raster_cube_queen(run_alg, tmp_path):
    rng = np.random.default_rng(5)
    t, h, w = len(YEARS), 9, 11
    cube = rng.gamma(3.0, 2.0, size=(t, h, w))
    cube[:, 1:4, 1:4] += np.linspace(0, 15, t)[:, None, None]
    cube[4, 6, 6] = np.nan  # nodata in one year: the cell is left out
    paths = _write_rasters(tmp_path, cube)
    out = str(tmp_path / "ehs.tif")
    res = run_alg("emerginghotspots", {"RASTERS": paths, "NEIGHBORHOOD": 3, "TIME_STEPS": 2,
                                       "OUTPUT_RASTER": out})
    ds = gdal.Open(res["OUTPUT_RASTER"])
    bands = [ds.GetRasterBand(b).ReadAsArray().astype(float) for b in range(1, 5)]
    assert [ds.GetRasterBand(b).GetDescription() for b in range(1, 5)] == ["PATTERN_CODE", "MK_Z", "MK_P",
                                                                           "SEN_SLOPE"]
    mask = np.all(np.isfinite(cube), axis=0)
    assert bands[0][6, 6] == -9999.0 and bands[1][6, 6] == -9999.0
    ids = np.flatnonzero(mask.ravel())
    queen = libpysal.weights.w_subset(libpysal.weights.lat2W(h, w, rook=False), ids, silence_warnings=True)
    values = cube.reshape(t, -1)[:, ids]
    _z, trends = _reference(values, queen.sparse, 2)
    assert_allclose(bands[1][mask], [r.z for r in trends], rtol=1e-5, atol=1e-6)  # float32 bands
    slopes = [pymannkendall.original_test(values[:, i]).slope for i in range(values.shape[1])]
    assert_allclose(bands[3][mask], slopes, rtol=1e-5, atol=1e-6)
    codes = bands[0][mask]
    assert set(np.unique(codes)) <= set(range(17)) and codes.max() >= 1


def test_raster_years_from_list_and_bad_grids(run_alg, tmp_path):
    cube = np.random.default_rng(2).gamma(3.0, 2.0, size=(len(YEARS), 6, 7))
    paths = _write_rasters(tmp_path, cube)
    with pytest.raises(QgsProcessingException, match="YEARS lists 2"):
        run_alg("emerginghotspots", {"RASTERS": paths, "YEARS": "2001,2002", "NEIGHBORHOOD": 3,
                                     "OUTPUT_RASTER": str(tmp_path / "x.tif")})
    with pytest.raises(QgsProcessingException, match="at least 3 years"):
        run_alg("emerginghotspots", {"RASTERS": paths[:2], "NEIGHBORHOOD": 3,
                                     "OUTPUT_RASTER": str(tmp_path / "x.tif")})
    with pytest.raises(QgsProcessingException, match="not available for raster"):
        run_alg("emerginghotspots", {"RASTERS": paths, "NEIGHBORHOOD": 2, "OUTPUT_RASTER": str(tmp_path / "x.tif")})


@pytest.mark.parametrize("case, match", [
    ("two_years", "at least 3 years"),
    ("missing_year", "no value for 2004"),
    ("moved_location", "identical geometry"),
    ("text_field", "not numeric"),
    ("null_value", "null value"),
    ("geographic", "geographic CRS"),
    ("both_inputs", "not both"),
    ("no_input", "Give input features"),
])
def test_bad_input_is_a_clear_error(run_alg, tmp_path, case, match):
    xy, values = _cube(n=12)
    kwargs = {}
    params = {"FIELD": "value", "TIME_FIELD": "year", "NEIGHBORHOOD": 2, "K": 3, "OUTPUT": "memory:"}
    if case == "missing_year":
        kwargs["drop"] = [(4, 3)]
        params["LOCATION_FIELD"] = "loc"
    if case == "text_field":
        kwargs["text_value"] = True
    if case == "null_value":
        kwargs["null"] = (2, 5)
    if case == "geographic":
        xy = xy / 1e5  # plausible degrees
        kwargs["epsg"] = 4326
        params["NEIGHBORHOOD"] = 0
    path = _write_cube(tmp_path / "cube.gpkg", xy, values, **kwargs)
    params["INPUT"] = path
    if case == "two_years":
        params["INPUT"] = path + "|layername=cube|subset=\"year\" <= 2002"
    if case == "moved_location":
        moved = xy.copy()
        ds = ogr.Open(path, 1)
        lyr = ds.GetLayer(0)
        for f in lyr:
            if f.GetField("loc") == 3 and f.GetField("year") == 2005:
                g = ogr.Geometry(ogr.wkbPoint)
                g.AddPoint_2D(float(moved[3, 0]) + 1.0, float(moved[3, 1]))
                f.SetGeometry(g)
                lyr.SetFeature(f)
        ds = None
    if case == "both_inputs":
        params["RASTERS"] = _write_rasters(tmp_path, np.ones((len(YEARS), 3, 3)))
    if case == "no_input":
        del params["INPUT"]
    with pytest.raises(QgsProcessingException, match=match):
        run_alg("emerginghotspots", params)
