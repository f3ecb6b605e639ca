"""Bad-input matrix (issue #11): inputs, cases and the classification of one run.

Each case is ``Case(alg, name, params, expect, check)``:

- ``params(data, out)`` builds the Processing parameters (``out`` is an empty folder
  for the outputs);
- ``expect`` is ``("error", regex)`` -- a ``QgsProcessingException`` whose message
  matches -- or ``("warn", regex)`` -- a run that succeeds with a matching warning --
  or ``("ok", None)``;
- ``check(results, data)`` optionally returns a text when a promised number is wrong.

:func:`run_case` returns the set of defect classes seen: ``traceback``, ``wrong-cause``,
``silent-number`` (NaN/inf/NULL where a number is promised, or a wrong number),
``left-files`` (a file at an output path or a staging folder after a refusal),
``modified-input`` (an input's checksum changed). A hang is a pytest-timeout failure.
"""

import hashlib
import math
import os
import re
from dataclasses import dataclass

import numpy as np
from osgeo import gdal, ogr, osr

ALBERS = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
TRACEBACK_RE = re.compile(r"Traceback|There were errors executing|Error:|RuntimeError|OSError|"
                          r"FileExistsError|MemoryError|ZeroDivision|KeyError|IndexError|ValueError")


@dataclass
class Case:
    alg: str
    name: str
    params: object
    expect: tuple
    check: object = None

    @property
    def id(self):
        return f"{self.alg}-{self.name}"


# ----------------------------------------------------------------------------- inputs

def _points(path, xy, fields, epsg=32651, srs_undefined=False, text_field=False, no_geometry=False):
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    if isinstance(epsg, str):
        srs.ImportFromProj4(epsg)
    else:
        srs.ImportFromEPSG(epsg)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    lyr = ds.CreateLayer("points", srs, ogr.wkbPoint)
    for name in fields:
        kind = ogr.OFTInteger if name in ("year",) else ogr.OFTReal
        lyr.CreateField(ogr.FieldDefn(name, kind))
    if text_field:
        lyr.CreateField(ogr.FieldDefn("label", ogr.OFTString))
    for i, (x, y) in enumerate(xy):
        f = ogr.Feature(lyr.GetLayerDefn())
        for name, values in fields.items():
            v = values[i]
            if v is None:
                f.SetFieldNull(name)
            elif name == "year":
                f.SetField(name, int(v))
            else:
                f.SetField(name, float(v))
        if text_field:
            f.SetField("label", f"r{i}")
        if not no_geometry:
            g = ogr.Geometry(ogr.wkbPoint)
            g.AddPoint_2D(float(x), float(y))
            f.SetGeometry(g)
        lyr.CreateFeature(f)
    ds = None
    if srs_undefined:
        ds = ogr.Open(str(path), 1)
        ds.ExecuteSQL("UPDATE gpkg_geometry_columns SET srs_id = 0")
        ds.ExecuteSQL("UPDATE gpkg_contents SET srs_id = 0")
        ds = None
    return str(path)


def _tif(path, array, gt=(0.0, 1000.0, 0.0, 20000.0, 0.0, -1000.0), nodata=-9999.0, dtype=gdal.GDT_Float64,
         proj4=ALBERS):
    array = np.asarray(array, dtype=float)
    ds = gdal.GetDriverByName("GTiff").Create(str(path), array.shape[1], array.shape[0], 1, dtype)
    ds.SetGeoTransform(gt)
    srs = osr.SpatialReference()
    srs.ImportFromProj4(proj4)
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    if nodata is not None:
        band.SetNoDataValue(nodata)
    band.WriteArray(np.where(np.isfinite(array), array, nodata if nodata is not None else 0))
    ds = None
    return str(path)


def _csv(path, rows, header=("region", "year", "category", "emissions")):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(",".join(header) + "\n")
        for row in rows:
            handle.write(",".join(str(v) for v in row) + "\n")
    return str(path)


