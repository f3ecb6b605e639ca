"""carbon:landusecategories, carbon:downscale, carbon:emissionstatistics through Processing."""

import csv
import json
import os
import subprocess

import numpy as np
import pytest
from carbon_spacetime.sampledata import liaoning
from conftest import ROOT
from numpy.testing import assert_allclose, assert_array_equal
from osgeo import gdal, ogr, osr

ALBERS = liaoning.ALBERS_PROJ4


def _srs(proj4=ALBERS):
    srs = osr.SpatialReference()
    if proj4.startswith("EPSG:"):
        srs.ImportFromEPSG(int(proj4[5:]))
    else:
        srs.ImportFromProj4(proj4)
    return srs


def write_tif(path, array, gt, proj4=ALBERS, nodata=None, dtype=gdal.GDT_Float64):
    ds = gdal.GetDriverByName("GTiff").Create(str(path), array.shape[1], array.shape[0], 1, dtype)
    ds.SetGeoTransform(gt)
    ds.SetProjection(_srs(proj4).ExportToWkt())
    band = ds.GetRasterBand(1)
    if nodata is not None:
        band.SetNoDataValue(nodata)
    band.WriteArray(array)
    ds = None
    return str(path)


def read_tif(path):
    ds = gdal.Open(str(path))
    band = ds.GetRasterBand(1)
    data = band.ReadAsArray().astype(float)
    nd = band.GetNoDataValue()
    if nd is not None:
        data[data == nd] = np.nan
    return data


def write_csv(path, rows, header=("region", "year", "category", "emissions")):
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return str(path)


def write_regions(path, polygons, proj4=ALBERS, field="region"):
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = ds.CreateLayer("regions", _srs(proj4), ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn(field, ogr.OFTString))
    for name, wkt in polygons:
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetField(field, name)
        f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        layer.CreateFeature(f)
    ds = None
    return str(path)


def box(x0, y0, x1, y1):
    return f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"


def read_table(path):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(str(path), "t", "ogr")
    return [{f.name(): feat[f.name()] for f in layer.fields()} for feat in layer.getFeatures()]


# 1 km grid, 3 x 4 cells, origin (0, 3000)
GT = (0.0, 1000.0, 0.0, 3000.0, 0.0, -1000.0)
LANDUSE = np.array([[51, 51, 53, 53], [52, 12, 99, 53], [21, 77, 0, 51]], dtype=np.uint8)
POP = np.array([[10, 30, 0, 0], [100, 300, 0, 0], [100, 0, 0, 5]], float)


@pytest.fixture
def small(tmp_path):
    """Two regions (west: columns 0-1, east: columns 2-3), light at 500 m nesting in the grid."""
    light_fine = np.zeros((6, 8))
    light_fine[0:2, 0:2] = [[1, 2], [3, 2]]  # mean 2 -> cell (0, 0)
    light_fine[0:2, 2:4] = 6.0  # cell (0, 1)
    light_fine[0:2, 4:6] = [[0, 4], [0, 0]]  # mean 1 -> cell (0, 2)
    light_fine[0:2, 6:8] = 3.0  # cell (0, 3)
    light_fine[2:4, 6:8] = 5.0  # cell (1, 3)
    light_fine[4:6, 6:8] = 8.0  # cell (2, 3)
    paths = {
        "landuse": write_tif(tmp_path / "lu.tif", LANDUSE, GT, nodata=0, dtype=gdal.GDT_Byte),
        "light": write_tif(tmp_path / "light.tif", light_fine, (0.0, 500.0, 0.0, 3000.0, 0.0, -500.0)),
        "pop": write_tif(tmp_path / "pop.tif", POP, GT, nodata=-1),
        "regions": write_regions(tmp_path / "regions.gpkg", [("West", box(0, 0, 2000, 3000)),
                                                             ("East", box(2000, 0, 4000, 3000))]),
        "totals": write_csv(tmp_path / "totals.csv", [
            ("West", 2010, 1, 8.0), ("West", 2010, 3, 5.0), ("East", 2010, 1, 2.0), ("East", 2010, 2, 9.0),
            ("East", 2010, 3, 0.0), ("West", 2015, 1, 1.0), ("East", 2015, 1, 1.0),
        ]),
    }
    return paths


