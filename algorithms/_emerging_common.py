"""QGIS glue of the emerging hot spot analysis: build the space-time cube, write results.

A cube is ``T`` years x ``N`` locations, from a vector layer (one feature per
location per year, locations matched by an id field or identical geometry) or
from yearly rasters on one grid. The spatial weights come from the clustering
glue (:mod:`._clustering_common`, hence :mod:`..core.weights`), exactly as in
``carbon:hotspots``. No statistics here.
"""

from dataclasses import dataclass, field

import numpy as np
from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsFields,
    QgsProcessingException,
    QgsWkbTypes,
)

from ..core import weights as sw
from ..core.cube import IncompleteCubeError, complete_locations, space_time_cube
from ..core.emerging_hot_spots import PATTERN_NAMES, pattern_counts, yearly_pattern_counts
from ..core.years import whole_year
from . import _clustering_common as common
from ._html import figure_png_base64, html_list, html_table, write_html
from ._io import FeatureArrays, attribute_value, read_features, read_raster, write_geotiff
from ._styles.palettes import EMERGING_PATTERNS

#: Colours of the 17 patterns, as in the map styles (one palette: _styles.palettes).
PATTERN_COLOURS = {code: colour for code, _label, colour in EMERGING_PATTERNS}
#: Working memory per raster cell per year (bytes): the cube, its Gi* z-scores and temporaries.
_BYTES_PER_CELL_YEAR = 8 * 3


@dataclass
class Cube:
    """Values of every location (columns) in every year (rows), with the spatial weights."""

    values: np.ndarray
    years: list
    weights: object
    is_raster: bool
    description: list = field(default_factory=list)
    # vector
    source: object = None
    location_fids: np.ndarray = None  # the feature (final year) that represents each location
    skip_fields: tuple = ()
    # raster
    grid: object = None
    mask: np.ndarray = None


def _fail(text):
    raise QgsProcessingException(text)


def _year(value, time_field):
    try:
        return whole_year(value)
    except TypeError:
        _fail(f"The time field '{time_field}' holds '{value}', which is not a year. Use a field of whole "
              "years (e.g. 2015) or dates.")
    except ValueError:
        _fail(f"The time field '{time_field}' holds {value}, which is not a whole year.")


def _location_keys(source, location_field, feedback):
    """Feature id -> location key (the id field's value, or the geometry's WKB)."""
    keys = {}
    request = QgsFeatureRequest()
    if location_field:
        request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
        request.setSubsetOfAttributes([source.fields().lookupField(location_field)])
    else:
        request.setNoAttributes()
    for feature in source.getFeatures(request):
        if feedback.isCanceled():
            _fail("Cancelled by the user.")
        if location_field:
            value = feature[location_field]
            if value is None or (hasattr(value, "isNull") and value.isNull()):
                _fail(f"A feature (id {feature.id()}) has a null location id in '{location_field}'. Give every "
                      "feature its location id.")
            keys[feature.id()] = value
        else:
            geom = feature.geometry()
            if not (geom is None or geom.isNull()):
                keys[feature.id()] = bytes(geom.asWkb())
    return keys


def _describe_key(key, location_field):
    return f"'{key}'" if location_field else "(matched by geometry)"


