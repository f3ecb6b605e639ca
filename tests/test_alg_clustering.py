"""carbon:globalmoransi, carbon:generalg, carbon:hotspots, carbon:localmoran through Processing.

Results are compared with esda / libpysal on the same data (libpysal's Columbus
polygons, Baltimore points, and a small GeoTIFF with nodata holes).
"""

import json
import subprocess
import warnings

import esda
import libpysal
import numpy as np
import pytest
from _layers import write_points, write_raster
from conftest import ROOT
from libpysal import examples  # noqa: E402
from numpy.testing import assert_allclose
from osgeo import gdal

warnings.filterwarnings("ignore")
TOL = dict(rtol=1e-9, atol=1e-12)


def _column(dbf, name):
    db = libpysal.io.open(examples.get_path(dbf))
    values = np.asarray(db.by_col(name), dtype=float)
    db.close()
    return values


def _write_points(path, xy, fields, epsg=26918, null_rows=()):
    return write_points(path, xy, fields, epsg, null_rows)


def _write_raster(path, data, cell=1000.0, epsg=3857, nodata=-1.0):
    return write_raster(path, data, cell=cell, crs=epsg, nodata=nodata)


def _read_raster(path):
    ds = gdal.Open(path)
    out = []
    for b in range(1, ds.RasterCount + 1):
        band = ds.GetRasterBand(b)
        a = band.ReadAsArray().astype(float)
        nd = band.GetNoDataValue()
        if nd is not None:
            a[a == nd] = np.nan
        out.append(a)
    return out


def _grid():
    rng = np.random.default_rng(11)
    data = rng.gamma(2.0, 2.0, size=(18, 22))
    data[2:7, 3:9] += 15.0
    data[12:15, 14:20] = 0.2
    data[8:10, 10:13] = np.nan
    data[0, 0] = np.nan
    return data


def _grid_ref(data, rook=False):
    mask = np.isfinite(data)
    h, w = data.shape
    ids = np.flatnonzero(mask.ravel())
    return data[mask], libpysal.weights.w_subset(libpysal.weights.lat2W(h, w, rook=rook), ids,
                                                 silence_warnings=True), mask


@pytest.fixture
def columbus():
    # A path, not a layer object: a QgsVectorLayer outliving the test crashes QGIS at teardown.
    return examples.get_path("columbus.shp")


@pytest.fixture
def baltimore(tmp_path):
    xy = np.column_stack([_column("baltim.dbf", "X"), _column("baltim.dbf", "Y")]) * 1000.0  # km -> m
    price = _column("baltim.dbf", "PRICE")
    age = _column("baltim.dbf", "AGE")
    year = np.where(np.arange(len(price)) % 2 == 0, 2000, 2010).astype(np.int64)
    return _write_points(tmp_path / "baltim.gpkg", xy, {"PRICE": price, "AGE": age, "year": year},
                         null_rows=(3, 50)), xy, price, year


@pytest.fixture
def raster(tmp_path):
    data = _grid()
    return _write_raster(tmp_path / "grid.tif", data), data


def test_algorithms_are_registered(carbon_provider):
    ids = {a.id() for a in carbon_provider.algorithms()}
    assert {"carbon:globalmoransi", "carbon:generalg", "carbon:hotspots", "carbon:localmoran"} <= ids


def test_global_moran_on_columbus_matches_esda(run_alg, columbus, tmp_path):
    html = str(tmp_path / "moran.html")
    res = run_alg("globalmoransi", {"INPUT": columbus, "FIELD": "CRIME", "NEIGHBORHOOD": 3,
                                    "STANDARDIZATION": 0, "PERMUTATIONS": 99, "SEED": 7, "OUTPUT_HTML": html})
    w = libpysal.weights.Queen.from_shapefile(examples.get_path("columbus.shp"))
    y = _column("columbus.dbf", "CRIME")
    np.random.seed(7)
    e = esda.Moran(y, w, permutations=99)
    assert_allclose([res["MORANS_I"], res["EXPECTED_I"], res["VARIANCE"], res["Z_SCORE"], res["P_VALUE"],
                     res["VARIANCE_NORMAL"], res["Z_NORMAL"], res["P_NORMAL"], res["PSEUDO_P_VALUE"]],
                    [e.I, e.EI, e.VI_rand, e.z_rand, e.p_rand, e.VI_norm, e.z_norm, e.p_norm, e.p_sim], **TOL)
    text = open(html, encoding="utf-8").read()
    assert "data:image/png;base64" in text and f"{e.I:.6f}" in text


