"""Legends and labels of the loaded results: what an analyst reads in the Layers panel."""

import re
from pathlib import Path

import numpy as np
import pytest
from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFeature,
    QgsGeometry,
    QgsMarkerLineSymbolLayer,
    QgsPointXY,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingOutputLayerDefinition,
    QgsProject,
    QgsRuleBasedRenderer,
    QgsVectorLayer,
)

ROOT = Path(__file__).resolve().parent.parent
YEARS = (2000, 2005, 2010)


def yearly_points():
    rng = np.random.default_rng(7)
    xy, years, weights = [], [], []
    for k, year in enumerate(YEARS):
        pts = rng.normal([500000 - 2000 * k, 4500000 - 1000 * k], [3000, 1500], size=(12, 2))
        xy.extend(pts)
        years.extend([year] * len(pts))
        weights.extend(rng.uniform(1, 5, len(pts)))
    layer = QgsVectorLayer("Point?crs=EPSG:32651&field=year:integer&field=co2:double", "pts", "memory")
    feats = []
    for (x, y), year, w in zip(xy, years, weights):
        f = QgsFeature(layer.fields())
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(float(x), float(y))))
        f.setAttributes([year, float(w)])
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def run_and_load(alg_id, params, outputs, tmp_path):
    """Run like the dialog with "Open output file after running": returns the loaded, styled layers."""
    import processing

    project = QgsProject.instance()
    context = QgsProcessingContext()
    context.setProject(project)
    feedback = QgsProcessingFeedback()
    tmp_path.mkdir(parents=True, exist_ok=True)
    for key in outputs:
        params[key] = QgsProcessingOutputLayerDefinition(str(tmp_path / f"{key}.gpkg"), project)
    result = processing.run(f"carbon:{alg_id}", params, context=context, feedback=feedback)
    layers = {}
    for key in outputs:
        dest = result[key]
        assert context.willLoadLayerOnCompletion(dest)
        details = context.layerToLoadOnCompletionDetails(dest)
        layer = QgsVectorLayer(dest, details.name, "ogr")
        assert layer.isValid()
        if details.postProcessor() is not None:
            details.postProcessor().postProcessLayer(layer, context, feedback)
        layers[key] = layer
    return layers


def legend_labels(layer):
    renderer = layer.renderer()
    return [item.label() for item in renderer.legendSymbolItems()]


def test_standalone_ellipses_and_centres_are_categorised_by_year(carbon_provider, tmp_path):
    points = yearly_points()
    ellipses = run_and_load("directionaldistribution", {"INPUT": points, "WEIGHT_FIELD": "co2",
                                                         "TIME_FIELD": "year"}, ["OUTPUT"], tmp_path)["OUTPUT"]
    assert isinstance(ellipses.renderer(), QgsCategorizedSymbolRenderer)
    assert ellipses.renderer().classAttribute() == "year"
    assert legend_labels(ellipses) == [f"Ellipse {y}" for y in YEARS]
    colours = {item.symbol().symbolLayer(0).strokeColor().name() for item in ellipses.renderer().legendSymbolItems()}
    assert len(colours) == len(YEARS)
    assert not ellipses.labelsEnabled()  # year labels crowd on near-identical ellipses

    loaded = run_and_load("meancentertrajectory", {"INPUT": points, "WEIGHT_FIELD": "co2", "TIME_FIELD": "year"},
                          ["OUTPUT_CENTERS", "OUTPUT_TRAJECTORY"], tmp_path / "c")
    centres = loaded["OUTPUT_CENTERS"]
    assert isinstance(centres.renderer(), QgsCategorizedSymbolRenderer)
    assert legend_labels(centres) == [f"Centre {y}" for y in YEARS]
    settings = centres.labeling().settings()
    assert centres.labelsEnabled() and not settings.displayAll  # no overprinted "20020010"
    # Every shift shows its arrowhead: a marker half-way along the line, not under the next centre.
    symbol = loaded["OUTPUT_TRAJECTORY"].renderer().symbol()
    heads = [sl for sl in symbol.symbolLayers() if isinstance(sl, QgsMarkerLineSymbolLayer)]
    from carbon_spacetime.algorithms._compat import has_central_marker

    assert heads and has_central_marker(heads[0])


