"""carbon:mgwr through Processing, compared with mgwr 2.2.1 on libpysal's Georgia data."""

import json
import subprocess

import _layers
import numpy as np
import pytest
from _georgia import georgia
from conftest import ROOT
from mgwr.gwr import GWR, MGWR  # noqa: E402
from mgwr.sel_bw import Sel_BW  # noqa: E402
from numpy.testing import assert_allclose
from qgis.core import QgsProcessingException, QgsVectorLayer

FIELDS = ("PctFB", "PctBlack", "PctRural")

pytestmark = pytest.mark.usefixtures("one_blas_thread")


def write_points(path, xy, fields, epsg=26917, null_rows=(), layer="georgia"):
    return _layers.write_points(path, xy, fields, epsg, null_rows, layer)


@pytest.fixture(scope="module")
def georgia_raw():
    coords, y, X = georgia(standardise=False)
    return coords, y, X


@pytest.fixture
def georgia_gpkg(tmp_path, georgia_raw):
    coords, y, X = georgia_raw
    fields = {"PctBach": y, **{name: X[:, j] for j, name in enumerate(FIELDS)},
              "year": np.full(len(y), 2020)}
    return write_points(tmp_path / "georgia.gpkg", coords, fields)


def standardised(georgia_raw):
    coords, y, X = georgia_raw
    return coords, (y - y.mean()) / y.std(), (X - X.mean(0)) / X.std(0)


def features(layer):
    return sorted(layer.getFeatures(), key=lambda f: f.id())


def is_null(value):
    return value is None or (hasattr(value, "isNull") and value.isNull())


def column(feats, name):
    return np.array([np.nan if is_null(f[name]) else f[name] for f in feats], dtype=float)


def test_mgwr_defaults_match_mgwr(run_alg, georgia_gpkg, georgia_raw, tmp_path):
    coords, y, X = standardised(georgia_raw)
    selector = Sel_BW(coords, y[:, None], X, multi=True, n_jobs=1)
    bws = selector.search()
    ref = MGWR(coords, y[:, None], X, selector, n_jobs=1).fit()
    html = tmp_path / "report.html"
    out = run_alg("mgwr", {"INPUT": georgia_gpkg, "DEPENDENT": "PctBach", "EXPLANATORY": list(FIELDS),
                           "OUTPUT": "memory:", "OUTPUT_SUMMARY": "memory:", "OUTPUT_HTML": str(html)})
    feats = features(out["OUTPUT"])
    names = ["Intercept", *FIELDS]
    crit = ref.critical_tval()
    for j, name in enumerate(names):
        assert_allclose(column(feats, f"b_{name}"), ref.params[:, j], atol=1e-5)
        assert_allclose(column(feats, f"se_{name}"), ref.bse[:, j], atol=1e-5)
        assert_allclose(column(feats, f"t_{name}"), ref.tvalues[:, j], atol=1e-5)
        assert np.array_equal(column(feats, f"sig_{name}"), np.abs(ref.tvalues[:, j]) > crit[j])
    assert_allclose(column(feats, "predicted"), ref.predy.ravel(), atol=1e-8)
    assert_allclose(column(feats, "residual"), ref.resid_response.ravel(), atol=1e-8)
    assert column(feats, "PctBach")[0] == georgia_raw[1][0]  # input fields kept
    assert out["AICC"] == pytest.approx(ref.aicc, abs=1e-3)
    assert out["R2"] == pytest.approx(ref.R2, rel=1e-9)
    assert out["ADJ_R2"] == pytest.approx(ref.adj_R2, rel=1e-9)
    assert out["SIGMA2"] == pytest.approx(ref.sigma2, rel=1e-9)
    summary = list(out["OUTPUT_SUMMARY"].getFeatures())
    assert [f["variable"] for f in summary] == names
    assert_allclose([f["bandwidth"] for f in summary], bws)
    assert_allclose([f["enp"] for f in summary], ref.ENP_j, rtol=1e-8)
    assert_allclose([f["adj_t_crit"] for f in summary], crit, rtol=1e-8)
    assert_allclose([f["max"] for f in summary], ref.params.max(axis=0), atol=1e-6)
    assert_allclose([f["median"] for f in summary], np.median(ref.params, axis=0), atol=1e-6)
    assert_allclose([f["std"] for f in summary], ref.params.std(axis=0), atol=1e-6)
    text = html.read_text()
    assert "VIF" in text and "condition number" in text and "score of change" in text


