"""Study report pieces that need no other algorithm: QGIS-rendered maps, HTML tables, the model file,
and the study's input checks."""

import html.parser
import os

import numpy as np
import pytest
from conftest import ROOT
from osgeo import gdal, osr

ALBERS = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"


def _write_raster(path, data, x0=1_000_000.0, y0=4_500_000.0, cell=1000.0):
    ds = gdal.GetDriverByName("GTiff").Create(str(path), data.shape[1], data.shape[0], 1, gdal.GDT_Float32)
    ds.SetGeoTransform((x0, cell, 0, y0, 0, -cell))
    srs = osr.SpatialReference()
    srs.ImportFromProj4(ALBERS)
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(-9999)
    band.WriteArray(np.where(np.isfinite(data), data, -9999))
    ds = None
    return str(path)


def _grid_layer(path, bins, x0=1_000_000.0, y0=4_500_000.0, cell=10_000.0):
    from carbon_spacetime.algorithms._compat import FieldType, WkbType
    from qgis.core import (
        QgsCoordinateReferenceSystem,
        QgsCoordinateTransformContext,
        QgsFeature,
        QgsField,
        QgsFields,
        QgsGeometry,
        QgsRectangle,
        QgsVectorFileWriter,
    )

    fields = QgsFields()
    fields.append(QgsField("Gi_Bin", FieldType.Int))
    fields.append(QgsField("b_x", FieldType.Double))
    fields.append(QgsField("sig_x", FieldType.Int))
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    writer = QgsVectorFileWriter.create(
        str(path),
        fields,
        WkbType.Polygon,
        QgsCoordinateReferenceSystem.fromProj(ALBERS),
        QgsCoordinateTransformContext(),
        options,
    )
    for r in range(bins.shape[0]):
        for c in range(bins.shape[1]):
            f = QgsFeature(fields)
            x, y = x0 + c * cell, y0 - r * cell
            f.setGeometry(QgsGeometry.fromRect(QgsRectangle(x, y - cell, x + cell, y)))
            f.setAttributes([int(bins[r, c]), float(bins[r, c]) / 3.0, int(abs(bins[r, c]) > 1)])
            writer.addFeature(f)
    del writer
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
