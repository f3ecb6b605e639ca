"""Bad-input matrix (issue #11): every algorithm x bad inputs and bad output locations.

Each case runs through ``processing.run`` and must end in a ``QgsProcessingException``
naming the real cause (regex on its message), or in a run whose warning says what
happened; never a traceback, NaN/inf/all-NULL where a number is promised, a file at an
output path after a refusal, or a changed input. ``tools/bad_input_matrix.py`` runs this
file and prints the count per defect class. The kill tests (qgis_process, SIGTERM /
SIGKILL / SIGINT mid-run) are in ``test_kill_matrix.py``.
"""

import math
import os
import shutil
import stat

import pytest
from _matrix import Case, build_inputs, run_case

pytestmark = pytest.mark.timeout(60)

RO = r"not writable|cannot be created"
RAS = {"FIELD": None, "NEIGHBORHOOD": 3}
CLUSTERING = ("globalmoransi", "generalg", "hotspots", "localmoran")
VECTOR = CLUSTERING + ("meancentertrajectory", "directionaldistribution", "mgwr")


def _p(out, name):
    return os.path.join(out, name)


def base_params(alg, d, out):
    """Valid parameters of ``alg``: every output goes to a file in ``out``."""
    if alg == "landusecategories":
        return {"INPUT": d["lu"], "OUTPUT": _p(out, "cat.tif")}
    if alg == "downscale":
        return {"LANDUSE": d["lu"], "LIGHT": d["light"], "POPULATION": d["pop"], "TOTALS": d["totals"],
                "REGIONS": d["regions"], "REGION_FIELD": "region", "YEAR": 2010,
                "OUTPUT": _p(out, "em.tif"), "OUTPUT_REPORT": _p(out, "report.gpkg")}
    if alg == "emissionstatistics":
        return {"RASTERS": [d["ras"], d["ras_2015"]], "YEARS": "2010,2015",
                "OUTPUT": _p(out, "stats.gpkg"), "OUTPUT_HTML": _p(out, "stats.html")}
    if alg == "meancentertrajectory":
        return {"INPUT": d["pts"], "WEIGHT_FIELD": "w", "TIME_FIELD": "year",
                "OUTPUT_CENTERS": _p(out, "centres.gpkg"), "OUTPUT_TRAJECTORY": _p(out, "traj.gpkg")}
    if alg == "directionaldistribution":
        return {"INPUT": d["pts"], "WEIGHT_FIELD": "w", "OUTPUT": _p(out, "ellipse.gpkg")}
    if alg == "globalmoransi":
        return {"INPUT": d["pts"], "FIELD": "v", "NEIGHBORHOOD": 2, "K": 6,
                "OUTPUT_TABLE": _p(out, "moran.gpkg"), "OUTPUT_HTML": _p(out, "moran.html")}
    if alg == "generalg":
        return {"INPUT": d["pts"], "FIELD": "v", "NEIGHBORHOOD": 2, "K": 6, "OUTPUT_HTML": _p(out, "g.html")}
    if alg in ("hotspots", "localmoran"):
        return {"INPUT": d["pts"], "FIELD": "v", "NEIGHBORHOOD": 2, "K": 6,
                "OUTPUT": _p(out, f"{alg}.gpkg"), "OUTPUT_RASTER": _p(out, f"{alg}.tif")}
    if alg == "mgwr":
        return {"INPUT": d["pts"], "DEPENDENT": "y", "EXPLANATORY": ["x1", "x2"], "MODEL": 1,
                "MIN_BANDWIDTH": 10, "MAX_BANDWIDTH": 39,
                "OUTPUT": _p(out, "mgwr.gpkg"), "OUTPUT_SUMMARY": _p(out, "mgwr_summary.gpkg"),
                "OUTPUT_HTML": _p(out, "mgwr.html")}
    raise KeyError(alg)