def _params(p, tmp_path, **extra):
    params = {
        "LANDUSE": p["landuse"], "LIGHT": p["light"], "POPULATION": p["pop"], "TOTALS": p["totals"],
        "REGIONS": p["regions"], "REGION_FIELD": "region", "YEAR": 2010,
        "OUTPUT": str(tmp_path / "out.tif"), "OUTPUT_REPORT": str(tmp_path / "report.csv"),
    }
    params.update(extra)
    return params


def test_downscale_hand_worked(run_alg, small, tmp_path):
    result = run_alg("downscale", _params(small, tmp_path))
    out = read_tif(result["OUTPUT"])
    # West urban: light 2, 6 -> 8 * (2/8, 6/8); West rural: 52 pop 100, 12 pop 300, 21 pop 100
    # -> 5 * (0.2, 0.6, 0.2); 77 unknown -> 0. East industrial light 1, 3, 5 -> 9 * (1/9, 3/9, 5/9);
    # East urban (2, 3) light 8 -> 2; 99 sea -> 0; land-use nodata -> nodata.
    expected = np.array([[2.0, 6.0, 1.0, 3.0], [1.0, 3.0, 0.0, 5.0], [1.0, 0.0, np.nan, 2.0]])
    assert_allclose(out, expected, rtol=1e-12)
    assert_allclose(result["TOTAL_ALLOCATED"], 24.0, rtol=1e-12)
    assert result["MAX_ABS_ERROR"] < 1e-12
    rows = {(r["region"], int(r["category"])): r for r in read_table(result["OUTPUT_REPORT"])}
    assert rows[("East", 2)]["proxy"] == "light" and int(rows[("East", 2)]["cells"]) == 3
    assert_allclose(float(rows[("West", 3)]["allocated_total"]), 5.0, rtol=1e-12)
    assert rows[("West", 3)]["proxy"] == "population"