def read_vector_cube(alg, source, crs, field_name, time_field, location_field, settings, feedback):
    """The cube of a vector layer with one feature per location per year."""
    fields = source.fields()
    for name, what in ((field_name, "FIELD"), (time_field, "TIME_FIELD")):
        if not name:
            _fail(f"Choose {what}: vector input needs a value field and a time (year) field.")
        if fields.lookupField(name) < 0:
            _fail(f"Field '{name}' ({what}) does not exist in the input layer.")
    if not fields.field(field_name).isNumeric():
        _fail(f"Field '{field_name}' is not numeric ({fields.field(field_name).typeName()}). Choose a numeric "
              "field, or convert it with the Field calculator.")
    if location_field and fields.lookupField(location_field) < 0:
        _fail(f"Field '{location_field}' (LOCATION_FIELD) does not exist in the input layer.")
    arrays = read_features(source, [field_name], time_field, feedback)
    if arrays.skipped_null:
        _fail(f"{arrays.skipped_null} feature(s) have a null value in '{field_name}' or '{time_field}'. Every "
              "location needs a value in every year: fill them in or remove those locations.")
    if len(arrays.xy) == 0:
        _fail("The input layer has no feature with a geometry and a value.")
    years_of = [_year(v, time_field) for v in arrays.times]
    keys = _location_keys(source, location_field, feedback)
    feature_keys = [keys.get(int(fid)) for fid in arrays.feature_ids]
    try:
        cube = space_time_cube(years_of, feature_keys, arrays.values[field_name], min_years=3)
    except IncompleteCubeError as error:
        years = error.years
        if error.kind == "years":
            _fail(f"The time field '{time_field}' has {len(years)} distinct year(s) ({', '.join(map(str, years))}): "
                  "emerging hot spot analysis needs at least 3 years (10 or more for a useful trend test).")
        where = _describe_key(error.location, location_field)
        if error.kind == "duplicate":
            _fail(f"Location {where} has {error.count} features in {error.year}. "
                  "Give one feature per location per year (aggregate duplicates first).")
        how = (f"by their id in '{location_field}'" if location_field
               else "by identical geometry (set LOCATION_FIELD to match them by an id instead)")
        _fail(f"{error.count} location-year(s) have no feature: e.g. location {where} "
              f"has no value for {error.year}. Locations are matched {how}; every location needs one feature in "
              f"each of the years {years[0]}-{years[-1]}.")
    years, values, rep = cube.years, cube.values, cube.final
    t, n = values.shape
    locations = FeatureArrays(xy=arrays.xy[rep], feature_ids=arrays.feature_ids[rep])
    settings = dict(settings, row=False)
    if n < 3:
        _fail(f"Only {n} location(s): at least 3 are needed.")
    weights, notes = common._vector_weights(alg, source, crs, locations, settings, feedback, True)
    description = [f"{n} locations x {t} years ({years[0]}-{years[-1]}) from {len(arrays.xy)} features."]
    description += common.describe_weights(weights, common._unit_name(crs)) + notes
    skip = (field_name, time_field)
    return Cube(values, years, weights, False, description, source=source, location_fids=arrays.feature_ids[rep],
                skip_fields=skip)


def read_raster_cube(alg, rasters, years, settings, feedback):
    """The cube of yearly rasters on one grid; cells with nodata in any year are left out."""
    if len(rasters) < 3:
        _fail(f"{len(rasters)} raster(s) given: emerging hot spot analysis needs at least 3 years.")
    kind = settings["kind"]
    if kind == sw.K_NEAREST:
        _fail("K nearest neighbours is not available for raster cells. Use queen or rook contiguity, or a "
              "distance band (in layer units, a multiple of the cell size).")
    first = rasters[0]
    common._check_geographic(alg, first.crs(), kind)
    for layer in rasters[1:]:
        if (layer.width(), layer.height()) != (first.width(), first.height()) or layer.crs() != first.crs() \
                or not layer.extent().toRectF() == first.extent().toRectF():
            _fail(f"Raster '{layer.name()}' is not on the grid of '{first.name()}' (size, extent or CRS differ). "
                  "Align the yearly rasters on one grid (Raster > Projections > Warp, or Align Rasters).")
    cells = first.width() * first.height()
    need = cells * (len(rasters) * _BYTES_PER_CELL_YEAR + common._BYTES_PER_CELL)
    available = common._available_memory()
    if available is not None and need > available:
        _fail(f"{len(rasters)} rasters of {cells:,} cells need about {need / 2 ** 30:.1f} GiB of memory but only "
              f"{available / 2 ** 30:.1f} GiB are available. Clip the rasters or aggregate them to coarser cells.")
    order = np.argsort(years, kind="stable")
    t = len(rasters)
    full = np.empty((t, cells))
    grid = None
    for row, k in enumerate(order):
        if feedback.isCanceled():
            _fail("Cancelled by the user.")
        feedback.setProgressText(f"Reading {rasters[k].name()}")
        grid = read_raster(rasters[k], 1)
        full[row] = grid.data.ravel()
        feedback.setProgress(100.0 * (row + 1) / t)
    values, mask = complete_locations(full)
    del full
    n = int(mask.sum())
    if n < 3:
        _fail(f"Only {n} cell(s) have a value in every year: at least 3 are needed.")
    mask2d = mask.reshape(grid.data.shape)
    weights = common.raster_weights(alg, grid, mask2d, dict(settings, row=False))
    sorted_years = [years[k] for k in order]
    description = [f"{n} cells x {t} years ({sorted_years[0]}-{sorted_years[-1]}); {cells - n} cell(s) with nodata "
                   "in some year left out."]
    description += common.describe_weights(weights, common._unit_name(first.crs()), grid.cell_size[0])
    return Cube(values, sorted_years, weights, True, description, grid=grid, mask=mask2d)


