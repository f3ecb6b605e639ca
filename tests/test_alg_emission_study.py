"""``carbon:emissionstudy``: the report's tables equal the individual algorithms' outputs.

The end-to-end tests need the algorithms it chains (downscaling, statistics,
distribution, clustering, MGWR) and the sample dataset; a missing one is a failure.
"""

import html.parser
import json
import math
import os
import subprocess

import numpy as np
import pytest
from conftest import ROOT
from numpy.testing import assert_allclose
from osgeo import gdal

YEARS = (2015, 2020)
SHRINK = 5
CELL = 25000.0
_KEEP = []


def _unregistered_children(provider):
    """The child algorithms of the study (its own list) that ``provider`` does not register."""
    from carbon_spacetime.algorithms.study.algorithm import CHILD_ALGORITHMS

    ids = {a.name() for a in provider.algorithms()}
    assert "emerginghotspots" in CHILD_ALGORITHMS and "mgwr" in CHILD_ALGORITHMS
    return [a for a in CHILD_ALGORITHMS if a not in ids]


def _sample_module():
    from carbon_spacetime.sampledata import liaoning

    return liaoning


@pytest.fixture
def chain_ready(carbon_provider):
    missing = _unregistered_children(carbon_provider)
    assert not missing, f"the study chains algorithms that are not registered: {missing}"
    return True


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    liaoning = _sample_module()
    folder = tmp_path_factory.mktemp("sample")
    return folder, liaoning.generate(str(folder), years=YEARS, shrink=SHRINK)


def study_params(sample, out):
    folder, data = sample
    return {
        "YEARS": ",".join(str(y) for y in YEARS),
        "INPUT_FOLDER": str(folder),
        "TOTALS": data["totals"],
        "REGIONS": data["cities"],
        "REGION_FIELD": "region",
        "ANALYSIS_CELL_SIZE": CELL,
        "OUTPUT_FOLDER": str(out),
    }


class _Tables(html.parser.HTMLParser):
    """Tables of the report: {table id: [{column key: data-value}]}."""

    def __init__(self):
        super().__init__()
        self.tables, self.images = {}, []
        self._table = self._keys = self._row = None
        self._col = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table, self._keys = attrs.get("id"), []
            self.tables[self._table] = []
        elif tag == "th" and self._table:
            self._keys.append(attrs.get("data-key"))
        elif tag == "tr" and self._table:
            self._row, self._col = {}, 0
        elif tag == "td" and self._row is not None:
            self._row[self._keys[self._col]] = attrs.get("data-value")
            self._col += 1
        elif tag == "img":
            self.images.append(attrs)

    def handle_endtag(self, tag):
        if tag == "tr" and self._row:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None


def parse_report(path):
    parser = _Tables()
    with open(path, encoding="utf-8") as handle:
        parser.feed(handle.read())
    return parser


def _value(text):
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return text.strip("'")


def _rows(layer_path):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(layer_path, "t", "ogr")
    assert layer.isValid(), layer_path
    names = [f.name() for f in layer.fields() if f.name() != "fid"]

    def plain(value):
        return None if value is None or (hasattr(value, "isNull") and value.isNull()) else value

    return [{n: plain(f[n]) for n in names} for f in layer.getFeatures()]


def assert_rows_equal(report_rows, alg_rows, keys, sort_key):
    assert len(report_rows) == len(alg_rows)
    report_rows = sorted(report_rows, key=lambda r: _value(r[sort_key]))
    alg_rows = sorted(alg_rows, key=lambda r: r[sort_key])
    for got, want in zip(report_rows, alg_rows):
        for key in keys:
            expected = want[key]
            value = _value(got.get(key))
            if expected is None or (isinstance(expected, float) and math.isnan(expected)):
                assert value is None, key
            elif isinstance(expected, str):
                assert value == expected, key
            else:
                assert_allclose(value, float(expected), rtol=1e-12, atol=0, err_msg=key)


def _raster(path):
    ds = gdal.Open(path)
    band = ds.GetRasterBand(1)
    data = band.ReadAsArray().astype(float)
    if band.GetNoDataValue() is not None:
        data[data == band.GetNoDataValue()] = np.nan
    return data


@pytest.fixture(scope="module")
def study_run(tmp_path_factory, sample, qgis_processing):
    """One study run shared by the comparisons (it is the slow part)."""
    from carbon_spacetime.algorithms.provider import CarbonProvider
    from qgis.core import QgsApplication, QgsProcessingContext, QgsProcessingFeedback, QgsProject

    registry = QgsApplication.processingRegistry()
    if registry.providerById("carbon") is None:
        # keep the Python object alive: a collected provider loses its algorithms' Python side
        _KEEP.append(CarbonProvider())
        registry.addProvider(_KEEP[-1])
    assert not _unregistered_children(registry.providerById("carbon")), (
        "the study chains algorithms that are not registered")
    import processing

    out = tmp_path_factory.mktemp("study")
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    result = processing.run(
        "carbon:emissionstudy", study_params(sample, out), context=context, feedback=QgsProcessingFeedback()
    )
    return out, result, context


