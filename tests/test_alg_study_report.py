"""Study report pieces that need no other algorithm: QGIS-rendered maps, HTML tables, the model file,
and the study's input checks."""

import html.parser
import os

import numpy as np
import pytest
from _layers import write_raster
from conftest import ROOT
from osgeo import gdal, ogr, osr

ALBERS = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"


def _write_raster(path, data, x0=1_000_000.0, y0=4_500_000.0, cell=1000.0):
    return write_raster(path, data, origin=(x0, y0), cell=cell, crs=ALBERS, dtype=gdal.GDT_Float32)


def _grid_layer(path, bins, x0=1_000_000.0, y0=4_500_000.0, cell=10_000.0):
    """A polygon grid (GeoPackage) of square cells with Gi_Bin = ``bins``, b_x = bins / 3, sig_x = |bins| > 1."""
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromProj4(ALBERS)
    layer = ds.CreateLayer(os.path.splitext(os.path.basename(str(path)))[0], srs, ogr.wkbPolygon)
    for name, kind in (("Gi_Bin", ogr.OFTInteger), ("b_x", ogr.OFTReal), ("sig_x", ogr.OFTInteger)):
        layer.CreateField(ogr.FieldDefn(name, kind))
    for (r, c), value in np.ndenumerate(bins):
        x, y = x0 + c * cell, y0 - r * cell
        ring = ogr.Geometry(ogr.wkbLinearRing)
        for px, py in ((x, y), (x + cell, y), (x + cell, y - cell), (x, y - cell), (x, y)):
            ring.AddPoint_2D(px, py)
        polygon = ogr.Geometry(ogr.wkbPolygon)
        polygon.AddGeometry(ring)
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("Gi_Bin", int(value))
        feature.SetField("b_x", float(value) / 3.0)
        feature.SetField("sig_x", int(abs(value) > 1))
        feature.SetGeometry(polygon)
        layer.CreateFeature(feature)
    ds = None
    return str(path)


def _colours(path):
    from qgis.PyQt.QtGui import QImage

    image = QImage(path)
    assert not image.isNull()
    return image, {
        image.pixel(x, y) & 0xFFFFFF for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
    }


def test_render_maps_from_real_layers(qgis_app, tmp_path):
    from carbon_spacetime.algorithms import _report, _styles
    from carbon_spacetime.algorithms._styles.palettes import HOTSPOT_CLASSES
    from carbon_spacetime.core.legend import quantile_class_bounds
    from qgis.core import QgsRasterLayer, QgsVectorLayer

    yy, xx = np.mgrid[0:60, 0:80]
    data = np.exp(-((xx - 40) ** 2 + (yy - 30) ** 2) / 200.0) * 0.2
    data[:5, :5] = np.nan
    raster = QgsRasterLayer(_write_raster(tmp_path / "em.tif", data), "t CO2 per cell")
    bounds = quantile_class_bounds([data])
    assert len(bounds) == 7 and bounds[-1] == pytest.approx(np.nanmax(data))
    _styles.apply(raster, "emission_classes", bounds=bounds, unit="Mt CO2")
    bins = np.clip(np.round((np.add.outer(np.arange(6), np.arange(8)) - 6) / 1.5), -3, 3)
    grid = QgsVectorLayer(_grid_layer(tmp_path / "grid.gpkg", bins), "Gi*", "ogr")
    _styles.apply(grid, "hotspots")
    png = _report.render_map(
        str(tmp_path / "em.png"), "Emissions", [raster], subtitle="test", legend_title="Emissions"
    )
    image, colours = _colours(png)
    assert (image.width(), image.height()) == _report.IMAGE_SIZE
    # the darkest emission class and the lightest are both drawn (the map is not empty)
    assert 0xB10026 in colours and 0xFFFFB2 in colours
    png = _report.render_map(str(tmp_path / "hot.png"), "Hot spots", [grid], legend_title="Gi*")
    _, colours = _colours(png)
    for value, colour, _ in HOTSPOT_CLASSES:
        assert int(colour[1:], 16) in colours, (value, colour)
    assert not [f for f in os.listdir(tmp_path) if ".part" in f]