def test_downscale_zero_light_fallback_is_reported(run_alg, small, tmp_path):
    from qgis.core import QgsProcessingFeedback

    class Recorder(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.warnings = []

        def pushWarning(self, text):  # noqa: N802
            self.warnings.append(text)
            super().pushWarning(text)

    zero_light = write_tif(tmp_path / "dark.tif", np.zeros((6, 8)), (0.0, 500.0, 0.0, 3000.0, 0.0, -500.0))
    feedback = Recorder()
    result = run_alg("downscale", _params(small, tmp_path, LIGHT=zero_light), feedback=feedback)
    out = read_tif(result["OUTPUT"])
    # West urban falls back to population 10, 30; East industrial has no population -> area (3 cells)
    assert_allclose(out[0, :2], [2.0, 6.0], rtol=1e-12)
    assert_allclose(out[[0, 1], [2, 3]], [3.0, 3.0], rtol=1e-12)
    assert_allclose(out[0, 3], 3.0, rtol=1e-12)
    assert_allclose(np.nansum(out), 24.0, rtol=1e-12)
    assert any("spread by population" in w for w in feedback.warnings)
    assert any("spread by area" in w for w in feedback.warnings)


def test_downscale_misaligned_light_in_other_crs_and_extent(run_alg, small, tmp_path):
    """Light in a shifted, finer, larger grid in another CRS (UTM-like) is averaged onto the grid."""
    # constant light everywhere: every urban/industrial cell gets the same weight
    other = "+proj=tmerc +lon_0=104 +k=1 +x_0=500000 +y_0=0 +datum=WGS84 +units=m +no_defs"
    src, dst = _srs(ALBERS), _srs(other)
    for s in (src, dst):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(src, dst)
    corners = np.array([ct.TransformPoint(x, y)[:2] for x in (-3000, 7000) for y in (-3000, 6000)])
    x0, y1 = corners[:, 0].min(), corners[:, 1].max()
    nx = int((corners[:, 0].max() - x0) / 333) + 1
    ny = int((y1 - corners[:, 1].min()) / 333) + 1
    light = write_tif(tmp_path / "light_tm.tif", np.full((ny, nx), 7.0), (x0, 333.0, 0, y1, 0, -333.0), other)
    result = run_alg("downscale", _params(small, tmp_path, LIGHT=light))
    out = read_tif(result["OUTPUT"])
    assert_allclose(out[0, :2], [4.0, 4.0], rtol=1e-9)
    assert_allclose(out[[0, 1, 0], [2, 3, 3]], [3.0, 3.0, 3.0], rtol=1e-9)
    assert_allclose(np.nansum(out), 24.0, rtol=1e-12)


def test_nested_light_with_offset_origin_is_block_averaged(run_alg, small, tmp_path):
    """A 500 m light grid whose origin is one fine cell off still nests: exact block means."""
    light_fine = np.zeros((8, 10))
    light_fine[1:3, 1:3] = [[1, 2], [3, 2]]  # the same sub-cells as the fixture, origin moved by 1 cell
    light_fine[1:3, 3:5] = 6.0
    path = write_tif(tmp_path / "shifted.tif", light_fine, (-500.0, 500.0, 0.0, 3500.0, 0.0, -500.0))
    result = run_alg("downscale", _params(small, tmp_path, LIGHT=path))
    out = read_tif(result["OUTPUT"])
    assert_allclose(out[0, :2], [2.0, 6.0], rtol=1e-12)


def test_light_aggregated_not_point_sampled(run_alg, small, tmp_path):
    """A 500 m light grid shifted by 250 m goes through GDAL area-weighted averaging.

    Only fine column 2 (x 750..1250) is lit: it covers the right quarter of cell (0, 0) and the left
    quarter of cell (0, 1), so both means are 8 / 4 = 2 and the urban total splits 4 : 4. Sampling the
    light at the cell centres (x 500, 1500) would see 0 in both cells.
    """
    light_fine = np.zeros((8, 10))
    light_fine[:, 2] = 8.0
    path = write_tif(tmp_path / "quarter.tif", light_fine, (-250.0, 500.0, 0.0, 3250.0, 0.0, -500.0))
    result = run_alg("downscale", _params(small, tmp_path, LIGHT=path))
    out = read_tif(result["OUTPUT"])
    assert_allclose(out[0, :2], [4.0, 4.0], rtol=1e-9)


def test_downscale_without_regions_single_region(run_alg, small, tmp_path):
    totals = write_csv(tmp_path / "one.csv", [(2010, 1, 12.0), (2010, 2, 3.0), (2010, 3, 1.0)],
                       header=("year", "category", "emissions"))
    result = run_alg("downscale", _params(small, tmp_path, TOTALS=totals, REGIONS=None))
    out = read_tif(result["OUTPUT"])
    assert_allclose(np.nansum(out), 16.0, rtol=1e-12)
    # urban light 2, 6, 8 -> 12 * (2, 6, 8) / 16
    assert_allclose(out[[0, 0, 2], [0, 1, 3]], [1.5, 4.5, 6.0], rtol=1e-12)


@pytest.mark.parametrize("case, message", [
    ("missing_year", "no rows for year 2012"),
    ("missing_column", "no 'emissions' column"),
    ("negative", "negative emissions"),
    ("unknown_region", "not found in the region layer"),
    ("region_not_in_table", "without totals for 2010"),
    ("no_overlap", "does not overlap"),
    ("geographic", "geographic CRS"),
])
def test_downscale_bad_inputs(run_alg, small, tmp_path, case, message):
    from qgis.core import QgsProcessingException

    params = _params(small, tmp_path)
    if case == "missing_year":
        params["YEAR"] = 2012
    elif case == "missing_column":
        params["TOTALS"] = write_csv(tmp_path / "t.csv", [("West", 2010, 1)],
                                     header=("region", "year", "category"))
    elif case == "negative":
        params["TOTALS"] = write_csv(tmp_path / "t.csv", [("West", 2010, 1, -1.0), ("East", 2010, 1, 1.0)])
    elif case == "unknown_region":
        params["TOTALS"] = write_csv(tmp_path / "t.csv", [("West", 2010, 1, 1.0), ("East", 2010, 1, 1.0),
                                                          ("North", 2010, 1, 1.0)])
    elif case == "region_not_in_table":
        params["TOTALS"] = write_csv(tmp_path / "t.csv", [("West", 2010, 1, 1.0)])
    elif case == "no_overlap":
        params["LIGHT"] = write_tif(tmp_path / "far.tif", np.ones((4, 4)), (1e6, 500.0, 0, 1e6, 0, -500.0))
    elif case == "geographic":
        params["LANDUSE"] = write_tif(tmp_path / "geo.tif", LANDUSE, (120.0, 0.01, 0, 41.0, 0, -0.01),
                                      "EPSG:4326", nodata=0, dtype=gdal.GDT_Byte)
    with pytest.raises(QgsProcessingException, match=message):
        run_alg("downscale", params)
    assert not os.path.exists(params["OUTPUT"])


def test_landusecategories_cas_and_custom(run_alg, small, tmp_path):
    from qgis.core import QgsProcessingFeedback

    result = run_alg("landusecategories", {"INPUT": small["landuse"], "SCHEME": 0,
                                           "OUTPUT": str(tmp_path / "cats.tif")},
                     feedback=QgsProcessingFeedback())
    ds = gdal.Open(result["OUTPUT"])
    assert ds.GetRasterBand(1).DataType == gdal.GDT_Byte
    assert_array_equal(ds.ReadAsArray(), [[1, 1, 2, 2], [3, 3, 0, 2], [3, 0, 255, 1]])
    assert result["UNKNOWN_CELLS"] == 1
    pairs = [(51, 2), (53, 1), (52, 3), (12, 3), (21, 0), (77, 3), (99, 0)]
    table = write_csv(tmp_path / "reclass.csv", pairs, header=("code", "category"))
    result = run_alg("landusecategories", {"INPUT": small["landuse"], "SCHEME": 1, "RECLASS_TABLE": table,
                                           "OUTPUT": str(tmp_path / "cats2.tif")})
    expected = [[2, 2, 1, 1], [3, 3, 0, 1], [0, 3, 255, 2]]
    assert_array_equal(gdal.Open(result["OUTPUT"]).ReadAsArray(), expected)
    assert result["UNKNOWN_CELLS"] == 0


def test_landusecategories_custom_without_table_fails(run_alg, small, tmp_path):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="RECLASS_TABLE"):
        run_alg("landusecategories",
                {"INPUT": small["landuse"], "SCHEME": 1, "OUTPUT": str(tmp_path / "c.tif")})