def test_gwr_by_year_with_nulls(run_alg, tmp_path, georgia_raw):
    coords, y, X = georgia_raw
    n = len(y)
    rng = np.random.default_rng(1)
    y2 = y + rng.normal(scale=2.0, size=n)
    xy = np.vstack([coords, coords])
    fields = {"PctFB": np.concatenate([X[:, 0], X[:, 0]]), "PctBach": np.concatenate([y, y2]),
              "PctBlack": np.concatenate([X[:, 1], X[:, 1]]),
              "PctRural": np.concatenate([X[:, 2], X[:, 2]]),
              "year": np.repeat([2000, 2010], n).astype(np.int64)}
    path = write_points(tmp_path / "two_years.gpkg", xy, fields, null_rows=(5,))
    out = run_alg("mgwr", {"INPUT": path, "DEPENDENT": "PctBach", "EXPLANATORY": list(FIELDS),
                           "MODEL": 1, "TIME_FIELD": "year", "OUTPUT": "memory:",
                           "OUTPUT_SUMMARY": "memory:", "OUTPUT_HTML": ""})
    feats = features(out["OUTPUT"])
    assert len(feats) == 2 * n
    assert is_null(feats[5]["b_PctFB"]) and is_null(feats[5]["localR2"])
    summary = list(out["OUTPUT_SUMMARY"].getFeatures())
    assert [f["year"] for f in summary] == [2000] * 4 + [2010] * 4
    for year, (yy, keep) in {2000: (y, np.arange(n) != 5), 2010: (y2, np.ones(n, bool))}.items():
        c, Xs = coords[keep], X[keep]
        ys = (yy[keep] - yy[keep].mean()) / yy[keep].std()
        Xs = (Xs - Xs.mean(0)) / Xs.std(0)
        bw = Sel_BW(c, ys[:, None], Xs, n_jobs=1).search()
        ref = GWR(c, ys[:, None], Xs, bw, n_jobs=1).fit()
        rows = [f for f in summary if f["year"] == year]
        assert rows[0]["bandwidth"] == bw
        assert_allclose([f["mean"] for f in rows], ref.params.mean(axis=0), atol=1e-8)
        offset = 0 if year == 2000 else n
        got = column(feats[offset:offset + n], "localR2")[keep]
        assert_allclose(got, ref.localR2.ravel(), atol=1e-8)
        assert_allclose(column(feats[offset:offset + n], "t_PctRural")[keep], ref.tvalues[:, 3],
                        atol=1e-6)
    assert out["AICC"] == pytest.approx(ref.aicc, abs=1e-3)  # last year


def test_ols_and_user_bandwidths(run_alg, georgia_gpkg, georgia_raw):
    coords, y, X = standardised(georgia_raw)
    out = run_alg("mgwr", {"INPUT": georgia_gpkg, "DEPENDENT": "PctBach", "EXPLANATORY": list(FIELDS),
                           "MODEL": 2, "OUTPUT": "memory:", "OUTPUT_HTML": ""})
    design = np.column_stack([np.ones(len(y)), X])
    beta = np.linalg.lstsq(design, y, rcond=None)[0]
    feats = features(out["OUTPUT"])
    assert_allclose(column(feats, "b_PctRural"), beta[3], rtol=1e-10)
    out = run_alg("mgwr", {"INPUT": georgia_gpkg, "DEPENDENT": "PctBach", "EXPLANATORY": list(FIELDS),
                           "SEARCH": 2, "BANDWIDTHS": "159, 120,100,80", "OUTPUT": "memory:",
                           "OUTPUT_SUMMARY": "memory:", "OUTPUT_HTML": ""})
    assert [f["bandwidth"] for f in out["OUTPUT_SUMMARY"].getFeatures()] == [159, 120, 100, 80]