def _regions(path, polygons, proj4=ALBERS):
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromProj4(proj4)
    lyr = ds.CreateLayer("regions", srs, ogr.wkbPolygon)
    lyr.CreateField(ogr.FieldDefn("region", ogr.OFTString))
    for name, (x0, y0, x1, y1) in polygons:
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("region", name)
        f.SetGeometry(ogr.CreateGeometryFromWkt(
            f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"))
        lyr.CreateFeature(f)
    ds = None
    return str(path)


def build_inputs(folder):
    """Write every input of the matrix into ``folder``; return {name: path}."""
    rng = np.random.default_rng(11)
    d = {}
    n = 40
    xy = rng.uniform(0, 50_000, size=(n, 2)) + [500_000, 4_000_000]
    v = rng.gamma(2.0, 5.0, size=n)
    x1 = rng.normal(size=n)
    x2 = rng.normal(size=n)
    y = 1 + 2 * x1 - x2 + rng.normal(scale=0.5, size=n)
    years = np.repeat([2010, 2015], n // 2)
    base = {"v": v, "w": v + 1, "x1": x1, "x2": x2, "y": y, "year": years}
    d["pts"] = _points(os.path.join(folder, "pts.gpkg"), xy, base, text_field=True)
    d["pts_huge"] = _points(os.path.join(folder, "pts_huge.gpkg"), xy,
                            dict(base, v=v * 1e299, w=(v + 1) * 1e299, y=y * 1e299))
    dup_xy = np.repeat(xy[:20], 2, axis=0)
    d["pts_dup"] = _points(os.path.join(folder, "pts_dup.gpkg"), dup_xy, base)
    d["pts_same"] = _points(os.path.join(folder, "pts_same.gpkg"), np.repeat(xy[:1], n, axis=0), base)
    d["pts_null"] = _points(os.path.join(folder, "pts_null.gpkg"), xy,
                            dict(base, v=[None] * n, w=[None] * n, y=[None] * n))
    d["pts_empty"] = _points(os.path.join(folder, "pts_empty.gpkg"), np.empty((0, 2)),
                             {k: [] for k in base})
    some = np.where(np.arange(n) % 5 == 0, None, v).tolist()
    d["pts_somenull"] = _points(os.path.join(folder, "pts_somenull.gpkg"), xy,
                                dict(base, v=some, w=[None if s is None else s + 1 for s in some],
                                     y=[None if s is None else yy for s, yy in zip(some, y)]))
    d["pts_nogeom"] = _points(os.path.join(folder, "pts_nogeom.gpkg"), xy, base, no_geometry=True)
    d["pts_geo"] = _points(os.path.join(folder, "pts_geo.gpkg"),
                           np.column_stack([120 + xy[:, 0] / 1e6, 40 + xy[:, 1] / 1e8]), base, epsg=4326)
    d["ras_neg"] = None  # filled below
    d["pts_two"] = _points(os.path.join(folder, "pts_two.gpkg"), xy[:2], {k: val[:2] for k, val in base.items()})
    d["pts_neg"] = _points(os.path.join(folder, "pts_neg.gpkg"), xy, dict(base, w=-v))
    d["pts_const"] = _points(os.path.join(folder, "pts_const.gpkg"), xy, dict(base, v=np.full(n, 3.0),
                                                                               y=np.full(n, 3.0)))
    lon = np.concatenate([rng.uniform(179.2, 180.0, n // 2), rng.uniform(-180.0, -179.2, n // 2)])
    lat = rng.uniform(-0.4, 0.4, n)
    d["pts_antimeridian"] = _points(os.path.join(folder, "pts_am.gpkg"), np.column_stack([lon, lat]), base,
                                    epsg=4326)
    d["pts_am_ref"] = _points(os.path.join(folder, "pts_am_ref.gpkg"),
                              np.column_stack([np.where(lon < 0, lon + 360.0, lon) - 180.0, lat]), base,
                              epsg=4326)
    d["pts_undefined"] = _points(os.path.join(folder, "pts_undef.gpkg"), np.column_stack([lon * 0 + 120, lat]),
                                 base, srs_undefined=True)
    grid = rng.gamma(2.0, 3.0, size=(20, 20))
    d["ras"] = _tif(os.path.join(folder, "ras.tif"), grid)
    d["ras_2015"] = _tif(os.path.join(folder, "ras_2015.tif"), grid * 1.1)
    d["ras_huge"] = _tif(os.path.join(folder, "ras_huge.tif"), grid * 1e299)
    d["ras_nodata"] = _tif(os.path.join(folder, "ras_nodata.tif"), np.full((20, 20), np.nan))
    d["ras_const"] = _tif(os.path.join(folder, "ras_const.tif"), np.full((20, 20), 2.0))
    d["ras_neg"] = _tif(os.path.join(folder, "ras_neg.tif"), grid - 5.0)
    d["ras_one"] = _tif(os.path.join(folder, "ras_one.tif"), np.full((1, 1), 2.0))
    d["ras_bigcell"] = _tif(os.path.join(folder, "ras_bigcell.tif"), grid, gt=(0, 1e7, 0, 2e8, 0, -1e7))
    # downscaling inputs: 4 x 3 km land use at 1 km, two regions
    gt = (0.0, 1000.0, 0.0, 3000.0, 0.0, -1000.0)
    lu = np.array([[51, 51, 53, 53], [52, 12, 53, 53], [21, 52, 51, 51]], dtype=float)
    d["lu"] = _tif(os.path.join(folder, "lu.tif"), lu, gt, nodata=0, dtype=gdal.GDT_Byte)
    d["lu_nodata"] = _tif(os.path.join(folder, "lu_nodata.tif"), np.zeros((3, 4)), gt, nodata=0,
                          dtype=gdal.GDT_Byte)
    d["light"] = _tif(os.path.join(folder, "light.tif"), np.arange(12.0).reshape(3, 4) + 1, gt)
    d["light_nodata"] = _tif(os.path.join(folder, "light_nodata.tif"), np.full((3, 4), np.nan), gt)
    d["pop"] = _tif(os.path.join(folder, "pop.tif"), np.full((3, 4), 5.0), gt, nodata=-1)
    d["pop_nodata"] = _tif(os.path.join(folder, "pop_nodata.tif"), np.full((3, 4), np.nan), gt, nodata=-1)
    d["regions"] = _regions(os.path.join(folder, "regions.gpkg"),
                            [("West", (0, 0, 2000, 3000)), ("East", (2000, 0, 4000, 3000))])
    rows = [("West", 2010, 1, 8.0), ("West", 2010, 3, 5.0), ("East", 2010, 1, 2.0), ("East", 2010, 2, 9.0)]
    d["totals"] = _csv(os.path.join(folder, "totals.csv"), rows)
    d["totals_huge"] = _csv(os.path.join(folder, "totals_huge.csv"), [r[:3] + (r[3] * 1e299,) for r in rows])
    d["totals_dup"] = _csv(os.path.join(folder, "totals_dup.csv"), rows + [("West", 2010, 1, 1.0)])
    d["totals_frac"] = _csv(os.path.join(folder, "totals_frac.csv"),
                            [("West", "2010.7", 1, 8.0), ("East", "2010.7", 1, 2.0)])
    d["totals_neg"] = _csv(os.path.join(folder, "totals_neg.csv"), [("West", 2010, 1, -8.0)])
    d["totals_text"] = _csv(os.path.join(folder, "totals_text.csv"), [("West", 2010, 1, "lots")])
    d["totals_empty"] = _csv(os.path.join(folder, "totals_empty.csv"), [])
    d["not_a_csv"] = d["ras"]
    d["lu_geo"] = _tif(os.path.join(folder, "lu_geo.tif"), lu, (120.0, 0.01, 0.0, 40.0, 0.0, -0.01), nodata=0,
                       dtype=gdal.GDT_Byte, proj4="+proj=longlat +datum=WGS84 +no_defs")
    return d


# --------------------------------------------------------------------------- helpers

def checksum(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _vector_numbers(layer, fields):
    rows = []
    for f in layer.getFeatures():
        rows.append([f[name] for name in fields])
    return rows


def numbers_of(value, fields=None):
    """Numbers in an output (a layer object or a path): yields (field, value) pairs."""
    from qgis.core import QgsVectorLayer

    layer = value
    if isinstance(value, str):
        if value.lower().endswith((".tif", ".tiff")):
            ds = gdal.Open(value)
            for b in range(1, ds.RasterCount + 1):
                band = ds.GetRasterBand(b)
                arr = band.ReadAsArray().astype(float)
                nd = band.GetNoDataValue()
                if nd is not None:
                    arr = arr[arr != nd]
                for x in arr.ravel()[:5000]:
                    yield f"band{b}", float(x)
            return
        if not value.lower().endswith((".gpkg", ".shp", ".csv")):
            return
        layer = QgsVectorLayer(value, "out", "ogr")
    if not hasattr(layer, "getFeatures") or not layer.isValid():
        return
    names = [f.name() for f in layer.fields() if f.isNumeric()]
    if fields:
        names = [n for n in names if n in fields]
    for f in layer.getFeatures():
        for name in names:
            yield name, f[name]


def all_null_columns(value, fields):
    """Names of ``fields`` that are NULL for every feature of an output layer."""
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(value, "out", "ogr") if isinstance(value, str) else value
    if not hasattr(layer, "getFeatures") or not layer.isValid() or layer.featureCount() == 0:
        return []
    bad = []
    for name in fields:
        if layer.fields().lookupField(name) < 0:
            continue
        values = [f[name] for f in layer.getFeatures()]
        if all(v is None or (hasattr(v, "isNull") and v.isNull()) for v in values):
            bad.append(name)
    return bad


def _is_bad_number(x):
    if x is None or (hasattr(x, "isNull") and x.isNull()):
        return False
    try:
        return not math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def left_files(out):
    """Files left under the output folder (the folder itself may remain)."""
    found = []
    for root, dirs, files in os.walk(out):
        found += [os.path.join(root, f) for f in files if f != "blocker.txt"]
        found += [os.path.join(root, d) for d in dirs if d.startswith(".carbon-part-")]
    return found


def run_case(case, data, out, run):
    """Run one case; return (classes, detail)."""
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    classes, detail = set(), []
    params = case.params(data, out)
    inputs = {}
    for value in _flatten(params.values()):
        if isinstance(value, str) and os.path.isfile(value) and not value.startswith(out):
            inputs[value] = checksum(value)
    messages = []

    class Feedback(QgsProcessingFeedback):
        def pushWarning(self, text):  # noqa: N802
            messages.append(("warning", text))

        def reportError(self, text, fatal=False):  # noqa: N802
            messages.append(("error", text))

        def pushInfo(self, text):  # noqa: N802
            messages.append(("info", text))

    existing = {}
    for root, _dirs, files in os.walk(out):
        for name in files:
            existing[os.path.join(root, name)] = checksum(os.path.join(root, name))
    feedback = Feedback()
    kind, pattern = case.expect
    error = None
    results = None
    try:
        results = run(case.alg, params, feedback)
    except QgsProcessingException as exc:
        error = str(exc)
    except Exception as exc:  # noqa: BLE001 - anything else is a traceback
        error = f"{type(exc).__name__}: {exc}"
        classes.add("traceback")
    errors = [m for k, m in messages if k == "error"]
    if error is not None and (TRACEBACK_RE.search(error) or any("Traceback" in m for m in errors)):
        classes.add("traceback")
        detail.append(f"traceback: {error} {errors[-1:]!r}")
    if kind == "error":
        if error is None:
            classes.add("silent-number" if case.check else "wrong-cause")
            detail.append("expected a refusal, the run succeeded")
        elif not re.search(pattern, error, re.IGNORECASE | re.DOTALL):
            classes.add("wrong-cause")
            detail.append(f"message {error!r} does not match {pattern!r}")
    else:
        if error is not None:
            classes.add("wrong-cause")
            detail.append(f"unexpected refusal: {error}")
        elif kind == "warn":
            text = "\n".join(m for _k, m in messages)
            if not re.search(pattern, text, re.IGNORECASE | re.DOTALL):
                classes.add("wrong-cause")
                detail.append(f"no warning matching {pattern!r} in {text[-600:]!r}")
    if error is not None:
        left = [p for p in left_files(out) if p not in existing]
        changed = [p for p, digest in existing.items() if not os.path.exists(p) or checksum(p) != digest]
        if changed:
            classes.add("left-files")
            detail.append(f"an older file at an output path was replaced or removed by a refused run: {changed}")
        if left:
            classes.add("left-files")
            detail.append(f"left: {left}")
    if results is not None:
        for key, value in results.items():
            for name, x in numbers_of(value) if isinstance(value, str) or hasattr(value, "getFeatures") else []:
                if _is_bad_number(x):
                    classes.add("silent-number")
                    detail.append(f"{key}.{name} = {x}")
                    break
            if isinstance(value, float) and not math.isfinite(value):
                classes.add("silent-number")
                detail.append(f"{key} = {value}")
        if case.check:
            problem = case.check(results, data)
            if problem:
                classes.add("silent-number")
                detail.append(problem)
    for path, digest in inputs.items():
        if checksum(path) != digest:
            classes.add("modified-input")
            detail.append(f"modified: {path}")
    return classes, "; ".join(detail)


def _flatten(values):
    for value in values:
        if isinstance(value, (list, tuple)):
            yield from _flatten(value)
        else:
            yield value