def test_global_moran_time_field_table(run_alg, baltimore):
    path, xy, price, year = baltimore
    res = run_alg("globalmoransi", {"INPUT": path, "FIELD": "PRICE", "NEIGHBORHOOD": 0, "DISTANCE": 0,
                                    "TIME_FIELD": "year", "OUTPUT_TABLE": "memory:", "OUTPUT_HTML": None})
    from qgis.core import QgsProcessingUtils  # noqa: F401

    table = res["OUTPUT_TABLE"]
    if isinstance(table, str):
        from qgis.core import QgsVectorLayer
        table = QgsVectorLayer(table, "t", "ogr")
    rows = sorted((f.attributes() for f in table.getFeatures()), key=lambda r: r[0])
    assert [r[0] for r in rows] == [2000, 2010]
    assert [f.name() for f in table.fields()][-7:] == ["year", "morans_i", "expected_i", "variance", "z_score",
                                                       "p_value", "n"]
    keep = np.ones(len(price), bool)
    keep[[3, 50]] = False
    for row, t in zip(rows, (2000, 2010)):
        sel = keep & (year == t)
        band = libpysal.weights.min_threshold_distance(xy[sel]) * (1 + 1e-9)
        w = libpysal.weights.DistanceBand(xy[sel], band, silence_warnings=True)
        e = esda.Moran(price[sel], w, permutations=0)
        assert_allclose(row[1:6], [e.I, e.EI, e.VI_rand, e.z_rand, e.p_rand], **TOL)
        assert row[6] == sel.sum()
    assert res["MORANS_I"] == pytest.approx(rows[-1][1])


def test_general_g_on_raster_matches_esda(run_alg, raster):
    path, data = raster
    res = run_alg("generalg", {"INPUT": path, "BAND": 1, "NEIGHBORHOOD": 4})
    y, w, _ = _grid_ref(data, rook=True)
    e = esda.G(y, w, permutations=0)
    assert_allclose([res["OBSERVED_G"], res["EXPECTED_G"], res["VARIANCE"], res["Z_SCORE"], res["P_VALUE"]],
                    [e.G, e.EG, e.VG, e.z_norm, 2 * e.p_norm], **TOL)


def test_hotspots_vector_keeps_fields_and_matches_esda(run_alg, baltimore):
    from qgis.core import QgsVectorLayer

    path, xy, price, _ = baltimore
    res = run_alg("hotspots", {"INPUT": path, "FIELD": "PRICE", "NEIGHBORHOOD": 0, "DISTANCE": 0,
                               "OUTPUT": "memory:"})
    out = res["OUTPUT"]
    out = out if not isinstance(out, str) else QgsVectorLayer(out, "o", "ogr")
    names = [f.name() for f in out.fields()]
    assert names[-4:] == ["GiZScore", "GiPValue", "Gi_Bin", "NNeighbors"]
    assert {"PRICE", "AGE", "year"} <= set(names)
    feats = sorted(out.getFeatures(), key=lambda f: f.id())
    assert len(feats) == len(price)
    keep = np.ones(len(price), bool)
    keep[[3, 50]] = False
    got = np.array([f["GiZScore"] for f, k in zip(feats, keep) if k], float)
    assert all(feats[i]["GiZScore"] is None or str(feats[i]["GiZScore"]) == "NULL" for i in (3, 50))
    threshold = libpysal.weights.min_threshold_distance(xy[keep])
    w = libpysal.weights.DistanceBand(xy[keep], threshold * (1 + 1e-9), silence_warnings=True)
    e = esda.G_Local(price[keep], w, transform="B", star=True, permutations=0)
    assert_allclose(got, e.Zs, **TOL)
    nn = np.array([f["NNeighbors"] for f, k in zip(feats, keep) if k])
    assert_allclose(nn, np.array([w.cardinalities[i] for i in w.id_order]) + 1)
    bins = np.array([f["Gi_Bin"] for f, k in zip(feats, keep) if k])
    p = 2 * e.p_norm
    expected = np.sign(e.Zs) * np.select([p < 0.01, p < 0.05, p < 0.10], [3, 2, 1], 0)
    assert_allclose(bins, expected)
    fdr = run_alg("hotspots", {"INPUT": path, "FIELD": "PRICE", "FDR": True, "OUTPUT": "memory:"})["OUTPUT"]
    fdr_feats = sorted(fdr.getFeatures(), key=lambda f: f.id())
    fdr_bins = np.array([f["Gi_Bin"] for f, k in zip(fdr_feats, keep) if k], float)
    assert np.all(np.abs(fdr_bins) <= np.abs(bins))
    assert np.abs(fdr_bins).sum() < np.abs(bins).sum()