@pytest.mark.parametrize("change,message", [
    ({"EXPLANATORY": ["PctFB", "constant"]}, "'constant' is constant"),
    ({"EXPLANATORY": ["PctFB", "PctBlack", "combo"]}, "perfectly collinear"),
    ({"BANDWIDTH_TYPE": 1, "INPUT": "geographic"}, "projected CRS"),
    ({"SEARCH": 1}, "INTERVAL_STEP"),
    ({"SEARCH": 2, "BANDWIDTHS": "50,50"}, "needs 1 or 3 values"),
    ({"MODEL": 1, "SEARCH": 2, "BANDWIDTHS": "2"}, "singular.*at least"),
    ({"MODEL": 1, "SEARCH": 2, "BANDWIDTHS": "4"}, "too small.*at least"),
    ({"INPUT": "tiny"}, "too few"),
])
def test_bad_input_is_explained(run_alg, tmp_path, georgia_raw, change, message):
    coords, y, X = georgia_raw
    n = len(y)
    fields = {"PctBach": y, "PctFB": X[:, 0], "PctBlack": X[:, 1], "constant": np.full(n, 2.0),
              "combo": X[:, 0] - 2 * X[:, 1]}
    inputs = {
        "default": write_points(tmp_path / "a.gpkg", coords, fields),
        "geographic": write_points(tmp_path / "b.gpkg", coords / 1e4 - [0, 300], fields, epsg=4326),
        "tiny": write_points(tmp_path / "c.gpkg", coords[:5], {k: v[:5] for k, v in fields.items()}),
    }
    params = {"INPUT": inputs["default"], "DEPENDENT": "PctBach", "EXPLANATORY": ["PctFB", "PctBlack"],
              "OUTPUT": "memory:", "OUTPUT_HTML": ""}
    params.update(change)
    params["INPUT"] = inputs.get(params["INPUT"], params["INPUT"])
    with pytest.raises(QgsProcessingException, match=message):
        run_alg("mgwr", params)


def test_coefficient_style_greys_non_significant(qgis_app):
    from carbon_spacetime.algorithms import _styles
    from qgis.core import QgsExpressionContext, QgsExpressionContextUtils, QgsFeature, QgsRenderContext

    layer = QgsVectorLayer("Point?crs=EPSG:3857&field=b_x:double&field=sig_x:integer", "c", "memory")
    provider = layer.dataProvider()
    for b, s in ((2.0, 1), (-1.0, 1), (0.5, 0)):
        f = QgsFeature(layer.fields())
        f.setAttributes([b, s])
        provider.addFeature(f)
    _styles.apply(layer, "coefficients", term="x")  # the one coefficient style (tools and study)
    renderer = layer.renderer()
    context = QgsRenderContext()
    context.setExpressionContext(QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer)))
    renderer.startRender(context, layer.fields())
    colours = []
    for f in layer.getFeatures():
        context.expressionContext().setFeature(f)
        symbols = renderer.symbolsForFeature(f, context)
        assert len(symbols) == 1
        colours.append(symbols[0].color().name())
    renderer.stopRender(context)
    assert colours[2] == "#e6e6e6"  # not significant: the one grey of every map
    assert colours[0] != colours[1] and "#c8c8c8" not in colours[:2]


def test_coefficient_classes_cover_the_significant_locations_only(qgis_app):
    """A class holding only not-significant (grey) locations would be a legend entry with no
    colour on the map: the classes come from the significant coefficients."""
    from carbon_spacetime.algorithms import _styles
    from qgis.core import QgsFeature

    def labels(rows):
        layer = QgsVectorLayer("Point?crs=EPSG:3857&field=b_x:double&field=sig_x:integer", "c", "memory")
        for b, s in rows:
            f = QgsFeature(layer.fields())
            f.setAttributes([b, s])
            layer.dataProvider().addFeature(f)
        _styles.apply(layer, "coefficients", term="x")
        return [r.label() for r in layer.renderer().rootRule().children()]

    mixed = labels([(-0.42, 1), (-0.3, 1), (-0.05, 1), (0.12, 0), (0.3, 0)])
    assert mixed[-1] == "Not significant"
    assert all(label.startswith("-") for label in mixed[:-1]), mixed  # no class above 0
    assert labels([(0.2, 0), (-0.1, 0)]) == ["Not significant"]  # nothing significant
    both = labels([(-0.4, 1), (0.3, 1), (0.1, 0)])[:-1]  # both signs significant: both kept
    assert both[0] == "-0.42 to -0.28" and both[-1] == "0.28 to 0.42", both


def test_mgwr_through_qgis_process(georgia_gpkg, georgia_raw, tmp_path):
    coords, y, X = standardised(georgia_raw)
    ref = GWR(coords, y[:, None], X, 117, n_jobs=1).fit()
    out = tmp_path / "gwr.gpkg"
    cmd = [str(ROOT / "tools" / "qgis_process.sh"), "--json", "run", "carbon:mgwr", "--",
           f"INPUT={georgia_gpkg}", "DEPENDENT=PctBach", "EXPLANATORY=PctFB", "EXPLANATORY=PctBlack",
           "EXPLANATORY=PctRural", "MODEL=1", f"OUTPUT={out}", "OUTPUT_SUMMARY=TEMPORARY_OUTPUT",
           "OUTPUT_HTML="]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(done.stdout[done.stdout.index("{"):])["results"]
    assert results["AICC"] == pytest.approx(ref.aicc, abs=1e-3)
    layer = QgsVectorLayer(str(out), "gwr", "ogr")
    feats = features(layer)
    assert_allclose(column(feats, "b_PctBlack"), ref.params[:, 2], atol=1e-5)
    assert_allclose(column(feats, "localR2"), ref.localR2.ravel(), atol=1e-8)