def test_emissionstatistics_rasters_and_html(run_alg, tmp_path):
    rng = np.random.default_rng(0)
    arrays = {2000: rng.random((6, 5)), 2005: rng.random((6, 5)) * 2}
    arrays[2005][0, 0] = np.nan
    paths = [write_tif(tmp_path / f"emissions_{y}.tif", np.nan_to_num(a, nan=-9999), GT, nodata=-9999)
             for y, a in arrays.items()]
    result = run_alg("emissionstatistics", {"RASTERS": paths[::-1], "OUTPUT": str(tmp_path / "stats.csv"),
                                            "OUTPUT_HTML": str(tmp_path / "stats.html")})
    rows = read_table(result["OUTPUT"])
    assert [int(r["year"]) for r in rows] == [2000, 2005]
    a, b = arrays[2000], arrays[2005]
    assert_allclose(float(rows[0]["total"]), a.sum(), rtol=1e-12)
    assert_allclose(float(rows[1]["std"]), np.nanstd(b), rtol=1e-12)
    assert_allclose(float(rows[1]["mean"]), np.nanmean(b), rtol=1e-12)
    assert_allclose(float(rows[1]["peak"]), np.nanmax(b), rtol=1e-12)
    assert int(rows[1]["cells"]) == 29
    assert_allclose(float(rows[1]["growth_pct"]), 100 * (np.nansum(b) / a.sum() - 1), rtol=1e-10)
    html_text = open(result["OUTPUT_HTML"], encoding="utf-8").read()
    assert "data:image/png;base64," in html_text and "<td>2005</td>" in html_text