def test_hotspots_raster_bands(run_alg, raster, tmp_path):
    path, data = raster
    out = str(tmp_path / "hot.tif")
    res = run_alg("hotspots", {"INPUT": path, "NEIGHBORHOOD": 3, "OUTPUT_RASTER": out})
    z, p, b = _read_raster(res["OUTPUT_RASTER"])
    y, w, mask = _grid_ref(data)
    w.transform = "b"
    e = esda.G_Local(y, w, transform="B", star=True, permutations=0)
    assert_allclose(z[mask], e.Zs, rtol=1e-5)  # float32 bands
    assert np.isnan(z[~mask]).all()
    assert b[mask].max() == 3 and b[mask].min() <= -1
    assert_allclose(p[mask], 2 * e.p_norm, rtol=1e-5, atol=1e-7)


def test_local_moran_vector_and_seeded_permutations(run_alg, columbus):
    params = {"INPUT": columbus, "FIELD": "CRIME", "NEIGHBORHOOD": 4, "OUTPUT": "memory:"}
    out = run_alg("localmoran", params)["OUTPUT"]
    feats = sorted(out.getFeatures(), key=lambda f: f.id())
    y = _column("columbus.dbf", "CRIME")
    w = libpysal.weights.Rook.from_shapefile(examples.get_path("columbus.shp"))
    e = esda.Moran_Local(y, w, permutations=0)
    n = len(y)
    li = np.array([f["LMiIndex"] for f in feats])
    assert_allclose(li * (n - 1) / n, e.Is, **TOL)
    z = np.array([f["LMiZScore"] for f in feats])
    # Conditional randomisation moments (esda EIc/VIc; spdep localmoran's default).
    assert_allclose(z, (li - e.EIc) / np.sqrt(e.VIc), **TOL)
    types = [f["COType"] or "" for f in feats]
    p = np.array([f["LMiPValue"] for f in feats])
    quad = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
    assert types == [quad[q] if pv < 0.05 else "" for q, pv in zip(e.q, p)]
    assert {"HH", "LL"} <= set(types)
    perm = dict(params, PERMUTATIONS=199, SEED=3)
    a = [f["LMiPValue"] for f in run_alg("localmoran", perm)["OUTPUT"].getFeatures()]
    b = [f["LMiPValue"] for f in run_alg("localmoran", perm)["OUTPUT"].getFeatures()]
    assert a == b
    assert min(a) >= 1 / 200


def test_local_moran_raster(run_alg, raster, tmp_path):
    path, data = raster
    out = str(tmp_path / "lisa.tif")
    res = run_alg("localmoran", {"INPUT": path, "NEIGHBORHOOD": 3, "OUTPUT_RASTER": out})
    li, z, p, code = _read_raster(res["OUTPUT_RASTER"])
    y, w, mask = _grid_ref(data)
    e = esda.Moran_Local(y, w, permutations=0)
    n = y.size
    assert_allclose(li[mask] * (n - 1) / n, e.Is, rtol=1e-5, atol=1e-6)
    expected = np.where(p[mask] < 0.05, e.q, 0)
    assert_allclose(code[mask], expected)
    assert 1 in code[mask] and 3 in code[mask]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"NEIGHBORHOOD": 0}, "geographic CRS"),
        ({"NEIGHBORHOOD": 2, "FIELD": "CONST"}, "same value"),
        ({"NEIGHBORHOOD": 0, "DISTANCE": 1e-9, "CRS": 26918}, "No observation has any neighbour"),
        ({"NEIGHBORHOOD": 3}, "polygon layer"),
    ],
)
def test_vector_errors(run_alg, tmp_path, params, message):
    from qgis.core import QgsProcessingException

    rng = np.random.default_rng(0)
    epsg = params.pop("CRS", 4326)
    xy = rng.random((30, 2)) * (1 if epsg == 4326 else 1000)
    path = _write_points(tmp_path / "p.gpkg", xy, {"VALUE": rng.random(30), "CONST": np.full(30, 2.0)},
                         epsg=epsg)
    base = {"INPUT": path, "FIELD": "VALUE", "OUTPUT": "memory:"}
    with pytest.raises(QgsProcessingException, match=message):
        run_alg("hotspots", dict(base, **params))