def test_coefficients_qml_loads_on_polygons(qgis_app):
    from carbon_spacetime.algorithms._styles import LayerStyle
    from qgis.core import QgsExpressionContextUtils, QgsFeature, QgsGeometry

    layer = QgsVectorLayer("Polygon?crs=EPSG:3857&field=b_PctFB:double&field=sig_PctFB:integer",
                           "p", "memory")
    f = QgsFeature(layer.fields())
    f.setAttributes([1.5, 1])
    f.setGeometry(QgsGeometry.fromWkt("POLYGON((0 0,1 0,1 1,0 1,0 0))"))
    layer.dataProvider().addFeature(f)

    class Feedback:
        def reportError(self, message):  # noqa: N802 - QGIS API
            raise AssertionError(message)

    LayerStyle("coefficients", "coefficients", {"term": "PctFB"}).postProcessLayer(layer, None, Feedback())
    # Loaded results get a class legend (rule-based) ...
    assert layer.renderer().type() == "RuleRenderer"
    assert QgsExpressionContextUtils.layerScope(layer).variable("coefficient_term") == "PctFB"
    # ... and the shipped .qml still colours any term through the layer variable.
    message, ok = layer.loadNamedStyle(str(ROOT / "resources" / "styles" / "coefficients.qml"))
    assert ok, message
    assert layer.renderer().type() == "singleSymbol"
    prop = layer.renderer().symbol().symbolLayer(0).dataDefinedProperties().property(3)
    assert prop.isActive() and "coefficient_term" in prop.expressionString()
    assert layer.name() == "coefficients"


def test_too_little_memory_is_explained(run_alg, georgia_gpkg, tmp_path, monkeypatch):
    """Refused up front when the tables cannot fit; a MemoryError mid-run becomes a clear
    message and leaves no output file."""
    from carbon_spacetime.algorithms import regression

    params = {"INPUT": georgia_gpkg, "DEPENDENT": "PctBach", "EXPLANATORY": list(FIELDS),
              "OUTPUT": str(tmp_path / "out.gpkg"), "OUTPUT_HTML": ""}
    monkeypatch.setattr(regression, "_available_memory", lambda: 2 ** 28)
    with pytest.raises(QgsProcessingException, match=r"159 locations needs at least 1\.4 GiB.*Close other"):
        run_alg("mgwr", params)

    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(regression, "_available_memory", lambda: None)
    monkeypatch.setattr(regression, "fit_mgwr", exhausted)
    with pytest.raises(QgsProcessingException, match="ran out of memory.*no output was written"):
        run_alg("mgwr", params)
    assert not (tmp_path / "out.gpkg").exists()


def test_output_rows_follow_the_fields_and_write_null_for_not_finite_values():
    """One list per location, in the order of the output fields; NaN and inf become NULL,
    significance stays an integer."""
    from types import SimpleNamespace

    from carbon_spacetime.algorithms.regression import _attribute_rows

    params = np.array([[1.0, 2.0], [3.0, 4.0]])
    bse = np.array([[0.5, np.inf], [0.25, 0.5]])
    res = SimpleNamespace(params=params, bse=bse, tvalues=params / bse,
                          significant=np.array([[True, False], [True, True]]),
                          predy=np.array([5.0, 6.0]), resid=np.array([0.1, -0.1]),
                          std_resid=np.array([np.nan, 1.5]), local_r2=np.array([0.3, 0.4]))
    rows = _attribute_rows(res, 2, local_r2=True)
    assert rows[0] == [1.0, 0.5, 2.0, 1, 2.0, None, 0.0, 0, 5.0, 0.1, None, 0.3]
    assert rows[1] == [3.0, 0.25, 12.0, 1, 4.0, 0.5, 8.0, 1, 6.0, -0.1, 1.5, 0.4]
    assert all(type(row[3]) is int and type(row[0]) is float for row in rows)
    assert len(_attribute_rows(res, 2, local_r2=False)[1]) == 11