def test_report_tables_equal_individual_algorithms(chain_ready, study_run, run_alg, sample, tmp_path):
    out, result, _ = study_run

    def tmp(name):
        return str(tmp_path / name)

    report = result["OUTPUT_HTML"]
    assert report == os.path.join(str(out), "report.html")
    tables = parse_report(report).tables
    folder, data = sample
    rasters = [os.path.join(str(out), f"emissions_{y}.tif") for y in YEARS]
    years = ",".join(str(y) for y in YEARS)

    # downscaling: rerunning carbon:downscale for a year gives the same grid
    again = run_alg(
        "downscale",
        {
            "LANDUSE": data["landuse"][YEARS[-1]],
            "LIGHT": data["light"][YEARS[-1]],
            "POPULATION": data["population"][YEARS[-1]],
            "TOTALS": data["totals"],
            "REGIONS": data["cities"],
            "REGION_FIELD": "region",
            "YEAR": YEARS[-1],
            "OUTPUT": tmp("again.tif"),
        },
    )
    assert_allclose(_raster(again["OUTPUT"]), _raster(rasters[-1]), rtol=0, atol=0, equal_nan=True)

    stats = run_alg("emissionstatistics", {"RASTERS": rasters, "YEARS": years, "OUTPUT": tmp("stats.gpkg")})
    assert_rows_equal(
        tables["table-statistics"],
        _rows(stats["OUTPUT"]),
        ["year", "total", "peak", "mean", "std", "cells", "growth", "growth_pct"],
        "year",
    )

    centre = run_alg(
        "meancentertrajectory",
        {
            "RASTERS": rasters,
            "YEARS": years,
            "OUTPUT_CENTERS": tmp("centres.gpkg"),
            "OUTPUT_TRAJECTORY": tmp("trajectory.gpkg"),
        },
    )
    assert_rows_equal(
        tables["table-centres"],
        _rows(centre["OUTPUT_CENTERS"]),
        ["year", "XCoord", "YCoord", "weight_sum"],
        "year",
    )
    assert_rows_equal(
        tables["table-trajectory"],
        _rows(centre["OUTPUT_TRAJECTORY"]),
        ["from_year", "to_year", "dist_km", "bearing", "direction", "km_per_year"],
        "from_year",
    )

    ellipses = run_alg(
        "directionaldistribution", {"RASTERS": rasters, "YEARS": years, "OUTPUT": tmp("ellipses.gpkg")}
    )
    assert_rows_equal(
        tables["table-ellipses"],
        _rows(ellipses["OUTPUT"]),
        [
            "year",
            "CenterX",
            "CenterY",
            "XStdDist",
            "YStdDist",
            "Rotation",
            "major_km",
            "minor_km",
            "major_bearing",
            "area_km2",
        ],
        "year",
    )

    moran_rows = sorted(tables["table-moran"], key=lambda r: _value(r["year"]))
    hot_rows = sorted(tables["table-hotspots"], key=lambda r: _value(r["year"]))
    for year, moran_row, hot_row in zip(YEARS, moran_rows, hot_rows):
        grid = os.path.join(str(out), f"analysis_{year}.gpkg")
        moran = run_alg("globalmoransi", {"INPUT": grid, "FIELD": "emissions", "NEIGHBORHOOD": 3})
        for key, out_key in (
            ("morans_i", "MORANS_I"),
            ("expected_i", "EXPECTED_I"),
            ("variance", "VARIANCE"),
            ("z_score", "Z_SCORE"),
            ("p_value", "P_VALUE"),
        ):
            assert_allclose(_value(moran_row[key]), moran[out_key], rtol=1e-12, err_msg=key)
        hot = run_alg(
            "hotspots",
            {"INPUT": grid, "FIELD": "emissions", "NEIGHBORHOOD": 3, "OUTPUT": tmp(f"hot_{year}.gpkg")},
        )
        bins = [int(f["Gi_Bin"]) for f in _rows(hot["OUTPUT"])]
        for b in range(-3, 4):
            assert _value(hot_row[f"bin_{b}"]) == bins.count(b)

        # the analysis grid holds the emission grid's mass (up to float32 storage)
        coarse = _raster(os.path.join(str(out), f"analysis_{year}.tif"))
        assert_allclose(
            np.nansum(coarse), np.nansum(_raster(os.path.join(str(out), f"emissions_{year}.tif"))), rtol=1e-5
        )

    factors = ["urbanisation", "energy_structure", "agpp", "electricity", "real_gdp"]
    mgwr_rows = tables["table-mgwr"]
    for year in YEARS:
        grid = os.path.join(str(out), f"analysis_{year}.gpkg")
        mgwr = run_alg(
            "mgwr",
            {
                "INPUT": grid,
                "DEPENDENT": "emissions",
                "EXPLANATORY": factors,
                "OUTPUT": tmp(f"mgwr_{year}.gpkg"),
                "OUTPUT_SUMMARY": tmp(f"summary_{year}.gpkg"),
            },
        )
        mine = [r for r in mgwr_rows if _value(r["year"]) == year]
        assert_rows_equal(
            mine, _rows(mgwr["OUTPUT_SUMMARY"]), ["variable", "bandwidth", "max", "min", "mean"], "variable"
        )
        diag = [r for r in tables["table-mgwr-diagnostics"] if _value(r["year"]) == year][0]
        assert_allclose(_value(diag["AICC"]), mgwr["AICC"], rtol=1e-12)
        assert_allclose(_value(diag["R2"]), mgwr["R2"], rtol=1e-12)

    # geographical detector on the same grid and factors, optimal discretisation
    geo_rows = tables["table-geodetector"]
    inter_rows = tables["table-geodetector-interactions"]
    for year in YEARS:
        grid = os.path.join(str(out), f"analysis_{year}.gpkg")
        geo = run_alg("geodetector", {"INPUT": grid, "DEPENDENT": "emissions", "EXPLANATORY": factors,
                                      "OPTIMAL": True, "OUTPUT_FACTORS": tmp(f"gd_{year}.gpkg"),
                                      "OUTPUT_INTERACTIONS": tmp(f"gdi_{year}.gpkg"), "OUTPUT_HTML": ""})
        mine = [r for r in geo_rows if _value(r["year"]) == year]
        assert [r["factor"] for r in mine] == factors
        assert_rows_equal(mine, _rows(geo["OUTPUT_FACTORS"]), ["q", "p", "classes"], "factor")
        for r in mine:
            assert_allclose(_value(r["q"]), geo[f"Q_{r['factor']}"], rtol=1e-12)
        assert len([r for r in inter_rows if _value(r["year"]) == year]) == 10

    with open(os.path.join(str(out), "study_tables.json"), encoding="utf-8") as handle:
        stored = json.load(handle)
    assert [r["year"] for r in stored["moran"]] == list(YEARS)
    assert stored["findings"], "the report has no findings"
    assert any("geographical detector ranked" in f["text"] for f in stored["findings"])
    assert len(stored["geodetector"]) == 5 * len(YEARS)