def test_coefficient_classes_centred_on_zero(qgis_app, tmp_path):
    from carbon_spacetime.algorithms import _styles
    from carbon_spacetime.core.legend import symmetric_class_bounds
    from qgis.core import QgsVectorLayer

    bounds = symmetric_class_bounds([-0.5, 0.1, 1.0])
    edges = [(a, b) for _, a, b in bounds]
    # six classes of a round width (1/3 rounded up to 0.34) about 0; the empty lowest class is left out
    assert edges[0][0] == pytest.approx(-0.68) and edges[-1][1] == pytest.approx(1.02)
    assert any(a <= 0 <= b for a, b in edges)
    assert symmetric_class_bounds([0.2, 0.5])[0][1] >= 0  # only positive classes
    bins = np.array([[-3, -1, 0, 2, 3]])
    layer = QgsVectorLayer(_grid_layer(tmp_path / "c.gpkg", bins), "c", "ogr")
    _styles.apply(layer, "coefficients", term="x")
    labels = [r.label() for r in layer.renderer().rootRule().children()]
    assert labels[-1] == "Not significant"


def test_display_unit():
    from carbon_spacetime.core.legend import display_unit

    assert display_unit("Mt CO2", [1e-5, 1e-4, 0.2]) == (1e6, "t CO2")
    assert display_unit("Mt CO2", [0.1, 0.5, 3.0]) == (1e3, "kt CO2")
    assert display_unit("Mt CO2", [20.0, 50.0, 80.0]) == (1.0, "Mt CO2")
    assert display_unit("kg", [1e-5]) == (1.0, "kg")