DESTINATIONS = {
    "landusecategories": ["OUTPUT"],
    "downscale": ["OUTPUT", "OUTPUT_REPORT"],
    "emissionstatistics": ["OUTPUT", "OUTPUT_HTML"],
    "meancentertrajectory": ["OUTPUT_CENTERS", "OUTPUT_TRAJECTORY"],
    "directionaldistribution": ["OUTPUT"],
    "globalmoransi": ["OUTPUT_TABLE", "OUTPUT_HTML"],
    "generalg": ["OUTPUT_HTML"],
    "hotspots": ["OUTPUT"],
    "localmoran": ["OUTPUT"],
    "mgwr": ["OUTPUT", "OUTPUT_SUMMARY", "OUTPUT_HTML"],
}
RASTER_INPUT = {"hotspots": "OUTPUT_RASTER", "localmoran": "OUTPUT_RASTER"}


def with_(alg, **changes):
    def build(d, out):
        params = base_params(alg, d, out)
        for key, value in changes.items():
            if callable(value):
                value = value(d, out)
            elif isinstance(value, str) and value.startswith("@"):
                value = d[value[1:]]
            if value is None:
                params.pop(key, None)
            else:
                params[key] = value
        return params
    return build


# ------------------------------------------------------------------------- checks

def _layer(value):
    from qgis.core import QgsVectorLayer

    return QgsVectorLayer(value, "o", "ogr") if isinstance(value, str) else value


def _all_null(key, fields):
    def check(results, d):
        from _matrix import all_null_columns

        bad = all_null_columns(results[key], fields)
        return f"{key}: all NULL in {bad}" if bad else None
    return check


def _ellipse_axes(results, d):
    rows = [f for f in _layer(results["OUTPUT"]).getFeatures()]
    return rows[0]


def _antimeridian_ellipse(results, d):
    """Same points shifted by 180 degrees of longitude must give the same ellipse axes."""
    import processing

    ref = processing.run("carbon:directionaldistribution",
                         {"INPUT": d["pts_am_ref"], "WEIGHT_FIELD": "w", "OUTPUT": "memory:"})["OUTPUT"]
    a = next(_layer(results["OUTPUT"]).getFeatures())
    b = next(ref.getFeatures())
    for name in ("SemiMajor", "SemiMinor", "MajorAxis", "MinorAxis", "StdDistX", "StdDistY"):
        if a.fields().lookupField(name) >= 0:
            if not math.isclose(float(a[name]), float(b[name]), rel_tol=1e-3):
                return f"{name}: {a[name]} across the antimeridian, {b[name]} away from it"
    return None


def _antimeridian_centre(results, d):
    for f in _layer(results["OUTPUT_CENTERS"]).getFeatures():
        x = f.geometry().asPoint().x()
        if abs(x) < 179.0:
            return f"mean centre at longitude {x:.3f}, not near 180"
    return None


def _bandwidth_positive(results, d):
    for f in _layer(results["OUTPUT_SUMMARY"]).getFeatures():
        for name in f.fields().names():
            if "bandwidth" in name.lower() and f[name] is not None and float(f[name]) <= 0:
                return f"{name} = {f[name]}"
    return None


def _finite_results(key, names):
    def check(results, d):
        bad = _all_null(key, names)(results, d)
        if bad:
            return bad
        for f in _layer(results[key]).getFeatures():
            for name in names:
                if f.fields().lookupField(name) >= 0 and f[name] is not None:
                    if not math.isfinite(float(f[name])):
                        return f"{key}.{name} = {f[name]}"
        return None
    return check


# -------------------------------------------------------------------------- cases

def _vector_field_cases(alg, field, noun, empty, null, missing=None):
    """What every tool reading a numeric field of a vector layer refuses: an empty layer, a layer without
    a CRS, a ``field`` of nulls or of text and (with a ``missing`` pattern) a field that does not exist."""
    cases = [
        Case(alg, "empty-layer", with_(alg, INPUT="@pts_empty"), ("error", empty)),
        Case(alg, "undefined-crs", with_(alg, INPUT="@pts_undefined"), ("error", r"coordinate reference system|CRS")),
        Case(alg, f"all-null-{noun}", with_(alg, INPUT="@pts_null"), ("error", null)),
        Case(alg, f"text-{noun}", with_(alg, **{field: "label"}), ("error", r"not numeric")),
    ]
    if missing:
        cases.append(Case(alg, "missing-field", with_(alg, **{field: "nosuch"}), ("error", missing)))
    return cases


