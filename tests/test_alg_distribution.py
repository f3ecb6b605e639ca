"""carbon:meancentertrajectory and carbon:directionaldistribution through Processing."""

import json
import subprocess

import numpy as np
import pointpats.centrography as pointpats
import pytest
from _layers import write_raster
from conftest import ROOT
from numpy.testing import assert_allclose
from osgeo import gdal
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsRasterLayer,
    QgsVectorFileWriter,
    QgsVectorLayer,
)


def point_layer(xy, years=None, weights=None, crs="EPSG:32651", path=None):
    fields = "&field=year:integer" if years is not None else ""
    fields += "&field=co2:double" if weights is not None else ""
    layer = QgsVectorLayer(f"Point?crs={crs}{fields}", "pts", "memory")
    features = []
    for i, (x, y) in enumerate(xy):
        f = QgsFeature(layer.fields())
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(float(x), float(y))))
        attrs = []
        if years is not None:
            attrs.append(int(years[i]))
        if weights is not None:
            attrs.append(None if weights[i] is None else float(weights[i]))
        f.setAttributes(attrs)
        features.append(f)
    layer.dataProvider().addFeatures(features)
    if path is None:
        return layer
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    QgsVectorFileWriter.writeAsVectorFormatV3(layer, str(path), layer.transformContext(), options)
    return QgsVectorLayer(str(path), "pts", "ogr")


@pytest.fixture
def yearly_points():
    rng = np.random.default_rng(11)
    xy, years, weights = [], [], []
    for k, year in enumerate((2000, 2005, 2010)):
        centre = np.array([500_000.0 - 15_000 * k, 4_500_000.0 - 12_000 * k])
        pts = rng.multivariate_normal(centre, [[4e8, 1.5e8], [1.5e8, 1e8]], size=40)
        xy.append(pts)
        years += [year] * 40
        weights.append(rng.gamma(2.0, 5.0, size=40))
    return np.vstack(xy), np.array(years), np.concatenate(weights)


def features(layer):
    return sorted(({f.fields()[i].name(): f[i] for i in range(len(f.fields()))} | {"_geom": f.geometry()}
                   for f in layer.getFeatures()), key=lambda r: str(r.get("year", r.get("from_year"))))


def test_trajectory_matches_weighted_centres(run_alg, yearly_points):
    xy, years, weights = yearly_points
    layer = point_layer(xy, years, weights)
    result = run_alg(
        "meancentertrajectory",
        {"INPUT": layer, "WEIGHT_FIELD": "co2", "TIME_FIELD": "year",
         "OUTPUT_CENTERS": "memory:", "OUTPUT_TRAJECTORY": "memory:"},
    )
    centres = features(result["OUTPUT_CENTERS"])
    assert [c["year"] for c in centres] == [2000, 2005, 2010]
    expected = [pointpats.weighted_mean_center(xy[years == y], weights[years == y]) for y in (2000, 2005, 2010)]
    assert_allclose([[c["XCoord"], c["YCoord"]] for c in centres], expected, rtol=1e-12)
    assert_allclose([c["weight_sum"] for c in centres], [weights[years == y].sum() for y in (2000, 2005, 2010)])
    for c in centres:
        p = c["_geom"].asPoint()
        assert (p.x(), p.y()) == (c["XCoord"], c["YCoord"])
    lines = features(result["OUTPUT_TRAJECTORY"])
    assert [(r["from_year"], r["to_year"]) for r in lines] == [(2000, 2005), (2005, 2010)]
    for r, a, b in zip(lines, expected[:-1], expected[1:]):
        d = np.asarray(b) - np.asarray(a)
        assert_allclose(r["dist_km"], np.hypot(*d) / 1000.0, rtol=1e-12)
        assert_allclose(r["bearing"], np.degrees(np.arctan2(d[0], d[1])) % 360, atol=1e-9)
        assert r["direction"] == "SW"
        assert_allclose(r["km_per_year"], r["dist_km"] / 5.0, rtol=1e-12)