class _Cells(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.values = []

    def handle_starttag(self, tag, attrs):
        if tag == "td":
            self.values.append(dict(attrs).get("data-value"))


def test_html_table_keeps_full_precision(tmp_path):
    from carbon_spacetime.algorithms import _report
    from carbon_spacetime.core.findings import Finding

    rows = [{"year": 2020, "morans_i": 0.07116312345678, "direction": "SW", "p_value": None}]
    fragment = _report.html_table(
        "t", "Table", [("year", "Year"), ("morans_i", "I"), ("direction", "Dir"), ("p_value", "p")], rows
    )
    parser = _Cells()
    parser.feed(fragment)
    assert parser.values == ["2020", repr(0.07116312345678), "SW", None]
    assert "0.0711631" in fragment
    path = _report.write_html(
        str(tmp_path / "r.html"), "Study", ["meta"], [Finding("A", "x < y & z")], [("Tables", [fragment])]
    )
    text = open(path, encoding="utf-8").read()
    assert "x &lt; y &amp; z" in text and "<h3>A</h3>" in text


def test_model_file_loads_and_chains_the_algorithms(qgis_app):
    from qgis.core import QgsProcessingModelAlgorithm

    model = QgsProcessingModelAlgorithm()
    assert model.fromFile(str(ROOT / "resources" / "models" / "emission_study.model3"))
    children = {c.childId(): c for c in model.childAlgorithms().values()}
    assert {c.algorithmId() for c in children.values()} == {
        "carbon:downscale",
        "carbon:emissionstatistics",
        "carbon:meancentertrajectory",
        "carbon:directionaldistribution",
        "carbon:globalmoransi",
        "carbon:hotspots",
    }
    downscale = children["downscale"]
    assert set(downscale.parameterSources()) >= {"LANDUSE", "LIGHT", "POPULATION", "TOTALS", "YEAR"}
    hot = children["hotspots"].parameterSources()["INPUT"][0]
    assert hot.outputChildId() == "downscale" and hot.outputName() == "OUTPUT"
    assert {p.name() for p in model.parameterDefinitions()} >= {
        "landuse",
        "light",
        "population",
        "totals",
        "year",
    }


def test_bad_inputs_say_what_to_fix(carbon_provider, run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    totals = tmp_path / "totals.csv"
    totals.write_text("year,category,emissions\n2020,1,1.0\n")
    base = {"TOTALS": str(totals), "OUTPUT_FOLDER": str(tmp_path / "out"), "FACTORS": ""}
    with pytest.raises(QgsProcessingException):
        run_alg("emissionstudy", {**base, "YEARS": "2020,twenty", "INPUT_FOLDER": str(tmp_path)})
    from carbon_spacetime.algorithms.study.algorithm import EmissionStudy
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    alg = EmissionStudy()
    alg.initAlgorithm()
    context = QgsProcessingContext()
    with pytest.raises(QgsProcessingException, match="landuse_2020.tif"):
        alg.processAlgorithm(
            {
                **base,
                "YEARS": "2020",
                "INPUT_FOLDER": str(tmp_path),
                "LANDUSE_PATTERN": "landuse_{year}.tif",
                "LIGHT_PATTERN": "light_{year}.tif",
                "POPULATION_PATTERN": "population_{year}.tif",
                "FACTOR_PATTERN": "{factor}_{year}.tif",
                "OUTPUT_HTML": None,
            },
            context,
            QgsProcessingFeedback(),
        )
    with pytest.raises(QgsProcessingException, match="repeated year"):
        alg.processAlgorithm({**base, "YEARS": "2020,2020"}, context, QgsProcessingFeedback())
    assert not (tmp_path / "out").exists()


def test_loaded_layers_go_into_year_groups_with_style(qgis_app, tmp_path):
    from carbon_spacetime.algorithms._styles import LayerStyle, Placement
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProject, QgsVectorLayer

    project = QgsProject()
    layer = QgsVectorLayer(_grid_layer(tmp_path / "h.gpkg", np.array([[3, 0, -2]])), "raw", "ogr")
    project.addMapLayer(layer)
    context = QgsProcessingContext()
    context.setProject(project)
    processor = LayerStyle("hotspots", "Gi* hot spots 2020", place=Placement(("Emission study", "2020")))
    processor.postProcessLayer(layer, context, QgsProcessingFeedback())
    group = project.layerTreeRoot().findGroup("Emission study").findGroup("2020")
    assert [n.layer().name() for n in group.findLayers()] == ["Gi* hot spots 2020"]
    assert len(project.layerTreeRoot().findLayers()) == 1  # moved, not copied
    assert layer.renderer().classAttribute() == "Gi_Bin"
    assert [c.label() for c in layer.renderer().categories()][0] == "Hot spot – 99% confidence"


def test_study_runs_a_stage_per_year_and_skips_only_failed_detector_years(qgis_app, tmp_path):
    """StudyRun.each_year: one stage per year; with ``skip`` a failed year is noted and the next runs,
    without it the failure stops the study; a cancel always stops it."""
    from carbon_spacetime.algorithms.study import stages
    from carbon_spacetime.algorithms.study.geodetector import run_geodetector_stage
    from carbon_spacetime.algorithms.study.io import StudyCancelled
    from qgis.core import QgsProcessingContext, QgsProcessingException, QgsProcessingFeedback

    def child(alg_id, params, context, feedback):
        if params.get("INPUT") == "grid_2005":
            raise QgsProcessingException("a factor has a single value")
        return {"OUT": params.get("INPUT")}

    feedback = QgsProcessingFeedback()
    run = stages.StudyRun(child, QgsProcessingContext(), feedback, str(tmp_path), 10)
    grid_info = {"grids": {y: f"grid_{y}" for y in (2000, 2005, 2010)}}
    skipped = []
    got = list(run.each_year([2000, 2005, 2010], "moran", "Test", "globalmoransi",
                             lambda y: {"INPUT": grid_info["grids"][y]}, lambda y, e: skipped.append((y, str(e)))))
    assert [y for y, _ in got] == [2000, 2010] and got[1][1] == {"OUT": "grid_2010"}
    assert skipped == [(2005, "a factor has a single value")]
    with pytest.raises(QgsProcessingException, match="single value"):
        list(run.each_year([2000, 2005, 2010], "moran", "Test", "globalmoransi",
                           lambda y: {"INPUT": grid_info["grids"][y]}))

    # the detector stage notes the skipped year and keeps going (no table rows from the failed year)
    def failing(alg_id, params, context, feedback):
        raise QgsProcessingException("a factor has a single value")

    run = stages.StudyRun(failing, QgsProcessingContext(), feedback, str(tmp_path), 10)
    tables = run_geodetector_stage(run, [2000, 2005], grid_info, ["gdp"])
    assert tables["geodetector"] == [] and tables["geodetector_interactions"] == []
    assert tables["geodetector_notes"] == [f"{y}: geographical detector skipped (a factor has a single value)"
                                           for y in (2000, 2005)]

    def cancelled(alg_id, params, context, feedback):
        raise StudyCancelled("Cancelled by the user.")

    run = stages.StudyRun(cancelled, QgsProcessingContext(), feedback, str(tmp_path), 10)
    with pytest.raises(StudyCancelled):
        run_geodetector_stage(run, [2000, 2005], grid_info, ["gdp"])