def _clustering_cases():
    cases = []
    for alg in CLUSTERING:
        e = lambda rx: ("error", rx)  # noqa: E731
        cases += _vector_field_cases(alg, "FIELD", "field", r"no (usable )?feature|empty|at least",
                                     r"null|no (usable )?feature", r"nosuch|does not exist|field")
        cases += [
            Case(alg, "two-points", with_(alg, INPUT="@pts_two"), e(r"at least|too few|only 2")),
            Case(alg, "identical-points", with_(alg, INPUT="@pts_same"), e(r"same location")),
            Case(alg, "duplicated-locations", with_(alg, INPUT="@pts_dup"), ("warn", r"tie|duplicat")),
            Case(alg, "constant-values", with_(alg, INPUT="@pts_const"), e(r"constant|same value|no variation|"
                                                                           r"variance")),
            Case(alg, "knn-k0", with_(alg, K=0), e(r"neighbour|K\b|at least")),
            Case(alg, "distance-negative", with_(alg, NEIGHBORHOOD=0, DISTANCE=-5),
                 e(r"distance|positive|greater")),
            Case(alg, "raster-all-nodata", with_(alg, INPUT="@ras_nodata", **RAS),
                 e(r"no ?data|no valid|no cell|empty")),
            Case(alg, "raster-constant", with_(alg, INPUT="@ras_const", **RAS),
                 e(r"constant|same value|no variation|variance")),
            Case(alg, "raster-one-cell", with_(alg, INPUT="@ras_one", **RAS), e(r"at least|cell|too few")),
            Case(alg, "raster-bad-band", with_(alg, INPUT="@ras", **RAS, BAND=5), e(r"band")),
            Case(alg, "antimeridian", with_(alg, INPUT="@pts_antimeridian"), ("ok", None)),
            Case(alg, "islands-distance-band", with_(alg, NEIGHBORHOOD=0, DISTANCE=1.0),
                 e(r"no neighbour|island|distance")),
        ]
    fields = {"hotspots": ["GiZScore", "GiPValue"], "localmoran": ["LMiIndex", "LMiZScore", "LMiPValue"]}
    for alg in ("hotspots", "localmoran"):
        cases.append(Case(alg, "huge-values", with_(alg, INPUT="@pts_huge"), ("ok", None),
                          _finite_results("OUTPUT", fields[alg])))
        cases.append(Case(alg, "raster-huge-values", with_(alg, INPUT="@ras_huge", **RAS), ("ok", None)))
        cases.append(Case(alg, "raster-ok", with_(alg, INPUT="@ras", **RAS), ("ok", None)))
    cases.append(Case("globalmoransi", "huge-values", with_("globalmoransi", INPUT="@pts_huge"), ("ok", None),
                      lambda r, d: None if all(isinstance(r.get(k), float) for k in ("MORANS_I", "Z_SCORE"))
                      else f"I/z missing or not numbers: {r}"))
    cases.append(Case("generalg", "huge-values", with_("generalg", INPUT="@pts_huge"), ("ok", None)))
    cases.append(Case("globalmoransi", "raster-huge-values", with_("globalmoransi", INPUT="@ras_huge", **RAS),
                      ("ok", None)))
    cases.append(Case("generalg", "raster-huge-values", with_("generalg", INPUT="@ras_huge", **RAS),
                      ("ok", None)))
    return cases