def test_emissionstatistics_vector_and_year_mismatch(run_alg, tmp_path):
    from qgis.core import QgsProcessingException, QgsVectorLayer

    points = [(1, 2000, 1.0), (2, 2000, 3.0), (3, 2010, 2.0), (4, 2010, 6.0)]
    csv_path = write_csv(tmp_path / "pts.csv", points, header=("id", "year", "value"))
    uri = f"file://{csv_path}?type=csv&detectTypes=yes&geomType=none"
    layer = QgsVectorLayer(uri, "pts", "delimitedtext")
    assert layer.isValid()
    result = run_alg("emissionstatistics", {"INPUT": layer, "VALUE_FIELD": "value", "TIME_FIELD": "year",
                                            "OUTPUT": str(tmp_path / "s.csv")})
    rows = read_table(result["OUTPUT"])
    assert_allclose([float(r["total"]) for r in rows], [4.0, 8.0])
    assert_allclose(float(rows[1]["growth_pct"]), 100.0)
    assert rows[0]["growth_pct"] in (None, "") or not str(rows[0]["growth_pct"]).strip()
    assert_allclose(float(rows[1]["std"]), 2.0)
    path = write_tif(tmp_path / "em.tif", np.ones((3, 4)), GT)
    with pytest.raises(QgsProcessingException, match="one year per raster"):
        run_alg("emissionstatistics",
                {"RASTERS": [path], "YEARS": "2000,2005", "OUTPUT": str(tmp_path / "x.csv")})


def test_emissionstatistics_date_time_field_and_null_rows(run_alg, tmp_path):
    """Dates as the time field give readable dates in the year column (not Qt object text); rows with a
    null time or value are skipped with a warning."""
    from carbon_spacetime.algorithms._compat import FieldType
    from qgis.core import QgsFeature, QgsField, QgsVectorLayer
    from qgis.PyQt.QtCore import QDate

    layer = QgsVectorLayer("None", "t", "memory")
    layer.dataProvider().addAttributes([QgsField("day", FieldType.Date), QgsField("value", FieldType.Double)])
    layer.updateFields()
    features = []
    for day, value in [("2015-01-01", 1.0), ("2015-01-01", 2.0), ("2016-01-01", 6.0), (None, 5.0),
                       ("2016-01-01", None)]:
        f = QgsFeature(layer.fields())
        f.setAttributes([QDate.fromString(day, "yyyy-MM-dd") if day else None, value])
        features.append(f)
    layer.dataProvider().addFeatures(features)
    result = run_alg("emissionstatistics", {"INPUT": layer, "VALUE_FIELD": "value", "TIME_FIELD": "day",
                                            "OUTPUT": str(tmp_path / "s.csv")})
    rows = read_table(result["OUTPUT"])
    assert [r["year"] for r in rows] == ["2015-01-01", "2016-01-01"]
    assert_allclose([float(r["total"]) for r in rows], [3.0, 6.0])
    assert_allclose(float(rows[1]["growth_pct"]), 100.0)


# ---------------------------------------------------------------- sample data

@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return liaoning.generate(tmp_path_factory.mktemp("sample"), shrink=5)


def test_sample_years_downscale_to_table_totals(run_alg, sample, tmp_path):
    with open(sample["totals"], newline="") as fh:
        rows = list(csv.DictReader(fh))
    for year in liaoning.YEARS:
        result = run_alg("downscale", {
            "LANDUSE": sample["landuse"][year], "LIGHT": sample["light"][year],
            "POPULATION": sample["population"][year], "TOTALS": sample["totals"], "REGIONS": sample["cities"],
            "REGION_FIELD": "region", "YEAR": year, "OUTPUT": str(tmp_path / f"em_{year}.tif"),
        })
        expected = sum(float(r["emissions"]) for r in rows if int(r["year"]) == year)
        assert_allclose(np.nansum(read_tif(result["OUTPUT"])), expected, rtol=1e-12)
        assert_allclose(expected, liaoning.PROVINCE_TOTALS[year], rtol=1e-12)
        assert result["MAX_ABS_ERROR"] < 1e-9


