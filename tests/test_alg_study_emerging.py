"""The emerging hot spot stage of ``carbon:emissionstudy``: its table equals
``carbon:emerginghotspots`` run on the study's analysis rasters, its map is a real
image, its findings are in the report. Three years (the stage needs at least 3),
MGWR skipped to keep the run short.
"""

import json
import os

import numpy as np
import pytest
from osgeo import gdal
from test_alg_emission_study import _value, parse_report

YEARS = (2010, 2015, 2020)


@pytest.fixture(scope="module")
def three_year_study(tmp_path_factory, qgis_processing):
    import processing
    from carbon_spacetime.algorithms.provider import CarbonProvider
    from carbon_spacetime.sampledata import liaoning
    from qgis.core import QgsApplication, QgsProcessingContext, QgsProcessingFeedback, QgsProject

    registry = QgsApplication.processingRegistry()
    if registry.providerById("carbon") is None:
        provider = CarbonProvider()
        registry.addProvider(provider)
        _KEEP.append(provider)
    folder = tmp_path_factory.mktemp("sample3")
    data = liaoning.generate(str(folder), years=YEARS, shrink=6)
    out = tmp_path_factory.mktemp("study3")
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    result = processing.run("carbon:emissionstudy", {
        "YEARS": ",".join(map(str, YEARS)), "INPUT_FOLDER": str(folder), "TOTALS": data["totals"],
        "REGIONS": data["cities"], "REGION_FIELD": "region", "ANALYSIS_CELL_SIZE": 24000.0, "FACTORS": "",
        "OUTPUT_FOLDER": str(out)}, context=context, feedback=QgsProcessingFeedback())
    return out, result


_KEEP = []


def test_emerging_table_map_and_findings(three_year_study, run_alg, tmp_path):
    from qgis.PyQt.QtGui import QImage

    out, result = three_year_study
    report = parse_report(result["OUTPUT_HTML"])
    rows = report.tables["table-emerging"]
    assert rows, "the report has no emerging hot spot table"
    mine = run_alg("emerginghotspots", {
        "RASTERS": [os.path.join(str(out), f"analysis_{y}.tif") for y in YEARS],
        "YEARS": ",".join(map(str, YEARS)), "NEIGHBORHOOD": 3, "TIME_STEPS": 1,
        "OUTPUT_RASTER": str(tmp_path / "ehs.tif")})
    ds = gdal.Open(mine["OUTPUT_RASTER"])
    codes = ds.GetRasterBand(1).ReadAsArray()
    codes = codes[codes != -9999].astype(int)
    expected = {c: int((codes == c).sum()) for c in np.unique(codes)}
    assert {int(_value(r["code"])): int(_value(r["cells"])) for r in rows} == expected
    names = {os.path.basename(img["src"]) for img in report.images}
    assert "emerging_hotspots.png" in names
    image = QImage(os.path.join(str(out), [i["src"] for i in report.images
                                          if i["src"].endswith("emerging_hotspots.png")][0]))
    assert not image.isNull()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 8
    assert os.path.exists(os.path.join(str(out), "emerging_hotspots.tif"))
    assert os.path.exists(os.path.join(str(out), "emerging_hotspots_years.gpkg"))
    with open(os.path.join(str(out), "study_tables.json"), encoding="utf-8") as handle:
        stored = json.load(handle)
    assert stored["emerging"] and stored["emerging_per_year"]
    assert any(f["section"] == "Emerging hot spots" for f in stored["findings"])