def _distribution_cases():
    cases = []
    for alg in ("meancentertrajectory", "directionaldistribution"):
        e = lambda rx: ("error", rx)  # noqa: E731
        cases += _vector_field_cases(alg, "WEIGHT_FIELD", "weights", r"no usable feature|empty", r"null|no usable",
                                     r"nosuch|does not exist")
        cases += [
            Case(alg, "negative-weights", with_(alg, INPUT="@pts_neg"), e(r"negative")),
            Case(alg, "huge-weights", with_(alg, INPUT="@pts_huge"), ("ok", None)),
            Case(alg, "duplicated-locations", with_(alg, INPUT="@pts_dup"), ("ok", None)),
            Case(alg, "raster-all-nodata", with_(alg, INPUT=None, WEIGHT_FIELD=None, TIME_FIELD=None,
                                                 RASTERS=lambda d, o: [d["ras_nodata"]], YEARS="2010"),
                 e(r"no ?data|no valid|no usable|no cell")),
        ]
    cases += [
        Case("directionaldistribution", "identical-points", with_("directionaldistribution", INPUT="@pts_same"),
             ("error", r"same location|at least 3|distinct")),
        Case("directionaldistribution", "two-points", with_("directionaldistribution", INPUT="@pts_two"),
             ("error", r"at least 3")),
        Case("directionaldistribution", "antimeridian",
             with_("directionaldistribution", INPUT="@pts_antimeridian"), ("ok", None), _antimeridian_ellipse),
        Case("meancentertrajectory", "antimeridian", with_("meancentertrajectory", INPUT="@pts_antimeridian"),
             ("ok", None), _antimeridian_centre),
        Case("meancentertrajectory", "huge-weight-sum", with_("meancentertrajectory", INPUT="@pts_huge"),
             ("ok", None), _finite_results("OUTPUT_CENTERS", ["weight_sum", "XCoord", "YCoord"])),
    ]
    return cases


def _mgwr_cases():
    alg = "mgwr"
    e = lambda rx: ("error", rx)  # noqa: E731
    m = dict(MODEL=0)
    return _vector_field_cases(alg, "DEPENDENT", "dependent", r"empty", r"null|no usable") + [
        Case(alg, "user-bandwidth-negative", with_(alg, SEARCH=2, BANDWIDTHS="-5", **m), e(r"bandwidth")),
        Case(alg, "user-bandwidth-zero", with_(alg, SEARCH=2, BANDWIDTHS="0", **m), e(r"bandwidth")),
        Case(alg, "user-bandwidth-fraction", with_(alg, SEARCH=2, BANDWIDTHS="10.5", **m), e(r"bandwidth|integer")),
        Case(alg, "user-bandwidth-too-large", with_(alg, SEARCH=2, BANDWIDTHS="4000", **m), e(r"bandwidth")),
        Case(alg, "user-bandwidth-too-small", with_(alg, SEARCH=2, BANDWIDTHS="2", **m), e(r"bandwidth")),
        Case(alg, "user-bandwidth-fixed-negative", with_(alg, SEARCH=2, BANDWIDTHS="-100", BANDWIDTH_TYPE=1, **m),
             e(r"bandwidth")),
        Case(alg, "user-bandwidth-text", with_(alg, SEARCH=2, BANDWIDTHS="abc", **m), e(r"bandwidth")),
        Case(alg, "user-bandwidth-count", with_(alg, SEARCH=2, BANDWIDTHS="10,12", **m), e(r"bandwidth")),
        Case(alg, "gwr-user-bandwidth-negative", with_(alg, SEARCH=2, BANDWIDTHS="-5", MODEL=1), e(r"bandwidth")),
        Case(alg, "interval-step-tiny", with_(alg, SEARCH=1, INTERVAL_STEP=1e-9, MIN_BANDWIDTH=10,
                                              MAX_BANDWIDTH=30),
             e(r"step|too many")),
        Case(alg, "interval-min-above-max", with_(alg, SEARCH=1, INTERVAL_STEP=1, MIN_BANDWIDTH=30,
                                                  MAX_BANDWIDTH=10), e(r"minimum|maximum|bandwidth")),
        Case(alg, "text-explanatory", with_(alg, EXPLANATORY=["x1", "label"]), e(r"not numeric")),
        Case(alg, "dependent-in-explanatory", with_(alg, EXPLANATORY=["y", "x1"]), e(r"dependent|collinear")),
        Case(alg, "collinear", with_(alg, EXPLANATORY=["x1", "x1"]), e(r"collinear|twice|duplicate")),
        Case(alg, "constant-dependent", with_(alg, INPUT="@pts_const"), e(r"constant|variance|no variation")),
        Case(alg, "huge-values", with_(alg, INPUT="@pts_huge", MODEL=2), e(r"too large")),
        Case(alg, "huge-values-gwr", with_(alg, INPUT="@pts_huge"), e(r"too large")),
        Case(alg, "identical-points", with_(alg, INPUT="@pts_same"), e(r"same location|distinct")),
        Case(alg, "two-points", with_(alg, INPUT="@pts_two"), e(r"at least|too few|observations")),
    ]


