"""algorithms/_io: the one reader/writer -- round trips, atomic writes, up-front checks."""

import csv
import os

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from osgeo import gdal

GT = (500000.0, 1000.0, 0.0, 4600000.0, 0.0, -1000.0)
WKT_EPSG = 32651


def _wkt(epsg=WKT_EPSG):
    from osgeo import osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    return srs.ExportToWkt()


def _grid(rows=7, cols=5):
    data = np.arange(rows * cols, dtype=np.float64).reshape(rows, cols) * 1.5 - 3.0
    data[0, 0] = np.nan
    data[3, 2] = np.nan
    data[6, 4] = np.inf  # written as nodata too
    return data


def _leftovers(folder):
    return sorted(n for n in os.listdir(folder) if n.startswith("."))


def test_raster_round_trip_keeps_values_and_nodata(qgis_app, tmp_path):
    from carbon_spacetime.algorithms._io import read_band, read_raster, write_geotiff
    from qgis.core import QgsRasterLayer

    data = _grid()
    path = write_geotiff(str(tmp_path / "a.tif"), [data, -data], GT, _wkt(), nodata=-9999.0,
                         dtype=gdal.GDT_Float64, band_names=["x", "minus x"])
    back = read_band(path)
    missing = ~np.isfinite(data)
    assert_array_equal(np.isnan(back), missing)
    assert_array_equal(back[~missing], data[~missing])
    assert_array_equal(read_band(path, 2)[~missing], -data[~missing])
    grid = read_raster(QgsRasterLayer(path, "a"), 1)
    assert grid.nodata == -9999.0 and grid.geotransform == GT and grid.shape == data.shape
    # cell centres of the cells with data: hand-worked for the first two
    centres = grid.cell_centres()
    assert len(centres) == np.isfinite(data).sum()
    assert_allclose(centres[:2], [[501500.0, 4599500.0], [502500.0, 4599500.0]])
    assert _leftovers(tmp_path) == []



def test_float32_band_with_a_nodata_float32_cannot_hold_exactly(qgis_app, tmp_path):
    """-3.4e38 is stored rounded to single precision: its cells are still nodata (compared in float32);
    a Byte band keeps 1 byte per cell when read natively."""
    from carbon_spacetime.algorithms._io import read_band

    path = str(tmp_path / "f32.tif")
    ds = gdal.GetDriverByName("GTiff").Create(path, 3, 2, 1, gdal.GDT_Float32)
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(-3.4e38)
    band.WriteArray(np.array([[1.0, -3.4e38, 2.0], [-3.4e38, 3.0, 4.0]], dtype=np.float32))
    ds = None
    back = read_band(path)
    assert_array_equal(np.isnan(back), [[False, True, False], [True, False, False]])
    assert_allclose(back[np.isfinite(back)], [1.0, 2.0, 3.0, 4.0])

    path = str(tmp_path / "u8.tif")
    ds = gdal.GetDriverByName("GTiff").Create(path, 2, 1, 1, gdal.GDT_Byte)
    ds.GetRasterBand(1).SetNoDataValue(255)
    ds.GetRasterBand(1).WriteArray(np.array([[21, 255]], dtype=np.uint8))
    ds = None
    codes = read_band(path, native=True)
    assert codes.dtype == np.uint8 and codes.tolist() == [[21, 255]]
    assert np.isnan(read_band(path)[0, 1])

def test_band_number_out_of_range_is_a_clear_error(qgis_app, tmp_path):
    from carbon_spacetime.algorithms._io import read_band, read_raster, write_geotiff
    from qgis.core import QgsProcessingException, QgsRasterLayer

    path = write_geotiff(str(tmp_path / "a.tif"), _grid(), GT, _wkt(), nodata=-9999.0)
    with pytest.raises(QgsProcessingException, match="Raster 'a' has 1 band"):
        read_raster(QgsRasterLayer(path, "a"), 2)
    with pytest.raises(QgsProcessingException, match="Could not open the raster"):
        read_band(str(tmp_path / "none.tif"))


def test_windows_strips_and_counts_match_the_whole_band(qgis_app, tmp_path):
    from carbon_spacetime.algorithms._io import data_cell_count, iter_band_strips, read_band, write_geotiff

    data = _grid(23, 9)
    path = write_geotiff(str(tmp_path / "a.tif"), data, GT, _wkt(), nodata=-1e30)
    whole = read_band(path)
    assert_array_equal(read_band(path, window=(2, 5, 4, 3)), whole[5:8, 2:6])
    strips = list(iter_band_strips(path, cells=20))  # 2 rows of 9 cells per strip
    assert [r for r, _ in strips] == list(range(0, 23, 2))
    assert_array_equal(np.vstack([b for _, b in strips]), whole)
    assert data_cell_count(path) == np.isfinite(data).sum() == 23 * 9 - 3
    assert data_cell_count(path, limit=1) >= 1


