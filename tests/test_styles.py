"""The one style house (algorithms/_styles): every result kind styled through the one registry.

Each kind is queued as QGIS does for "Open output file after running" (``style_on_load`` on a
processing context), the post-processor is found again in the load details, survives the
loss of every other reference and its clone (QGIS copies load details) styles a layer the
same way. The palettes agree with the shipped ``.qml`` styles.
"""

import gc
import re
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal, gdal_array
from qgis.core import (
    QgsFeature,
    QgsGeometry,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsRasterLayer,
    QgsVectorLayer,
)

ROOT = Path(__file__).resolve().parent.parent
STYLES = ROOT / "resources" / "styles"


def _raster(path, values):
    """A one-band GeoTIFF of ``values`` (1 km cells, EPSG:3857)."""
    values = np.asarray(values, np.float32)
    rows, cols = values.shape
    gdal.Translate(str(path), gdal_array.OpenArray(values), outputSRS="EPSG:3857",
                   outputBounds=[0, 1000 * rows, 1000 * cols, 0])
    return str(path)


def _vector(geometry, fields, rows):
    """A memory layer: ``fields`` "name:type" and one (wkt, attributes) per feature."""
    uri = f"{geometry}?crs=EPSG:3857&" + "&".join(f"field={f}" for f in fields)
    layer = QgsVectorLayer(uri, "result", "memory")
    features = []
    for wkt, attributes in rows:
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromWkt(wkt))
        feature.setAttributes(list(attributes))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def _square(i):
    return f"POLYGON(({i} 0,{i + 1} 0,{i + 1} 1,{i} 1,{i} 0))"


def _layers(tmp_path):
    """(kind, options, layer factory, what the renderer should be) for every result kind."""
    years = [2000, 2010, 2020]
    return [
        ("emission_categories", {}, lambda: QgsRasterLayer(_raster(tmp_path / "c.tif", [[0, 1], [2, 3]]), "r"),
         "paletted"),
        ("emissions", {"stops": [0.0, 1.0, 3.0, 6.0]},
         lambda: QgsRasterLayer(_raster(tmp_path / "e.tif", [[0, 1], [3, 6]]), "r"), "singlebandpseudocolor"),
        ("emission_classes", {"bounds": [1.0, 3.0, 6.0], "unit": "Mt CO2"},
         lambda: QgsRasterLayer(_raster(tmp_path / "k.tif", [[0, 1], [3, 6]]), "r"), "singlebandpseudocolor"),
        ("hotspots", {}, lambda: _vector("Polygon", ["Gi_Bin:integer"], [(_square(b), [b]) for b in range(-3, 4)]),
         "categorizedSymbol"),
        ("hotspots", {}, lambda: _vector("Point", ["Gi_Bin:integer"], [("POINT(0 0)", [2])]), "categorizedSymbol"),
        ("hotspots", {}, lambda: QgsRasterLayer(_raster(tmp_path / "h.tif", [[-3, 0], [2, 3]]), "r"), "paletted"),
        ("local_moran", {}, lambda: _vector("Polygon", ["COType:string"], [(_square(0), ["HH"])]),
         "categorizedSymbol"),
        ("local_moran", {}, lambda: QgsRasterLayer(_raster(tmp_path / "m.tif", [[1, 0], [2, 4]]), "r"), "paletted"),
        ("emerging_hotspots", {}, lambda: _vector("LineString", ["PATTERN_CODE:integer"],
                                                  [("LINESTRING(0 0,1 1)", [3])]), "categorizedSymbol"),
        ("emerging_hotspots", {}, lambda: QgsRasterLayer(_raster(tmp_path / "p.tif", [[1, 0], [3, 16]]), "r"),
         "paletted"),
        ("centres", {"years": years}, lambda: _vector("Point", ["year:integer"],
                                                      [(f"POINT({i} 0)", [y]) for i, y in enumerate(years)]),
         "categorizedSymbol"),
        ("ellipses", {}, lambda: _vector("Polygon", ["year:integer"], [(_square(i), [y]) for i, y in enumerate(years)]),
         "categorizedSymbol"),
        ("trajectory", {}, lambda: _vector("LineString", ["from_year:string", "to_year:string"],
                                           [("LINESTRING(0 0,1 1)", ["2000", "2010"])]), "singleSymbol"),
        ("coefficients", {"term": "x"}, lambda: _vector("Polygon", ["b_x:double", "sig_x:integer"],
                                                        [(_square(0), [-0.4, 1]), (_square(1), [0.9, 1]),
                                                         (_square(2), [0.1, 0])]), "RuleRenderer"),
    ]


def _legend(layer):
    renderer = layer.renderer()
    if isinstance(layer, QgsRasterLayer):
        return [label for label, _ in renderer.legendSymbologyItems()]
    return [item.label() for item in renderer.legendSymbolItems()]