def test_qgis_process_on_sample(sample, tmp_path):
    out = tmp_path / "em_2020.tif"
    cmd = [str(ROOT / "tools" / "qgis_process.sh"), "--json", "run", "carbon:downscale", "--",
           f"LANDUSE={sample['landuse'][2020]}", f"LIGHT={sample['light'][2020]}",
           f"POPULATION={sample['population'][2020]}", f"TOTALS={sample['totals']}",
           f"REGIONS={sample['cities']}", "REGION_FIELD=region", "YEAR=2020", f"OUTPUT={out}",
           f"OUTPUT_REPORT={tmp_path / 'report.csv'}"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-2000:]
    payload = json.loads(proc.stdout[proc.stdout.index("{"):])
    assert_allclose(payload["results"]["TOTAL_ALLOCATED"], 533.285, rtol=1e-12)
    assert_allclose(np.nansum(read_tif(out)), 533.285, rtol=1e-12)
    with open(tmp_path / "report.csv", newline="") as fh:
        report = list(csv.DictReader(fh))
    assert len(report) == 14 * 3
    for row in report:
        assert_allclose(float(row["allocated_total"]), float(row["table_total"]), rtol=1e-12, atol=1e-12)


def test_geographic_landuse_with_cell_size_is_reprojected(run_alg, tmp_path):
    """A geographic land-use raster plus CELL_SIZE: warped to an equal-area grid, mass conserved."""
    codes = np.full((40, 50), 12, dtype=np.uint8)
    codes[10:20, 10:25] = 51
    codes[25:35, 30:45] = 53
    gt = (121.0, 0.02, 0, 41.5, 0, -0.02)
    lu = write_tif(tmp_path / "lu_geo.tif", codes, gt, "EPSG:4326", nodata=0, dtype=gdal.GDT_Byte)
    rng = np.random.default_rng(5)
    light = write_tif(tmp_path / "li_geo.tif", rng.random((80, 100)) + 0.1, (121.0, 0.01, 0, 41.5, 0, -0.01),
                      "EPSG:4326")
    pop = write_tif(tmp_path / "po_geo.tif", rng.random((40, 50)) * 100 + 1, gt, "EPSG:4326")
    totals = write_csv(tmp_path / "t.csv", [(2020, 1, 3.0), (2020, 2, 5.0), (2020, 3, 1.5)],
                       header=("year", "category", "emissions"))
    result = run_alg("downscale", {"LANDUSE": lu, "LIGHT": light, "POPULATION": pop, "TOTALS": totals,
                                   "YEAR": 2020, "CELL_SIZE": 2000.0, "OUTPUT": str(tmp_path / "o.tif")})
    ds = gdal.Open(result["OUTPUT"])
    assert abs(ds.GetGeoTransform()[1] - 2000.0) < 1e-6
    srs = osr.SpatialReference(wkt=ds.GetProjection())
    assert srs.IsProjected()
    assert_allclose(np.nansum(read_tif(result["OUTPUT"])), 9.5, rtol=1e-12)


def test_projected_cell_size_resamples_landuse(run_alg, small, tmp_path):
    result = run_alg("downscale", _params(small, tmp_path, CELL_SIZE=2000.0))
    out = read_tif(result["OUTPUT"])
    assert gdal.Open(result["OUTPUT"]).GetGeoTransform()[1] == 2000.0
    assert out.shape == (2, 2)
    # majority resampling can remove a category from a region (East's single urban cell): its total is
    # reported as not placed; every region-category that kept cells receives its total exactly
    assert_allclose(np.nansum(out), result["TOTAL_ALLOCATED"], rtol=1e-12)
    report = read_table(result["OUTPUT_REPORT"])
    for row in report:
        if int(row["cells"]) > 0:
            assert_allclose(float(row["allocated_total"]), float(row["table_total"]), rtol=1e-12)
        else:
            assert row["proxy"] == "none (no cells)" and float(row["allocated_total"]) == 0


def test_ceads_sector_column(run_alg, small, tmp_path):
    rows = [("West", 2010, "Urban households", 3.0), ("West", 2010, "Construction", 5.0),
            ("West", 2010, "Rural households", 5.0),
            ("East", 2010, "Smelting and Pressing of Ferrous Metals", 9.0),
            ("East", 2010, "Wholesale, Retail Trade and Catering Services", 2.0)]
    totals = write_csv(tmp_path / "sectors.csv", rows, header=("region", "year", "sector", "emissions"))
    result = run_alg("downscale", _params(small, tmp_path, TOTALS=totals))
    # the same totals per region and category as the hand-worked case
    expected = np.array([[2.0, 6.0, 1.0, 3.0], [1.0, 3.0, 0.0, 5.0], [1.0, 0.0, np.nan, 2.0]])
    assert_allclose(read_tif(result["OUTPUT"]), expected, rtol=1e-12)