def test_geographic_crs_gives_true_kilometres(run_alg):
    import pyproj
    lon = np.array([123.0, 123.2, 122.9, 123.1, 121.6, 121.8, 121.5, 121.7])
    lat = np.array([41.8, 41.9, 41.7, 41.75, 38.9, 39.0, 38.95, 38.85])
    years = [2015] * 4 + [2020] * 4
    layer = point_layer(np.column_stack([lon, lat]), years, crs="EPSG:4326")
    result = run_alg(
        "meancentertrajectory",
        {"INPUT": layer, "TIME_FIELD": "year", "OUTPUT_CENTERS": "memory:", "OUTPUT_TRAJECTORY": "memory:"},
    )
    centres = features(result["OUTPUT_CENTERS"])
    line = features(result["OUTPUT_TRAJECTORY"])[0]
    a, b = (c["_geom"].asPoint() for c in centres)
    assert 121 < a.x() < 124 and 38 < b.y() < 42  # degrees, in the layer CRS
    az, _, metres = pyproj.Geod(ellps="WGS84").inv(a.x(), a.y(), b.x(), b.y())
    assert_allclose(line["dist_km"], metres / 1000.0, rtol=1e-6)
    assert_allclose(line["bearing"], az % 360.0, atol=1e-4)
    assert line["direction"] == "S"  # azimuth about 200 degrees
    assert 180 < az % 360 < 202.5
    # The centre of points on the ellipsoid, not the mean of degrees, but close to it.
    assert_allclose([a.x(), a.y()], [lon[:4].mean(), lat[:4].mean()], atol=0.01)


def test_ellipses_match_pointpats_arcgis_convention(run_alg, yearly_points):
    xy, years, weights = yearly_points
    layer = point_layer(xy, years, weights)
    for size, method, kwargs in [
        (0, 0, dict(method="yuill", crimestatCorr=True, degfreedCorr=False)),
        (1, 1, dict(method="crimestat")),
        (2, 2, dict(method="yuill", crimestatCorr=False, degfreedCorr=False)),
    ]:
        result = run_alg(
            "directionaldistribution",
            {"INPUT": layer, "WEIGHT_FIELD": "co2", "TIME_FIELD": "year", "ELLIPSE_SIZE": size,
             "METHOD": method, "OUTPUT": "memory:"},
        )
        rows = features(result["OUTPUT"])
        assert [r["year"] for r in rows] == [2000, 2005, 2010]
        for r in rows:
            sel = years == r["year"]
            major, minor, angle = pointpats.ellipse(xy[sel], weights[sel], **kwargs)
            k = size + 1
            assert_allclose([r["major_km"], r["minor_km"]], [k * major / 1000, k * minor / 1000], rtol=1e-9)
            assert_allclose(max(r["XStdDist"], r["YStdDist"]), k * major, rtol=1e-9)
            assert_allclose(r["Rotation"], (90 - np.degrees(angle)) % 180, atol=1e-7)
            assert r["Rotation"] == r["major_bearing"]
            assert_allclose(r["area_km2"], np.pi * k * k * major * minor / 1e6, rtol=1e-9)
            assert_allclose(r["flattening"], 1 - minor / major, rtol=1e-9)
            centre = pointpats.weighted_mean_center(xy[sel], weights[sel])
            assert_allclose([r["CenterX"], r["CenterY"]], centre, rtol=1e-12)
            geom = r["_geom"]
            assert geom.isGeosValid()
            assert len(geom.asPolygon()[0]) >= 73
            assert_allclose(geom.area() / 1e6, r["area_km2"], rtol=1e-3)


def raster(path, array, origin=(400_000.0, 4_600_000.0), size=1000.0, epsg=32651, nodata=-9999.0):
    write_raster(path, array, origin=origin, cell=size, crs=epsg, nodata=nodata, dtype=gdal.GDT_Float32)
    return QgsRasterLayer(str(path), path.stem)


def test_raster_input_weights_cell_centres(run_alg, tmp_path):
    rng = np.random.default_rng(5)
    grids = {}
    layers = []
    for year in (2010, 2020):
        a = rng.gamma(1.5, 2.0, size=(30, 40))
        a[rng.random(a.shape) < 0.1] = np.nan
        a[0, :5] = 0.0
        grids[year] = a
        layers.append(raster(tmp_path / f"co2_{year}.tif", a))
    result = run_alg(
        "meancentertrajectory",
        {"RASTERS": layers[::-1], "OUTPUT_CENTERS": "memory:", "OUTPUT_TRAJECTORY": "memory:"},
    )
    centres = features(result["OUTPUT_CENTERS"])
    assert [c["year"] for c in centres] == [2010, 2020]
    for c in centres:
        a = grids[c["year"]]
        rows, cols = np.nonzero(np.isfinite(a))
        x = 400_000 + (cols + 0.5) * 1000
        y = 4_600_000 - (rows + 0.5) * 1000
        w = a[rows, cols].astype(np.float32).astype(float)
        assert_allclose([c["XCoord"], c["YCoord"]], [np.dot(w, x) / w.sum(), np.dot(w, y) / w.sum()], rtol=1e-10)
    result = run_alg(
        "directionaldistribution",
        {"RASTERS": layers, "YEARS": "2011, 2021", "OUTPUT": "memory:"},
    )
    assert [r["year"] for r in features(result["OUTPUT"])] == [2011, 2021]