# ---------------------------------------------------------------------------
# Outputs
# ---------------------------------------------------------------------------
RESULT_FIELDS = ["PATTERN", "PATTERN_CODE", "MK_Z", "MK_P", "SEN_SLOPE", "HOT_YEARS", "COLD_YEARS", "LAST_BIN",
                 "VALUE_MK_Z", "VALUE_MK_P"]


def result_columns(result):
    defined = result.pattern >= 0
    names = np.array([PATTERN_NAMES.get(int(c), "") for c in range(17)], dtype=object)
    pattern = np.where(defined, names[np.clip(result.pattern, 0, 16)], None)
    return {
        "PATTERN": pattern,
        "PATTERN_CODE": np.where(defined, result.pattern, -1),
        "MK_Z": result.mk_z, "MK_P": result.mk_p, "SEN_SLOPE": result.sen_slope,
        "HOT_YEARS": result.hot_years, "COLD_YEARS": result.cold_years, "LAST_BIN": result.last_bin,
        "VALUE_MK_Z": result.value_mk_z, "VALUE_MK_P": result.value_mk_p,
    }


def _result_fields():
    return [common.string_field("PATTERN", 32), common.int_field("PATTERN_CODE"), common.double_field("MK_Z"),
            common.double_field("MK_P"), common.double_field("SEN_SLOPE"), common.int_field("HOT_YEARS"),
            common.int_field("COLD_YEARS"), common.int_field("LAST_BIN"), common.double_field("VALUE_MK_Z"),
            common.double_field("VALUE_MK_P")]


def write_vector(alg, parameters, key, context, cube, result, feedback):
    """One feature per location: its final-year feature's geometry and fields (without the value
    and time fields) plus the results. Returns the destination id or None."""
    source = cube.source
    kept = QgsFields()
    for f in source.fields():
        if f.name() not in cube.skip_fields and f.name() not in RESULT_FIELDS:
            kept.append(f)
    fields = common.output_fields(kept, _result_fields())
    sink, dest = alg.parameterAsSink(parameters, key, context, fields, source.wkbType(), source.sourceCrs())
    if sink is None:
        return None
    columns = result_columns(result)
    position = {int(fid): i for i, fid in enumerate(cube.location_fids)}
    request = QgsFeatureRequest().setFilterFids([int(f) for f in cube.location_fids])
    features = {}
    for feature in source.getFeatures(request):
        features[feature.id()] = feature
    for count, fid in enumerate(cube.location_fids):
        if count % 1000 == 0 and feedback.isCanceled():
            _fail("Cancelled by the user.")
        feature = features[int(fid)]
        i = position[int(fid)]
        out = QgsFeature(fields)
        out.setGeometry(feature.geometry())
        for f in kept:
            out[f.name()] = feature[f.name()]
        for name in RESULT_FIELDS:
            value = columns[name][i]
            out[name] = None if value is None or (name == "PATTERN_CODE" and value < 0) else attribute_value(value)
        sink.addFeature(out, QgsFeatureSink.Flag.FastInsert)
    return dest