def test_read_on_grid_averages_nested_cells(qgis_app, tmp_path):
    from carbon_spacetime.algorithms._io import read_on_grid, write_geotiff
    from carbon_spacetime.core.aggregate import block_mean

    fine = np.arange(36, dtype=np.float64).reshape(6, 6)
    fine_gt = (GT[0], 500.0, 0.0, GT[3], 0.0, -500.0)
    path = write_geotiff(str(tmp_path / "fine.tif"), fine, fine_gt, _wkt(), nodata=-9999.0,
                         dtype=gdal.GDT_Float64)
    coarse = read_on_grid(path, GT, (3, 3), _wkt(), "average")
    assert_allclose(coarse, block_mean(fine, 2))


def test_burn_polygons_marks_cell_centres_inside(qgis_app):
    from carbon_spacetime.algorithms._io import burn_polygons
    from osgeo import ogr

    # a square over columns 1-2 and rows 0-1 (cell centres inside), id 7
    square = ogr.CreateGeometryFromWkt("POLYGON((501000 4600000,503000 4600000,503000 4598000,501000 4598000,"
                                       "501000 4600000))")
    index = burn_polygons([(square.ExportToWkb(), 7)], GT, (3, 4), _wkt())
    expected = np.zeros((3, 4), dtype=int)
    expected[0:2, 1:3] = 7
    assert_array_equal(index, expected)


def test_failed_raster_write_leaves_nothing_and_keeps_the_older_file(qgis_app, tmp_path):
    from carbon_spacetime.algorithms._io import write_geotiff
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    target = tmp_path / "out.tif"
    target.write_bytes(b"older")
    feedback = QgsProcessingFeedback()
    feedback.cancel()
    with pytest.raises(QgsProcessingException, match="Cancelled"):
        write_geotiff(str(target), [_grid(), _grid()], GT, _wkt(), nodata=-9999.0, feedback=feedback)
    assert target.read_bytes() == b"older"
    assert sorted(os.listdir(tmp_path)) == ["out.tif"]


def test_atomic_path_removes_the_temporary_file_and_created_folders(qgis_app, tmp_path):
    from carbon_spacetime.algorithms._io import atomic_path

    target = tmp_path / "new" / "deeper" / "page.html"
    with pytest.raises(ValueError):
        with atomic_path(str(target)) as tmp:
            with open(tmp, "w") as handle:
                handle.write("half")
            with open(os.path.splitext(tmp)[0] + ".html.aux", "w") as handle:
                handle.write("side")
            raise ValueError("boom")
    assert os.listdir(tmp_path) == []  # neither the file nor the folders it created


def test_atomic_path_renames_side_files_with_the_main_file(qgis_app, tmp_path):
    from carbon_spacetime.algorithms._io import atomic_path

    with atomic_path(str(tmp_path / "grid.shp")) as tmp:
        stem = os.path.splitext(tmp)[0]
        for ext in (".shp", ".dbf", ".shx"):
            with open(stem + ext, "w") as handle:
                handle.write(ext)
    assert sorted(os.listdir(tmp_path)) == ["grid.dbf", "grid.shp", "grid.shx"]
    assert (tmp_path / "grid.dbf").read_text() == ".dbf"


def test_writers_refuse_bad_destinations_up_front(qgis_app, tmp_path):
    from carbon_spacetime.algorithms._io import write_text
    from qgis.core import QgsProcessingException

    (tmp_path / "folder.html").mkdir()
    with pytest.raises(QgsProcessingException, match="is a folder"):
        write_text(str(tmp_path / "folder.html"), "x")
    (tmp_path / "file").write_text("x")
    with pytest.raises(QgsProcessingException, match="is a file, not a folder"):
        write_text(str(tmp_path / "file" / "page.html"), "x")
    assert sorted(os.listdir(tmp_path)) == ["file", "folder.html"]


def test_writers_refuse_a_read_only_folder(qgis_app, tmp_path, monkeypatch):
    from carbon_spacetime.algorithms import _io
    from qgis.core import QgsProcessingException

    folder = tmp_path / "ro"
    folder.mkdir()
    real_access = os.access
    # the permission test as a non-root user sees it (tests may run as root)
    monkeypatch.setattr(_io.os, "access", lambda p, mode: False if str(p) == str(folder) else real_access(p, mode))
    with pytest.raises(QgsProcessingException, match="'.*ro' is not writable"):
        _io.write_text(str(folder / "page.html"), "x")
    assert os.listdir(folder) == []


def test_html_page_is_written_whole(qgis_app, tmp_path):
    from carbon_spacetime.algorithms._html import html_table, write_html

    path = write_html(str(tmp_path / "r.html"), "Title", [("Numbers", html_table(["a"], [["<1>"]]))])
    text = open(path, encoding="utf-8").read()
    assert text.startswith("<!DOCTYPE html>") and "<td>&lt;1&gt;</td>" in text and text.endswith("</html>")
    assert os.listdir(tmp_path) == ["r.html"]