def test_single_time_value_gives_one_centre_and_a_message(run_alg, yearly_points):
    xy, years, weights = yearly_points
    layer = point_layer(xy[:40], years[:40], weights[:40])
    feedback = QgsProcessingFeedback()
    warnings = []
    feedback.pushWarning = warnings.append
    result = run_alg(
        "meancentertrajectory",
        {"INPUT": layer, "TIME_FIELD": "year", "OUTPUT_CENTERS": "memory:", "OUTPUT_TRAJECTORY": "memory:"},
        feedback=feedback,
    )
    assert result["OUTPUT_CENTERS"].featureCount() == 1
    assert result["OUTPUT_TRAJECTORY"].featureCount() == 0
    assert any("Only one time value" in w for w in warnings)


@pytest.mark.parametrize(
    "alg,make,message",
    [
        ("meancentertrajectory", lambda: point_layer(np.empty((0, 2))), "no usable features"),
        ("meancentertrajectory", lambda: point_layer([[0, 0], [1, 1]], weights=[1.0, -2.0]), "negative"),
        ("meancentertrajectory", lambda: point_layer([[0, 0], [1, 1]], weights=[0.0, 0.0]), "zero total weight"),
        ("directionaldistribution", lambda: point_layer([[0, 0], [1, 1]]), "at least 3 points"),
        ("directionaldistribution", lambda: point_layer([[0, 0], [1, 1], [2, 2], [3, 3]]), "at least 3 points"),
    ],
)
def test_bad_vector_input_is_a_clear_error(run_alg, alg, make, message):
    params = {"INPUT": make(), "OUTPUT": "memory:", "OUTPUT_CENTERS": "memory:", "OUTPUT_TRAJECTORY": "memory:"}
    layer = params["INPUT"]
    if layer.fields().lookupField("co2") >= 0:
        params["WEIGHT_FIELD"] = "co2"
    with pytest.raises(QgsProcessingException, match=message):
        run_alg(alg, params)


def test_rasters_of_different_crs_are_refused(run_alg, tmp_path):
    a = raster(tmp_path / "a_2000.tif", np.ones((3, 3)))
    b = raster(tmp_path / "b_2005.tif", np.ones((3, 3)), epsg=32650)
    with pytest.raises(QgsProcessingException, match="Reproject the rasters"):
        run_alg("meancentertrajectory", {"RASTERS": [a, b], "OUTPUT_CENTERS": "memory:",
                                         "OUTPUT_TRAJECTORY": "memory:"})
    with pytest.raises(QgsProcessingException, match="one year per raster"):
        run_alg("meancentertrajectory", {"RASTERS": [a], "YEARS": "2000,2005",
                                         "OUTPUT_CENTERS": "memory:", "OUTPUT_TRAJECTORY": "memory:"})


def test_input_file_is_not_modified(run_alg, tmp_path, yearly_points):
    xy, years, weights = yearly_points
    layer = point_layer(xy, years, weights, path=tmp_path / "pts.gpkg")
    before = (tmp_path / "pts.gpkg").read_bytes()
    run_alg("directionaldistribution", {"INPUT": layer, "TIME_FIELD": "year", "OUTPUT": "memory:"})
    assert (tmp_path / "pts.gpkg").read_bytes() == before


def test_qgis_process_runs_both_algorithms(tmp_path, yearly_points):
    xy, years, weights = yearly_points
    point_layer(xy, years, weights, path=tmp_path / "pts.gpkg")
    listing = subprocess.run([str(ROOT / "tools" / "qgis_process.sh"), "list"], capture_output=True,
                             text=True, timeout=300)
    assert "carbon:meancentertrajectory" in listing.stdout
    assert "carbon:directionaldistribution" in listing.stdout
    out = tmp_path / "ellipses.gpkg"
    run = subprocess.run(
        [str(ROOT / "tools" / "qgis_process.sh"), "--json", "run", "carbon:directionaldistribution", "--",
         f"INPUT={tmp_path / 'pts.gpkg'}", "WEIGHT_FIELD=co2", "TIME_FIELD=year", "ELLIPSE_SIZE=1",
         f"OUTPUT={out}"],
        capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr + run.stdout
    payload = json.loads(run.stdout[run.stdout.index("{"):])
    assert payload["results"]["OUTPUT"].startswith(str(out))
    layer = QgsVectorLayer(str(out), "e", "ogr")
    assert layer.featureCount() == 3
    assert layer.crs() == QgsCoordinateReferenceSystem("EPSG:32651")