def _downscale_cases():
    alg = "downscale"
    e = lambda rx: ("error", rx)  # noqa: E731
    return [
        Case(alg, "landuse-all-nodata", with_(alg, LANDUSE="@lu_nodata"), e(r"no ?data|unplaced|not placed")),
        Case(alg, "light-all-nodata", with_(alg, LIGHT="@light_nodata"), ("warn", r"population|area")),
        Case(alg, "population-all-nodata", with_(alg, POPULATION="@pop_nodata"), ("warn", r"area|population")),
        Case(alg, "totals-huge", with_(alg, TOTALS="@totals_huge"), e(r"too large")),
        Case(alg, "totals-duplicate-rows", with_(alg, TOTALS="@totals_dup"), ("warn", r"duplicate.*West")),
        Case(alg, "totals-fraction-year", with_(alg, TOTALS="@totals_frac", YEAR=2010), e(r"year.*2010\.7|integer")),
        Case(alg, "totals-negative", with_(alg, TOTALS="@totals_neg"), e(r"negative")),
        Case(alg, "totals-text", with_(alg, TOTALS="@totals_text"), e(r"lots|number|numeric")),
        Case(alg, "totals-empty", with_(alg, TOTALS="@totals_empty"), e(r"no row|empty|no total")),
        Case(alg, "totals-not-csv", with_(alg, TOTALS="@not_a_csv"), e(r"could not load|csv|column|table|read")),
        Case(alg, "year-missing", with_(alg, YEAR=1990), e(r"1990")),
        Case(alg, "region-field-missing", with_(alg, REGION_FIELD="nosuch"), e(r"nosuch|field")),
        Case(alg, "cell-size-tiny", with_(alg, CELL_SIZE=0.01), e(r"cell size|CELL_SIZE|memory|GiB|cells")),
        Case(alg, "cell-size-negative", with_(alg, CELL_SIZE=-5), e(r"cell size|CELL_SIZE|positive|greater")),
        Case(alg, "ok", with_(alg), ("ok", None)),
    ]


def _statistics_cases():
    alg = "emissionstatistics"
    e = lambda rx: ("error", rx)  # noqa: E731
    return [
        Case(alg, "all-nodata-year", with_(alg, RASTERS=lambda d, o: [d["ras"], d["ras_nodata"]]),
             ("warn", r"no data")),
        Case(alg, "huge-values", with_(alg, RASTERS=lambda d, o: [d["ras_huge"], d["ras_huge"]]), ("ok", None),
             _finite_results("OUTPUT", ["total", "mean", "std"])),
        Case(alg, "years-count-mismatch", with_(alg, YEARS="2010"), e(r"year")),
        Case(alg, "years-fraction", with_(alg, YEARS="2010.5,2015"), e(r"year|integer|2010\.5")),
        Case(alg, "years-text", with_(alg, YEARS="a,b"), e(r"year")),
        Case(alg, "no-rasters", with_(alg, RASTERS=lambda d, o: []), e(r"raster|input|no ")),
        Case(alg, "vector-text-field", with_(alg, RASTERS=None, YEARS=None, INPUT="@pts", VALUE_FIELD="label",
                                             TIME_FIELD="year"), e(r"not numeric")),
        Case(alg, "vector-null-values", with_(alg, RASTERS=None, YEARS=None, INPUT="@pts_null", VALUE_FIELD="v",
                                              TIME_FIELD="year"), e(r"null|no usable|no value")),
        Case(alg, "vector-huge", with_(alg, RASTERS=None, YEARS=None, INPUT="@pts_huge", VALUE_FIELD="v",
                                       TIME_FIELD="year"), ("ok", None)),
    ]