def test_csv_table_round_trip(qgis_app, tmp_path):
    from carbon_spacetime.algorithms._io import write_table

    rows = [{"year": 2000, "total": 0.1 + 0.2, "name": "a, b", "p": None},
            {"year": 2001, "total": 1e-300, "name": "c", "p": 0.05}]
    path = write_table(str(tmp_path / "t.csv"), rows)
    with open(path, newline="", encoding="utf-8") as handle:
        back = list(csv.reader(handle))
    assert back[0] == ["year", "total", "name", "p"]
    assert back[1] == ["2000", repr(0.1 + 0.2), "a, b", ""]
    assert float(back[2][1]) == 1e-300
    assert os.listdir(tmp_path) == ["t.csv"]


def test_geopackage_table_round_trip(qgis_app, tmp_path):
    from carbon_spacetime.algorithms._io import read_table, write_table

    rows = [{"year": 2000, "total": 12.5, "name": "a"}, {"year": 2001, "total": -3.25, "name": "b"}]
    path = write_table(str(tmp_path / "t.gpkg"), rows)
    assert read_table(path) == rows
    assert sorted(os.listdir(tmp_path)) == ["t.gpkg"]



def test_geopackage_column_types_come_from_every_row(qgis_app, tmp_path):
    """An int first and a float later is a double column (not truncated); a null first does not decide."""
    from carbon_spacetime.algorithms._io import read_table, write_table

    rows = [{"share": 0, "label": None, "count": 3}, {"share": 2.75, "label": "x", "count": None}]
    back = read_table(write_table(str(tmp_path / "t.gpkg"), rows))
    assert back == [{"share": 0.0, "label": None, "count": 3}, {"share": 2.75, "label": "x", "count": None}]

def test_failed_vector_write_leaves_nothing(qgis_app, tmp_path):
    from carbon_spacetime.algorithms._compat import FieldType, WkbType
    from carbon_spacetime.algorithms._io import write_vector
    from qgis.core import QgsFeature, QgsField, QgsFields

    fields = QgsFields()
    fields.append(QgsField("v", FieldType.Double))

    def features():
        feature = QgsFeature(fields)
        feature.setAttributes([1.0])
        yield feature
        raise RuntimeError("the source went away")

    with pytest.raises(RuntimeError):
        write_vector(str(tmp_path / "v.gpkg"), fields, WkbType.NoGeometry, None, features())
    assert os.listdir(tmp_path) == []


def test_stale_temporary_files_of_dead_runs_are_cleaned(qgis_app, tmp_path):
    from carbon_spacetime.algorithms._outputs import clean_stale_temporaries

    dead = tmp_path / ".out.part-999999999-0123abcd.tif"
    alive = tmp_path / f".out.part-{os.getpid()}-0123abcd.tif"
    dead.write_text("x")
    alive.write_text("x")
    assert clean_stale_temporaries(str(tmp_path)) == 1
    assert os.listdir(tmp_path) == [alive.name]


def test_plain_and_attribute_values():
    from carbon_spacetime.algorithms._io import attribute_value, plain_value

    assert plain_value(np.int64(3)) == 3 and type(plain_value(np.int64(3))) is int
    assert plain_value(None) is None and plain_value("x") == "x"
    assert attribute_value(np.float64(np.nan)) is None and attribute_value(float("inf")) is None
    assert attribute_value(np.float32(0.5)) == 0.5 and type(attribute_value(np.int32(2))) is int


def test_staged_folder_moves_everything_at_commit_and_nothing_on_error(qgis_app, tmp_path):
    from carbon_spacetime.algorithms._outputs import StagedFolder

    out = tmp_path / "study"
    out.mkdir()
    (out / "table.csv").write_text("old")
    with StagedFolder(str(out)) as staged:
        (tmp_path / "study" / os.path.basename(staged.path) / "table.csv").write_text("new")
        os.mkdir(os.path.join(staged.path, "maps"))
        assert sorted(os.listdir(out)) == sorted(["table.csv", os.path.basename(staged.path)])
        staged.commit(skip=("maps",))
    assert (out / "table.csv").read_text() == "new"
    assert sorted(os.listdir(out)) == ["table.csv"]  # the staging folder (and skipped maps) gone

    with pytest.raises(RuntimeError):
        with StagedFolder(str(out)) as staged:
            with open(os.path.join(staged.path, "table.csv"), "w") as handle:
                handle.write("half")
            raise RuntimeError("stage failed")
    assert (out / "table.csv").read_text() == "new"
    assert sorted(os.listdir(out)) == ["table.csv"]