def test_raster_errors(run_alg, raster, tmp_path):
    from qgis.core import QgsProcessingException

    path, _ = raster
    with pytest.raises(QgsProcessingException, match="not available for raster"):
        run_alg("globalmoransi", {"INPUT": path, "NEIGHBORHOOD": 2})
    with pytest.raises(QgsProcessingException, match="smaller than one cell"):
        run_alg("globalmoransi", {"INPUT": path, "NEIGHBORHOOD": 0, "DISTANCE": 10.0})
    tiny = _write_raster(tmp_path / "tiny.tif", np.array([[1.0, np.nan], [np.nan, 2.0]]))
    with pytest.raises(QgsProcessingException, match="at least 3"):
        run_alg("globalmoransi", {"INPUT": tiny, "NEIGHBORHOOD": 3})


def test_global_moran_through_qgis_process(baltimore):
    path, xy, price, _ = baltimore
    cmd = [str(ROOT / "tools" / "qgis_process.sh"), "--json", "run", "carbon:globalmoransi", "--",
           f"INPUT={path}", "FIELD=PRICE", "NEIGHBORHOOD=0", "DISTANCE=30000", "OUTPUT_HTML="]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(done.stdout[done.stdout.index("{"):])["results"]
    keep = np.ones(len(price), bool)
    keep[[3, 50]] = False
    w = libpysal.weights.DistanceBand(xy[keep], 30000.0, silence_warnings=True)
    e = esda.Moran(price[keep], w, permutations=0)
    assert results["MORANS_I"] == pytest.approx(e.I, rel=1e-9)
    assert results["Z_SCORE"] == pytest.approx(e.z_rand, rel=1e-9)
    assert results["N"] == keep.sum()


def test_hotspots_on_polygons_with_queen_contiguity(run_alg, columbus):
    out = run_alg("hotspots", {"INPUT": columbus, "FIELD": "HOVAL", "NEIGHBORHOOD": 3, "OUTPUT": "memory:"})
    feats = sorted(out["OUTPUT"].getFeatures(), key=lambda f: f.id())
    y = _column("columbus.dbf", "HOVAL")
    w = libpysal.weights.Queen.from_shapefile(examples.get_path("columbus.shp"))
    w.transform = "b"
    e = esda.G_Local(y, w, transform="B", star=True, permutations=0)
    assert_allclose([f["GiZScore"] for f in feats], e.Zs, **TOL)
    assert [f["NNeighbors"] for f in feats] == [w.cardinalities[i] + 1 for i in w.id_order]
    assert [f["POLYID"] for f in feats] == list(range(1, 50))  # input fields kept


def test_unused_output_is_not_loaded_and_cancel_leaves_nothing(run_alg, raster, tmp_path):
    from qgis.core import QgsProcessingContext, QgsProcessingException, QgsProcessingFeedback, QgsProject

    path, _ = raster
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    out = str(tmp_path / "hot.tif")
    for key, dest in (("OUTPUT", "vector-dest"), ("OUTPUT_RASTER", out)):
        context.addLayerToLoadOnCompletion(
            dest, QgsProcessingContext.LayerDetails(key, QgsProject.instance(), key))
    run_alg("hotspots", {"INPUT": path, "NEIGHBORHOOD": 3, "OUTPUT_RASTER": out}, context=context)
    assert "vector-dest" not in context.layersToLoadOnCompletion()
    cancelled = QgsProcessingFeedback()
    cancelled.cancel()
    target = tmp_path / "never.tif"
    with pytest.raises(QgsProcessingException):
        run_alg("hotspots", {"INPUT": path, "NEIGHBORHOOD": 3, "OUTPUT_RASTER": str(target)}, feedback=cancelled)
    assert not target.exists()
    assert not list(tmp_path.glob("*.part*"))