def _landuse_cases():
    alg = "landusecategories"
    e = lambda rx: ("error", rx)  # noqa: E731
    return [
        Case(alg, "all-nodata", with_(alg, INPUT="@lu_nodata"), ("warn", r"no ?data|no valid|no cell")),
        Case(alg, "float-raster", with_(alg, INPUT="@ras"), ("warn", r"unknown|not .*class|code")),
        Case(alg, "missing-reclass-table", with_(alg, SCHEME=1, RECLASS_TABLE="/nonexistent/table.csv"),
             e(r"table|file|reclass")),
        Case(alg, "ok", with_(alg), ("ok", None)),
    ]


def _output_location_cases():
    cases = []
    for alg, keys in DESTINATIONS.items():
        for key in keys:
            def under_file(d, out, key=key, alg=alg):
                blocker = os.path.join(out, "blocker.txt")
                with open(blocker, "w") as handle:
                    handle.write("x")
                return os.path.join(blocker, os.path.basename(base_params(alg, d, out)[key]))

            def is_dir(d, out, key=key, alg=alg):
                path = base_params(alg, d, out)[key]
                os.makedirs(path, exist_ok=True)
                return path

            def read_only(d, out, key=key, alg=alg):
                return _ro(out, os.path.basename(base_params(alg, d, out)[key]))

            def missing(d, out, key=key, alg=alg):
                return os.path.join(out, "new", "sub", os.path.basename(base_params(alg, d, out)[key]))

            cases += [
                Case(alg, f"{key}-under-a-file", with_(alg, **{key: under_file}), ("error", r"is a file")),
                Case(alg, f"{key}-is-a-folder", with_(alg, **{key: is_dir}), ("error", r"is a folder")),
                Case(alg, f"{key}-read-only-folder", with_(alg, **{key: read_only}), ("error", RO)),
                Case(alg, f"{key}-missing-folder", with_(alg, **{key: missing}), ("ok", None)),
            ]
    for alg, key in RASTER_INPUT.items():
        cases.append(Case(alg, f"{key}-read-only-folder",
                          with_(alg, INPUT="@ras", **RAS,
                                **{key: lambda d, out: _ro(out, "r.tif")}), ("error", RO)))
    return cases


def _ro(out, name):
    if os.geteuid() == 0:  # root writes anywhere but in /proc
        return os.path.join("/proc", "carbon-readonly", name)
    folder = os.path.join(out, "readonly")
    os.makedirs(folder, exist_ok=True)
    os.chmod(folder, stat.S_IRUSR | stat.S_IXUSR)
    return os.path.join(folder, name)


def _refusal_cases():
    """A refusal after outputs were opened leaves nothing: one failing late case per tool."""
    return [
        Case("directionaldistribution", "refused-leaves-nothing", with_("directionaldistribution",
                                                                        INPUT="@pts_two"), ("error", r"at least 3")),
        Case("downscale", "report-refused-leaves-no-raster",
             with_("downscale", OUTPUT_REPORT=lambda d, o: _ro(o, "r.gpkg")), ("error", RO)),
        Case("emissionstatistics", "html-refused-leaves-no-table",
             with_("emissionstatistics", OUTPUT_HTML=lambda d, o: _ro(o, "s.html")), ("error", RO)),
        Case("mgwr", "html-refused-leaves-no-table",
             with_("mgwr", OUTPUT_HTML=lambda d, o: _ro(o, "m.html")), ("error", RO)),
    ]