def test_mgwr_coefficients_have_a_class_legend_naming_the_term(carbon_provider, tmp_path):
    rng = np.random.default_rng(3)
    n = 60
    xy = rng.uniform(0, 100000, size=(n, 2))
    x1 = rng.normal(size=n)
    y = 1.0 + (0.5 + xy[:, 0] / 100000) * x1 + rng.normal(scale=0.3, size=n)
    layer = QgsVectorLayer("Point?crs=EPSG:32651&field=emissions:double&field=population:double", "p", "memory")
    feats = []
    for (px, py), yi, xi in zip(xy, y, x1):
        f = QgsFeature(layer.fields())
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(float(px), float(py))))
        f.setAttributes([float(yi), float(xi)])
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    out = run_and_load("mgwr", {"INPUT": layer, "DEPENDENT": "emissions", "EXPLANATORY": ["population"],
                                "MODEL": 1, "OUTPUT_HTML": ""}, ["OUTPUT"], tmp_path)["OUTPUT"]
    assert "population" in out.name()
    assert isinstance(out.renderer(), QgsRuleBasedRenderer)
    labels = legend_labels(out)
    assert len(labels) >= 2
    assert all(not re.search(r"e-\d", label) for label in labels), labels
    for item in out.renderer().legendSymbolItems():
        assert item.symbol() is not None


def test_coefficient_class_breaks_are_rounded_and_centred_on_zero():
    from carbon_spacetime.core.legend import symmetric_class_bounds as coefficient_bounds

    values = np.array([-0.123456, -0.01, 0.02, 0.0987])
    bounds = coefficient_bounds(values)
    edges = sorted({e for _, a, b in bounds for e in (a, b)})
    assert 0.0 in edges  # exactly 0, not -5.55e-17
    step = edges[1] - edges[0]
    assert step == pytest.approx(float(f"{step:.2g}"), rel=1e-9)  # a round class width
    assert np.allclose(np.diff(edges), step, rtol=1e-9)
    for e in edges:  # multiples of that width, without float noise
        assert e == float(f"{e:.6g}")
    assert edges[0] <= values.min() and edges[-1] >= values.max()


def test_not_significant_is_one_colour_everywhere():
    from carbon_spacetime.algorithms._styles import palettes

    colour = palettes.NOT_SIGNIFICANT_COLOUR.lower()
    rgb = ",".join(str(int(colour[i:i + 2], 16)) for i in (1, 3, 5))
    assert dict((v, c) for v, c, _ in palettes.HOTSPOT_CLASSES)[0] == colour
    styles = ROOT / "resources" / "styles"
    for name in ("hotspots", "hotspots_points", "hotspots_lines", "local_moran", "local_moran_points",
                 "local_moran_lines"):
        text = (styles / f"{name}.qml").read_text(encoding="utf-8")
        symbol = re.search(r'label="Not significant"[^>]*symbol="(\d+)"', text).group(1)
        block = re.search(rf'<symbol[^>]*name="{symbol}".*?</symbol>', text, re.S).group(0)
        assert f'"{rgb},255"' in block, name
    for name in ("hotspots_raster", "local_moran_raster"):
        text = (styles / f"{name}.qml").read_text(encoding="utf-8")
        assert re.search(rf'label="Not significant"[^>]*color="{colour}"', text, re.I), name


def test_study_layers_latest_year_on_and_points_above_rasters(qgis_app):
    from carbon_spacetime.algorithms._styles import LayerStyle, Placement

    project = QgsProject()
    context = QgsProcessingContext()
    context.setProject(project)
    feedback = QgsProcessingFeedback()

    def load(name, group, visible=True, rank=None):
        layer = QgsVectorLayer("Point?crs=EPSG:32651&field=year:integer", name, "memory")
        project.addMapLayer(layer)
        LayerStyle("centres", name, place=Placement(tuple(group), visible, rank)).postProcessLayer(
            layer, context, feedback)

    # in the order QGIS might load them: centres before the trajectory, the years in between
    load("Mean centres", ["Emission study"], rank=0)
    for year in (2000, 2010, 2020):
        load(f"Emissions {year}", ["Emission study", str(year)], visible=year == 2020)
    load("Centre trajectory", ["Emission study"], rank=1)
    load("Standard deviational ellipses", ["Emission study"], rank=2)
    root = project.layerTreeRoot().findGroup("Emission study")
    names = [child.name() for child in root.children()]
    assert names == ["Mean centres", "Centre trajectory", "Standard deviational ellipses", "2000", "2010", "2020"]
    assert [root.findGroup(str(y)).itemVisibilityChecked() for y in (2000, 2010, 2020)] == [False, False, True]