def test_every_result_kind_is_styled_through_the_one_registry(qgis_app, tmp_path):
    from carbon_spacetime.algorithms import _styles

    cases = _layers(tmp_path)
    assert {kind for kind, *_ in cases} == set(_styles.STYLES)  # every kind of the registry is tried
    project = QgsProject()
    context = QgsProcessingContext()
    context.setProject(project)
    feedback = QgsProcessingFeedback()
    for n, (kind, options, make, renderer_type) in enumerate(cases):
        dest = str(tmp_path / f"output_{n}")
        context.addLayerToLoadOnCompletion(dest, QgsProcessingContext.LayerDetails("out", project, "out"))
        _styles.style_on_load(context, dest, kind, f"{kind} {n}", **options)
        processor = context.layerToLoadOnCompletionDetails(dest).postProcessor()
        assert processor is _styles._KEEP_ALIVE[dest], kind  # the one keep-alive registry
        copy = processor.clone()
        assert isinstance(copy, _styles.LayerStyle) and copy is not processor
        assert (copy.kind, copy.name, copy.options) == (kind, f"{kind} {n}", options)
        del processor
        gc.collect()
        # QGIS holds a raw pointer only: the registry keeps the processor alive after processAlgorithm
        loaded = make()
        assert loaded.isValid(), kind
        context.layerToLoadOnCompletionDetails(dest).postProcessor().postProcessLayer(loaded, context, feedback)
        assert loaded.renderer().type() == renderer_type, (kind, loaded.renderer().type())
        assert loaded.name() == f"{kind} {n}"
        again = make()
        copy.postProcessLayer(again, context, feedback)
        assert _legend(again) == _legend(loaded), kind
        # the report maps use the same function: the same legend
        mapped = make()
        _styles.apply(mapped, kind, **options)
        assert _legend(mapped) == _legend(loaded), kind


def test_unknown_kind_and_style_errors_do_not_lose_the_result(qgis_app):
    from carbon_spacetime.algorithms import _styles

    with pytest.raises(KeyError):
        _styles.LayerStyle("no such kind")
    messages = []

    class Feedback:
        def reportError(self, message, fatal=False):  # noqa: N802 - QGIS API
            messages.append(message)

    layer = _vector("Point", ["x:integer"], [("POINT(0 0)", [1])])
    # coefficients of a term the layer lacks: reported, the layer is still named
    _styles.LayerStyle("coefficients", "named", {"term": 1}).postProcessLayer(layer, None, Feedback())
    assert layer.name() == "named"
    assert messages and "named" in messages[0]


def test_tools_queue_their_results_through_the_registry(carbon_provider, tmp_path):
    """A tool run as with "Open output file after running": its output's processor is a LayerStyle."""
    import processing
    from carbon_spacetime.algorithms import _styles
    from qgis.core import QgsProcessingOutputLayerDefinition

    project = QgsProject()
    context = QgsProcessingContext()
    context.setProject(project)
    points = _vector("Point", ["year:integer", "co2:double"],
                     [(f"POINT({x} {y})", [2000 + 10 * (i % 2), 1.0 + i]) for i, (x, y) in
                      enumerate([(0, 0), (3, 1), (1, 4), (5, 5), (2, 2), (4, 0), (6, 3), (1, 6)])])
    out = QgsProcessingOutputLayerDefinition(str(tmp_path / "ellipses.gpkg"), project)
    result = processing.run("carbon:directionaldistribution",
                            {"INPUT": points, "WEIGHT_FIELD": "co2", "TIME_FIELD": "year", "OUTPUT": out},
                            context=context, feedback=QgsProcessingFeedback())
    processor = context.layerToLoadOnCompletionDetails(result["OUTPUT"]).postProcessor()
    assert isinstance(processor, _styles.LayerStyle) and processor.kind == "ellipses"
    # the one registry keeps it (a clone, made when the staged output moved into place)
    assert _styles._KEEP_ALIVE[result["OUTPUT"]] is processor


def _qml_colours(name):
    """{category value or palette value: colour} of a shipped style."""
    text = (STYLES / f"{name}.qml").read_text(encoding="utf-8")
    colours = {}
    for entry in re.findall(r"<paletteEntry[^>]*>", text):
        value = re.search(r'value="([^"]*)"', entry).group(1)
        colours[value] = re.search(r'color="(#[0-9a-fA-F]{6})"', entry).group(1).lower()
    for tag in re.findall(r"<category [^>]*>", text):
        value = re.search(r'value="([^"]*)"', tag).group(1)
        symbol = re.search(r'symbol="(\d+)"', tag).group(1)
        block = re.search(rf'<symbol[^>]*name="{symbol}".*?</symbol>', text, re.S).group(0)
        prop = re.search(r'<prop (?:v="([\d,]+)" k="(?:line_)?color"|k="(?:line_)?color" v="([\d,]+)")', block)
        rgb = (prop.group(1) or prop.group(2)).split(",")[:3]
        colours[value] = "#" + "".join(f"{int(c):02x}" for c in rgb)
    return colours


@pytest.mark.parametrize("name", ["hotspots", "hotspots_points", "hotspots_lines", "hotspots_raster"])
def test_hot_spot_palette_is_the_one_of_the_shipped_styles(name):
    from carbon_spacetime.algorithms._styles.palettes import HOTSPOT_CLASSES

    colours = _qml_colours(name)
    for value, colour, _ in HOTSPOT_CLASSES:
        assert colours[str(value)] == colour, (name, value)


@pytest.mark.parametrize("name", ["emerging_hotspots", "emerging_hotspots_points", "emerging_hotspots_lines",
                                  "emerging_hotspots_raster"])
def test_emerging_palette_is_the_one_of_the_shipped_styles(name):
    from carbon_spacetime.algorithms._styles.palettes import EMERGING_PATTERNS

    colours = _qml_colours(name)
    for code, _, colour in EMERGING_PATTERNS:
        assert colours[str(code)] == colour, (name, code)