def _more_cases():
    """Partly-null inputs, features without geometry, geographic layers, K too large, raster inputs."""
    cases = []
    e = lambda rx: ("error", rx)  # noqa: E731
    for alg in VECTOR:
        cases.append(Case(alg, "some-null-values", with_(alg, INPUT="@pts_somenull", MAX_BANDWIDTH=30),
                          ("warn", r"null")))
        cases.append(Case(alg, "no-geometry", with_(alg, INPUT="@pts_nogeom"),
                          e(r"geometry|no usable|no feature|at least|empty")))
    for alg in CLUSTERING:
        cases.append(Case(alg, "k-too-large", with_(alg, K=100), e(r"K = 100|neighbours")))
        cases.append(Case(alg, "geographic-distance-band", with_(alg, INPUT="@pts_geo", NEIGHBORHOOD=0,
                                                                 DISTANCE=0.01), e(r"geographic|degrees|project")))
        cases.append(Case(alg, "geographic-knn", with_(alg, INPUT="@pts_geo"), ("ok", None)))
    for alg in ("meancentertrajectory", "directionaldistribution"):
        rasters = dict(INPUT=None, WEIGHT_FIELD=None, TIME_FIELD=None, YEARS="2010,2015")
        cases.append(Case(alg, "rasters-ok", with_(alg, RASTERS=lambda d, o: [d["ras"], d["ras_2015"]], **rasters),
                          ("ok", None)))
        cases.append(Case(alg, "rasters-negative", with_(alg, RASTERS=lambda d, o: [d["ras_neg"]],
                                                         **dict(rasters, YEARS="2010")), e(r"negative")))
        cases.append(Case(alg, "rasters-huge", with_(alg, RASTERS=lambda d, o: [d["ras_huge"], d["ras_2015"]],
                                                     **rasters), ("ok", None)))
        cases.append(Case(alg, "rasters-and-features", with_(alg, RASTERS=lambda d, o: [d["ras"]]),
                          e(r"either|not both")))
        cases.append(Case(alg, "rasters-years-repeat", with_(alg, RASTERS=lambda d, o: [d["ras"], d["ras_2015"]],
                                                             **dict(rasters, YEARS="2010,2010")), e(r"repeat")))
    cases += [
        Case("mgwr", "missing-explanatory", with_("mgwr", EXPLANATORY=["x1", "nosuch"]), e(r"nosuch|does not exist")),
        Case("mgwr", "geographic-fixed-bandwidth", with_("mgwr", INPUT="@pts_geo", BANDWIDTH_TYPE=1),
             e(r"projected|degrees")),
        Case("mgwr", "min-bandwidth-negative", with_("mgwr", MIN_BANDWIDTH=-5, BANDWIDTH_TYPE=1),
             e(r"positive|MIN_BANDWIDTH")),
        Case("globalmoransi", "time-field", with_("globalmoransi", TIME_FIELD="year"), ("ok", None)),
        Case("downscale", "landuse-geographic-no-cell-size", with_("downscale", LANDUSE="@lu_geo"),
             e(r"geographic|CELL_SIZE")),
        Case("downscale", "cell-size-huge", with_("downscale", CELL_SIZE=1e7), e(r"no data|CELL_SIZE")),
        Case("landusecategories", "custom-table-not-a-table", with_("landusecategories", SCHEME=1,
                                                                    RECLASS_TABLE="@ras"),
             e(r"could not load|table|column|reclass")),
    ]
    return cases


def _existing_output_cases():
    """A refused run leaves an older file at the output path untouched (byte-identical)."""
    bad = {"landusecategories": dict(INPUT="@lu", SCHEME=1, RECLASS_TABLE="@totals"),
           "downscale": dict(YEAR=1990), "emissionstatistics": dict(YEARS="2010"),
           "meancentertrajectory": dict(INPUT="@pts_neg"), "directionaldistribution": dict(INPUT="@pts_two"),
           "globalmoransi": dict(FIELD="label"), "generalg": dict(FIELD="label"), "hotspots": dict(FIELD="label"),
           "localmoran": dict(FIELD="label"), "mgwr": dict(SEARCH=2, BANDWIDTHS="-5", MODEL=0)}
    cases = []
    for alg, keys in DESTINATIONS.items():
        for key in keys:
            def old_file(d, out, key=key, alg=alg):
                path = base_params(alg, d, out)[key]
                with open(path, "wb") as handle:
                    handle.write(b"an older result the user keeps")
                return path
            cases.append(Case(alg, f"{key}-older-file-kept-on-refusal", with_(alg, **bad[alg], **{key: old_file}),
                              ("error", r".")))
    return cases


_STALE = []


def _stale_cases():
    """Staging left by a killed run (its process is gone) is removed by the next run into the folder."""
    cases = []
    for alg, keys in DESTINATIONS.items():
        def stale(d, out, key=keys[0], alg=alg):
            path = os.path.join(out, ".carbon-part-999999999-0123456789ab")
            os.makedirs(path)
            with open(os.path.join(path, "half.gpkg"), "wb") as handle:
                handle.write(b"half-written")
            _STALE[:] = [path]
            return base_params(alg, d, out)[key]

        def gone(results, d):
            return f"stale staging not removed: {_STALE}" if any(os.path.exists(p) for p in _STALE) else None

        cases.append(Case(alg, "stale-staging-cleaned", with_(alg, **{keys[0]: stale}), ("ok", None), gone))
    return cases