def write_raster(path, cube, result, feedback):
    """GeoTIFF with bands PATTERN_CODE, MK_Z, MK_P, SEN_SLOPE (nodata -9999)."""
    code = result.pattern.astype(float)
    code[result.pattern < 0] = np.nan
    bands = [cube.weights.to_grid(b) for b in (code, result.mk_z, result.mk_p, result.sen_slope)]
    write_geotiff(path, bands, cube.grid.geotransform, cube.grid.crs, nodata=common.RASTER_NODATA,
                  band_names=["PATTERN_CODE", "MK_Z", "MK_P", "SEN_SLOPE"], feedback=feedback)
    return path


def write_table(alg, parameters, key, context, result):
    """Per year and pattern: locations of the pattern and how many are hot / cold that year."""
    fields = QgsFields()
    for f in (common.int_field("YEAR"), common.string_field("PATTERN", 32), common.int_field("PATTERN_CODE"),
              common.int_field("LOCATIONS"), common.int_field("HOT"), common.int_field("COLD")):
        fields.append(f)
    sink, dest = alg.parameterAsSink(parameters, key, context, fields, QgsWkbTypes.Type.NoGeometry)
    if sink is None:
        return None
    for row in yearly_pattern_counts(result):
        feature = QgsFeature(fields)
        feature.setAttributes([int(row[0]), row[2], int(row[1]), row[3], row[4], row[5]])
        sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
    return dest


def stacked_chart_png(result, title="Significant bins per year by pattern"):
    """Stacked bars per year: hot bins (up) and cold bins (down), coloured by the location's pattern."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        return None
    rows = yearly_pattern_counts(result)
    years = [int(y) for y in result.times]
    fig = Figure(figsize=(10, 4.8))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(111)
    up = np.zeros(len(years))
    down = np.zeros(len(years))
    for code, name, _n, _share in pattern_counts(result.pattern):
        hot = np.array([r[4] for r in rows if r[1] == code], dtype=float)
        cold = np.array([r[5] for r in rows if r[1] == code], dtype=float)
        colour = PATTERN_COLOURS[code]
        if hot.any():
            ax.bar(years, hot, bottom=up, color=colour, edgecolor="#555555", linewidth=0.3, label=name)
            up += hot
        if cold.any():
            ax.bar(years, -cold, bottom=-down, color=colour, edgecolor="#555555", linewidth=0.3,
                   label=None if hot.any() else name)
            down += cold
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xlabel("Year")
    ax.set_ylabel("Hot spot bins (up) / cold spot bins (down)")
    ax.set_title(title)
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    return figure_png_base64(fig)


def write_report(path, result, description, time_steps):
    patterns = [(c, name, n, f"{share:.1f} %") for c, name, n, share in pattern_counts(result.pattern)]
    sections = [("Data and neighbourhood",
                 html_list(list(description) + [f"Temporal neighbourhood: the year itself and {time_steps} "
                                                "earlier year(s)."])),
                ("Patterns", html_table(["Code", "Pattern", "Locations", "Share"], patterns))]
    png = stacked_chart_png(result)
    if png:
        sections.append(("Hot and cold spot bins per year", f"<img src='data:image/png;base64,{png}'/>"))
    rows = [(int(r[0]), r[2], r[3], r[4], r[5]) for r in yearly_pattern_counts(result)]
    sections.append(("Per year and pattern", html_table(["Year", "Pattern", "Locations", "Hot", "Cold"], rows)))
    return write_html(path, "Emerging hot spot analysis", sections)