def test_report_maps_are_real_images(chain_ready, study_run):
    from carbon_spacetime.algorithms._report import IMAGE_SIZE
    from qgis.PyQt.QtGui import QImage

    out, result, context = study_run
    parser = parse_report(result["OUTPUT_HTML"])
    expected = (
        {f"emissions_{y}.png" for y in YEARS} | {f"hotspots_{y}.png" for y in YEARS} | {"trajectory.png"}
    )
    names = {os.path.basename(img["src"]) for img in parser.images}
    assert expected <= names
    assert any(n.startswith(f"mgwr_{YEARS[-1]}_") for n in names)
    for img in parser.images:
        path = os.path.join(str(out), img["src"])
        image = QImage(path)
        assert not image.isNull(), path
        assert (image.width(), image.height()) == IMAGE_SIZE
        # not blank: many distinct colours in a coarse sample of pixels
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
        assert len(colours) > 8, path
    # layers to load: grouped by year and styled on completion
    loaded = context.layersToLoadOnCompletion()
    assert any(p.endswith(f"emissions_{YEARS[-1]}.tif") for p in loaded)


def test_cancel_mid_run_leaves_no_files(chain_ready, sample, tmp_path, run_alg):
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    class CancelAtHotSpots(QgsProcessingFeedback):
        """Cancels when the Gi* stage starts, after downscaling, statistics and Moran wrote files."""

        staged = None

        def setProgressText(self, text):
            super().setProgressText(text)
            if text.startswith("Gi* hot spots") and not self.isCanceled():
                self.staged = [f for d, _, files in os.walk(out) for f in files]
                self.cancel()

    out = tmp_path / "cancelled"
    feedback = CancelAtHotSpots()
    with pytest.raises(QgsProcessingException):
        run_alg("emissionstudy", study_params(sample, out), feedback=feedback)
    assert feedback.isCanceled()
    assert any(f.startswith("emissions_") for f in feedback.staged), "cancelled before anything was written"
    leftovers = [os.path.join(d, f) for d, _, files in os.walk(out) for f in files]
    assert leftovers == []
    # The output folder did not exist before the run: the refused run removes it again.
    assert not out.exists() or os.listdir(out) == []


def test_qgis_process_runs_the_study(chain_ready, sample, tmp_path):
    out = tmp_path / "qp"
    # MGWR is compared in-process above; here the headless path, kept short without it.
    params = {**study_params(sample, out), "FACTORS": ""}
    args = [str(ROOT / "tools" / "qgis_process.sh"), "--json", "run", "carbon:emissionstudy", "--"]
    args += [f"{k}={v}" for k, v in params.items()]
    done = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout[done.stdout.index("{") :])["results"]
    assert os.path.exists(results["OUTPUT_HTML"])
    maps = os.listdir(out / "report_maps")
    assert {f"emissions_{y}.png" for y in YEARS} | {f"hotspots_{y}.png" for y in YEARS} <= set(maps)
    assert not [m for m in maps if m.startswith("mgwr_")]
    assert not [f for f in os.listdir(out) if f.startswith(".study-partial")]