def _study_cases():
    alg = "emissionstudy"
    e = lambda rx: ("error", rx)  # noqa: E731

    def file_as_folder(d, out):
        path = os.path.join(out, "study.txt")
        with open(path, "w") as handle:
            handle.write("x")
        return path

    def study(**changes):
        def build(d, out):
            params = {"YEARS": "2015,2020", "INPUT_FOLDER": d["study"]["folder"], "TOTALS": d["study"]["totals"],
                      "REGIONS": d["study"]["cities"], "REGION_FIELD": "region", "ANALYSIS_CELL_SIZE": 25000.0,
                      "OUTPUT_FOLDER": os.path.join(out, "study")}
            for key, value in changes.items():
                params[key] = value(d, out) if callable(value) else value
            return params
        return build

    return [
        Case(alg, "analysis-cell-size-zero", study(ANALYSIS_CELL_SIZE=0), e(r"ANALYSIS_CELL_SIZE.*cells")),
        Case(alg, "analysis-cell-size-tiny", study(ANALYSIS_CELL_SIZE=1), e(r"ANALYSIS_CELL_SIZE.*cells")),
        Case(alg, "output-folder-is-a-file", study(OUTPUT_FOLDER=file_as_folder), e(r"is a file")),
        Case(alg, "output-folder-read-only", study(OUTPUT_FOLDER=lambda d, o: os.path.dirname(_ro(o, "x"))), e(RO)),
        Case(alg, "html-read-only", study(OUTPUT_HTML=lambda d, o: _ro(o, "r.html")), e(RO)),
        Case(alg, "years-text", study(YEARS="abc"), e(r"year")),
        Case(alg, "years-without-inputs", study(YEARS="1990"), e(r"1990")),
        Case(alg, "input-folder-missing", study(INPUT_FOLDER="/nonexistent/folder"), e(r"folder|not found|exist")),
        Case(alg, "unknown-factor", study(FACTORS="nosuch"), e(r"nosuch")),
        Case(alg, "totals-fraction-year", study(TOTALS=lambda d, o: d["totals_frac"]), e(r"2010\.7|whole|year")),
    ]


CASES = (_clustering_cases() + _distribution_cases() + _mgwr_cases() + _downscale_cases() + _statistics_cases()
         + _landuse_cases() + _output_location_cases() + _refusal_cases() + _more_cases()
         + _existing_output_cases() + _study_cases() + _stale_cases())


@pytest.fixture(scope="module")
def matrix_inputs(tmp_path_factory):
    from carbon_spacetime.sampledata import liaoning

    folder = tmp_path_factory.mktemp("matrix_inputs")
    data = build_inputs(str(folder))
    study = tmp_path_factory.mktemp("matrix_study")
    generated = liaoning.generate(str(study), years=(2015, 2020), shrink=5)
    data["study"] = {"folder": str(study), "totals": generated["totals"], "cities": generated["cities"]}
    return data


@pytest.fixture
def out_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    yield str(out)
    for root, dirs, _files in os.walk(out):
        for name in dirs:
            os.chmod(os.path.join(root, name), stat.S_IRWXU)
    shutil.rmtree(out, ignore_errors=True)


def test_matrix_has_enough_cases():
    assert len(CASES) >= 300
    assert {c.alg for c in CASES} >= {"landusecategories", "downscale", "emissionstatistics", "meancentertrajectory",
                                      "directionaldistribution", "globalmoransi", "generalg", "hotspots",
                                      "localmoran", "mgwr"}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case, matrix_inputs, out_folder, run_alg):
    def run(alg, params, feedback):
        return run_alg(alg, params, feedback=feedback)

    classes, detail = run_case(case, matrix_inputs, out_folder, run)
    assert not classes, f"MATRIX-DEFECT classes={','.join(sorted(classes))} :: {detail}"
