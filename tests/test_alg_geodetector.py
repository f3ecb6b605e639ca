"""carbon:geodetector through Processing (vector and raster input) against PyPI geodetector 0.2.0."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from _layers import write_raster
from numpy.testing import assert_allclose
from osgeo import ogr, osr
from qgis.core import QgsProcessingException, QgsVectorLayer

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import geodetector as ref


def _sample(n=300, seed=11):
    rng = np.random.default_rng(seed)
    gdp = rng.gamma(2.0, 3.0, n)
    pop = rng.normal(50, 10, n)
    land = rng.choice(["crop", "forest", "urban"], n)
    y = 2.0 * np.sqrt(gdp) + 0.05 * pop + np.where(land == "urban", 3.0, 0.0) + rng.normal(0, 0.8, n)
    return y, gdp, pop, land


def _write_vector(path, columns, null_field=None):
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(3857)
    lyr = ds.CreateLayer("cells", srs, ogr.wkbPoint)
    for name, values in columns.items():
        kind = ogr.OFTString if np.asarray(values).dtype.kind in "UO" else ogr.OFTReal
        lyr.CreateField(ogr.FieldDefn(name, kind))
    n = len(next(iter(columns.values())))
    for i in range(n):
        f = ogr.Feature(lyr.GetLayerDefn())
        for name, values in columns.items():
            if name == null_field and i == 3:
                f.SetFieldNull(name)
            else:
                v = values[i]
                f.SetField(name, str(v) if isinstance(v, str) else float(v))
        g = ogr.Geometry(ogr.wkbPoint)
        g.AddPoint_2D(float(i % 20) * 1000, float(i // 20) * 1000)
        f.SetGeometry(g)
        lyr.CreateFeature(f)
    ds = None
    return str(path)


def _write_raster(path, data, nodata=-9999.0, origin=(500000.0, 4500000.0)):
    return write_raster(path, data, origin=origin, nodata=nodata)


def _rows(path):
    layer = QgsVectorLayer(path, "t", "ogr")
    assert layer.isValid()
    names = [f.name() for f in layer.fields()]
    return [dict(zip(names, f.attributes())) for f in layer.getFeatures()]


@pytest.fixture
def vector(tmp_path):
    y, gdp, pop, land = _sample()
    return _write_vector(tmp_path / "cells.gpkg", {"emissions": y, "gdp": gdp, "pop": pop, "land": land}), \
        (y, gdp, pop, land)


def test_vector_matches_geodetector_package(run_alg, vector, tmp_path):
    path, (y, gdp, pop, land) = vector
    res = run_alg("geodetector", {
        "INPUT": path, "DEPENDENT": "emissions", "EXPLANATORY": ["gdp", "pop"], "CATEGORICAL": ["land"],
        "METHOD": 1, "CLASSES": 5, "OUTPUT_FACTORS": str(tmp_path / "f.gpkg"),
        "OUTPUT_INTERACTIONS": str(tmp_path / "i.gpkg"), "OUTPUT_RISK": str(tmp_path / "r.gpkg"),
        "OUTPUT_ECOLOGICAL": str(tmp_path / "e.gpkg"), "OUTPUT_HTML": str(tmp_path / "gd.html")})
    # the package with the same strata (mapclassify.Quantiles, k=5, and the land-use codes)
    import mapclassify

    frame = pd.DataFrame({
        "gdp": mapclassify.Quantiles(gdp, k=5).yb, "pop": mapclassify.Quantiles(pop, k=5).yb,
        "land": pd.factorize(pd.Series(land), sort=True)[0]})
    factors = {r["factor"]: r for r in _rows(res["OUTPUT_FACTORS"])}
    assert list(factors) == ["gdp", "pop", "land"]
    for name in frame:
        fd = ref.FactorDetector().fit(frame[[name]], y)
        assert_allclose(factors[name]["q"], fd.q_value_, rtol=1e-9)
        assert_allclose(factors[name]["p"], fd.p_value_, rtol=1e-6, atol=1e-14)
        assert_allclose(res[f"Q_{name}"], fd.q_value_, rtol=1e-9)
    assert factors["gdp"]["method"] == "quantile" and factors["gdp"]["classes"] == 5
    assert factors["land"]["method"] == "categorical" and factors["land"]["strata"] == 3
    assert_allclose([res["Q_1"], res["Q_2"], res["Q_3"]], [factors[k]["q"] for k in ("gdp", "pop", "land")])
    assert json.loads(res["Q_VALUES"]).keys() == {"gdp", "pop", "land"}

    inter = ref.InteractionDetector().fit(frame, y)
    rows = _rows(res["OUTPUT_INTERACTIONS"])
    assert [r["pair"] for r in rows] == ["gdp ∩ pop", "gdp ∩ land", "pop ∩ land"]
    labels = ["nonlinear-weaken", "uni-variable weaken", "bi-variable enhance", "independent", "nonlinear-enhance"]
    for ours, theirs in zip(rows, inter.pairs_):
        assert_allclose(ours["q"], theirs["q_12"], rtol=1e-9)
        assert ours["type"] == labels[theirs["interaction_type"]]

    risk = ref.RiskDetector().fit(frame, y).risk_result_
    rows = _rows(res["OUTPUT_RISK"])
    assert len(rows) == 10 + 10 + 3
    land_rows = [r for r in rows if r["factor"] == "land"]
    assert [(r["stratum_1"], r["stratum_2"]) for r in land_rows] == [
        ("crop", "forest"), ("crop", "urban"), ("forest", "urban")]
    for name in frame:
        ours = [r for r in rows if r["factor"] == name]
        assert_allclose([r["t"] for r in ours], risk[name]["t_stat"], rtol=1e-9)
        assert_allclose([r["p"] for r in ours], risk[name]["p_value"], rtol=1e-7, atol=1e-300)
        assert [bool(r["significant"]) for r in ours] == list(risk[name]["significant"])
    assert len(_rows(res["OUTPUT_ECOLOGICAL"])) == 3
    html = open(res["OUTPUT_HTML"], encoding="utf-8").read()
    assert "Interaction detector" in html and html.count("data:image/png;base64") == 2


def test_optimal_reports_method_per_factor(run_alg, vector, tmp_path):
    path, _ = vector
    res = run_alg("geodetector", {
        "INPUT": path, "DEPENDENT": "emissions", "EXPLANATORY": ["gdp", "pop"], "OPTIMAL": True,
        "OUTPUT_FACTORS": "memory:", "OUTPUT_HTML": str(tmp_path / "o.html")})
    rows = {f["factor"]: f for f in res["OUTPUT_FACTORS"].getFeatures()}
    for name in ("gdp", "pop"):
        assert rows[name]["method"] in ("equal", "quantile", "natural", "geometric", "sd")
        assert 3 <= rows[name]["classes"] <= 8
    assert "Optimal discretisation" in open(res["OUTPUT_HTML"], encoding="utf-8").read()


def test_raster_input_matches_vector_input(run_alg, tmp_path):
    y, gdp, pop, land = _sample(n=400)
    codes = pd.factorize(pd.Series(land), sort=True)[0].astype(float)
    shape = (20, 20)
    y_grid = y.reshape(shape).copy()
    y_grid[0, :3] = np.nan  # nodata cells are left out
    dep = _write_raster(tmp_path / "y.tif", y_grid)
    g = _write_raster(tmp_path / "gdp.tif", gdp.reshape(shape))
    c = _write_raster(tmp_path / "land.tif", codes.reshape(shape))
    res = run_alg("geodetector", {
        "DEPENDENT_RASTER": dep, "EXPLANATORY_RASTERS": [g], "CATEGORICAL_RASTERS": [c], "METHOD": 2,
        "CLASSES": 4, "OUTPUT_FACTORS": "memory:", "OUTPUT_INTERACTIONS": "memory:", "OUTPUT_HTML": ""})
    keep = np.ones(400, bool)
    keep[:3] = False
    from carbon_spacetime.core import classify, geodetector

    labels, _ = classify.classify(gdp[keep], "natural", 4)
    expected = geodetector.factor_detector(y[keep], labels)
    assert_allclose(res["Q_gdp"], expected.q, rtol=1e-10)
    fd = ref.FactorDetector().fit(pd.DataFrame({"land": codes[keep].astype(int)}), y[keep])
    assert_allclose(res["Q_land"], fd.q_value_, rtol=1e-10)
    assert res["OUTPUT_INTERACTIONS"].featureCount() == 1


def test_raster_off_grid_is_explained(run_alg, tmp_path):
    data = np.arange(400.0).reshape(20, 20)
    dep = _write_raster(tmp_path / "y.tif", data)
    other = _write_raster(tmp_path / "x.tif", data, origin=(501000.0, 4500000.0))
    with pytest.raises(QgsProcessingException, match="not on the grid"):
        run_alg("geodetector", {"DEPENDENT_RASTER": dep, "EXPLANATORY_RASTERS": [other],
                                "OUTPUT_FACTORS": "memory:", "OUTPUT_HTML": ""})


@pytest.mark.parametrize("change, message", [
    ({"null": "gdp"}, "NULL values in 'gdp'"),
    ({"EXPLANATORY": ["land"], "CATEGORICAL": []}, "not numeric.*CATEGORICAL"),
    ({"CATEGORICAL": ["one"]}, "single class"),
    ({"CATEGORICAL": ["rare"]}, "single observation"),
    ({"DEPENDENT": "one"}, "constant"),
    ({"EXPLANATORY": [], "CATEGORICAL": []}, "at least one explanatory"),
    ({"INPUT": None}, "either a vector layer"),
])
def test_bad_input_is_explained(run_alg, tmp_path, change, message):
    y, gdp, pop, land = _sample(n=60)
    rare = np.array(["a"] * 30 + ["b"] * 29 + ["c"])
    columns = {"emissions": y, "gdp": gdp, "land": land, "one": np.ones(60), "rare": rare}
    null = change.pop("null", None)
    path = _write_vector(tmp_path / "bad.gpkg", columns, null_field=null)
    params = {"INPUT": path, "DEPENDENT": "emissions", "EXPLANATORY": ["gdp"], "CATEGORICAL": [],
              "OUTPUT_FACTORS": "memory:", "OUTPUT_HTML": ""}
    params.update(change)
    with pytest.raises(QgsProcessingException, match=message):
        run_alg("geodetector", params)


def test_qgis_process_returns_q_per_factor(vector, tmp_path):
    import subprocess

    from conftest import ROOT

    path, (y, gdp, pop, land) = vector
    args = [str(ROOT / "tools" / "qgis_process.sh"), "--json", "run", "carbon:geodetector", "--",
            f"INPUT={path}", "DEPENDENT=emissions", "EXPLANATORY=gdp", "CATEGORICAL=land", "METHOD=0",
            "CLASSES=4", f"OUTPUT_FACTORS={tmp_path / 'f.gpkg'}", f"OUTPUT_HTML={tmp_path / 'r.html'}"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout[done.stdout.index("{"):])["results"]
    from carbon_spacetime.core import classify, geodetector

    labels, _ = classify.classify(gdp, "equal", 4)
    assert_allclose(results["Q_gdp"], geodetector.factor_detector(y, labels).q, rtol=1e-10)
    assert_allclose(results["Q_1"], results["Q_gdp"])
    assert set(json.loads(results["Q_VALUES"])) == {"gdp", "land"}
    assert {r["factor"] for r in _rows(results["OUTPUT_FACTORS"])} == {"gdp", "land"}


def test_report_cells_show_infinite_f_as_inf_and_undefined_as_blank():
    from carbon_spacetime.algorithms._geodetector_report import _fmt

    assert _fmt(float("inf")) == "inf"
    assert _fmt(float("nan")) == "" and _fmt(None) == ""
    assert _fmt(0.123456) == "0.1235"