def test_styles_have_the_category_legend(qgis_processing, small, tmp_path, run_alg):
    from carbon_spacetime.algorithms._styles import LayerStyle
    from carbon_spacetime.algorithms.base import style_path
    from qgis.core import QgsRasterLayer

    result = run_alg("landusecategories", {"INPUT": small["landuse"], "OUTPUT": str(tmp_path / "c.tif")})
    layer = QgsRasterLayer(result["OUTPUT"], "cats")
    _, ok = layer.loadNamedStyle(style_path("emission_categories"))
    assert ok and layer.renderer().type() == "paletted"
    labels = {c.value: c.label for c in layer.renderer().classes()}
    assert labels == {0: "No emissions", 1: "Urban", 2: "Industrial", 3: "Rural & other"}

    out = run_alg("downscale", _params(small, tmp_path))["OUTPUT"]
    layer = QgsRasterLayer(out, "em")
    processor = LayerStyle("emissions", "Emissions 2010", {"stops": [0.0, 1.0, 3.0, 6.0]})
    processor.postProcessLayer(layer, None, None)
    assert layer.renderer().type() == "singlebandpseudocolor"
    items = layer.renderer().shader().rasterShaderFunction().colorRampItemList()
    assert [it.value for it in items] == [0.0, 1.0, 3.0, 6.0]
    assert layer.name() == "Emissions 2010"


def test_regions_in_another_crs_are_reprojected(run_alg, small, tmp_path):
    src, dst = _srs(ALBERS), _srs("EPSG:4326")
    for s in (src, dst):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(src, dst)

    def geo_box(x0, y0, x1, y1):
        pts = [ct.TransformPoint(x, y)[:2] for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))]
        return "POLYGON((" + ",".join(f"{x!r} {y!r}" for x, y in pts) + "))"

    boxes = [("West", geo_box(0, 0, 2000, 3000)), ("East", geo_box(2000, 0, 4000, 3000))]
    regions = write_regions(tmp_path / "geo_regions.gpkg", boxes, "EPSG:4326")
    out = read_tif(run_alg("downscale", _params(small, tmp_path, REGIONS=regions))["OUTPUT"])
    expected = np.array([[2.0, 6.0, 1.0, 3.0], [1.0, 3.0, 0.0, 5.0], [1.0, 0.0, np.nan, 2.0]])
    assert_allclose(out, expected, rtol=1e-12)


def test_regions_outside_the_grid_fail(run_alg, small, tmp_path):
    from qgis.core import QgsProcessingException

    regions = write_regions(tmp_path / "far.gpkg", [("West", box(1e6, 1e6, 1.1e6, 1.1e6)),
                                                    ("East", box(2e6, 1e6, 2.1e6, 1.1e6))])
    with pytest.raises(QgsProcessingException, match="do not overlap"):
        run_alg("downscale", _params(small, tmp_path, REGIONS=regions))


def test_cancel_leaves_no_output(run_alg, small, tmp_path):
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    feedback = QgsProcessingFeedback()
    feedback.cancel()
    params = _params(small, tmp_path)
    with pytest.raises(QgsProcessingException, match="[Cc]ancel"):
        run_alg("downscale", params, feedback=feedback)
    assert not os.path.exists(params["OUTPUT"])
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".part.tif")]


def test_cancel_during_allocation_leaves_no_output(run_alg, small, tmp_path):
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    feedback = QgsProcessingFeedback()
    seen = []

    def on_progress(value):
        seen.append(value)
        if value >= 65:  # step 4 of 5 (allocation) runs from 60 % to 80 %
            feedback.cancel()

    feedback.progressChanged.connect(on_progress)
    params = _params(small, tmp_path)
    with pytest.raises(QgsProcessingException, match="[Cc]ancel"):
        run_alg("downscale", params, feedback=feedback)
    assert max(seen) < 80
    assert not os.path.exists(params["OUTPUT"])
