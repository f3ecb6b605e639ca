"""QGIS glue shared by the clustering tools (Moran's I, General G, Gi*, Local Moran).

Reads the common parameters, turns a vector layer or a raster band into
observations plus spatial weights (through :mod:`..core.weights`, the single
weights engine), and writes results. No statistics here.
"""

from dataclasses import dataclass, field

import numpy as np
from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterField,
    QgsProcessingParameterMapLayer,
    QgsProcessingParameterNumber,
    QgsRasterLayer,
    QgsVectorLayer,
    QgsWkbTypes,
)

from ..core import weights as sw
from ..core.formatting import format_fixed
from ..core.inference import StatisticError
from ..core.moran import moran_scatter
from ._compat import POLYGON_GEOMETRY, FieldType
from ._html import figure_png_base64
from ._io import FeatureArrays, attribute_value, read_features, read_raster, write_geotiff
from ._styles import style_on_load
from .layers import metric_frame, undefined_crs_check

INPUT = "INPUT"
RASTER_NODATA = -9999.0
FIELD = "FIELD"
BAND = "BAND"
NEIGHBORHOOD = "NEIGHBORHOOD"
DISTANCE = "DISTANCE"
K = "K"
POWER = "POWER"
STANDARDIZATION = "STANDARDIZATION"
PERMUTATIONS = "PERMUTATIONS"
SEED = "SEED"

NEIGHBORHOOD_OPTIONS = [
    "Fixed distance band",
    "Inverse distance",
    "K nearest neighbours",
    "Queen contiguity",
    "Rook contiguity",
]
STANDARDIZATION_OPTIONS = ["Row standardisation", "None (binary or raw weights)"]

#: Working memory per raster cell (bytes): about 20 float64 arrays of the grid (measured: ~15).
_BYTES_PER_CELL = 8 * 20
_MAX_FEATURE_PAIRS = 50_000_000


def _help(param, text):
    if hasattr(param, "setHelp"):
        param.setHelp(text)
    return param


def add_input_parameters(alg, permutations=True):
    """Add INPUT, FIELD, BAND, NEIGHBORHOOD, DISTANCE, K, POWER, STANDARDIZATION, PERMUTATIONS, SEED."""
    tr = alg.tr
    alg.addParameter(_help(QgsProcessingParameterMapLayer(
        INPUT, tr("Input layer (vector features or raster cells)"),
        types=[QgsProcessing.SourceType.TypeVectorAnyGeometry, QgsProcessing.SourceType.TypeRaster]),
        tr("A vector layer whose features are the observations, or a raster whose valid cells are.")))
    alg.addParameter(_help(QgsProcessingParameterField(
        FIELD, tr("Field (vector input)"), parentLayerParameterName=INPUT,
        type=QgsProcessingParameterField.DataType.Numeric, optional=True),
        tr("Numeric field analysed; null values are left out and counted.")))
    # A plain band number, not a QgsProcessingParameterBand tied to INPUT: INPUT may be a vector
    # layer, and a band widget would then complain "Dependent bands could not be populated".
    alg.addParameter(_help(QgsProcessingParameterNumber(
        BAND, tr("Band number (raster input)"), type=QgsProcessingParameterNumber.Type.Integer,
        defaultValue=1, minValue=1, optional=True),
        tr("Raster band analysed (1 = first band); nodata cells are left out. Ignored for vector input.")))
    alg.addParameter(_help(QgsProcessingParameterEnum(
        NEIGHBORHOOD, tr("Neighbourhood"), options=[tr(o) for o in NEIGHBORHOOD_OPTIONS], defaultValue=0),
        tr("How neighbours are defined.")))
    alg.addParameter(_help(QgsProcessingParameterNumber(
        DISTANCE, tr("Distance band (layer units; 0 = default)"),
        type=QgsProcessingParameterNumber.Type.Double, defaultValue=0.0, minValue=0.0),
        tr("Band radius in the layer's CRS units; 0 picks the smallest band giving everyone a neighbour.")))
    alg.addParameter(_help(QgsProcessingParameterNumber(
        K, tr("Number of nearest neighbours (K)"), type=QgsProcessingParameterNumber.Type.Integer,
        defaultValue=8, minValue=1), tr("Used with the k nearest neighbours neighbourhood.")))
    power = QgsProcessingParameterNumber(
        POWER, tr("Inverse distance power"), type=QgsProcessingParameterNumber.Type.Double,
        defaultValue=1.0, minValue=0.0)
    power.setFlags(power.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
    alg.addParameter(_help(power, tr("Weights are distance to the power -POWER (inverse distance only).")))
    alg.addParameter(_help(QgsProcessingParameterEnum(
        STANDARDIZATION, tr("Standardisation"), options=[tr(o) for o in STANDARDIZATION_OPTIONS],
        defaultValue=0), tr("Row standardisation or none (binary / raw weights).")))
    if permutations:
        alg.addParameter(_help(QgsProcessingParameterNumber(
            PERMUTATIONS, tr("Permutations (0 = analytical inference only)"),
            type=QgsProcessingParameterNumber.Type.Integer, defaultValue=0, minValue=0, maxValue=99999),
            tr("Random permutations for pseudo p-values, e.g. 999.")))
        alg.addParameter(_help(QgsProcessingParameterNumber(
            SEED, tr("Random seed"), type=QgsProcessingParameterNumber.Type.Integer, defaultValue=1,
            minValue=0), tr("Seed of the permutations: the same seed repeats a run exactly.")))


@dataclass
class Observations:
    """Observations and their spatial weights, from a vector layer or a raster band."""

    values: np.ndarray
    weights: object
    is_raster: bool
    layer: object
    description: list = field(default_factory=list)
    # vector
    source: object = None
    feature_ids: np.ndarray = None
    field_name: str = ""
    times: list = None
    # raster
    grid: object = None
    band: int = 1

    @property
    def label(self):
        return self.field_name if not self.is_raster else f"{self.layer.name()} band {self.band}"


def neighbourhood_settings(alg, parameters, context):
    return dict(
        kind=alg.parameterAsEnum(parameters, NEIGHBORHOOD, context),
        distance=alg.parameterAsDouble(parameters, DISTANCE, context),
        k=alg.parameterAsInt(parameters, K, context),
        power=alg.parameterAsDouble(parameters, POWER, context) if POWER in parameters else 1.0,
        row=alg.parameterAsEnum(parameters, STANDARDIZATION, context) == 0,
    )


def input_layer(alg, parameters, context):
    layer = alg.parameterAsLayer(parameters, INPUT, context)
    if layer is None:
        alg.fail("The input layer could not be opened. Choose a vector or raster layer.")
    return layer


def _check_geographic(alg, crs, kind):
    if kind in (sw.DISTANCE_BAND, sw.INVERSE_DISTANCE) and crs.isGeographic():
        alg.fail(
            f"The layer is in a geographic CRS ({crs.authid()}, units of degrees), so a distance band "
            "cannot be measured in metres. Reproject the layer to a projected CRS in metres (Vector > "
            "Data Management Tools > Reproject Layer, or Raster > Projections > Warp), or use k nearest "
            "neighbours or queen/rook contiguity."
        )


def _polygon_rings(source, feature_ids, feedback):
    """Rings of every polygon feature as ``(m, 2)`` arrays, in the order of ``feature_ids``."""
    position = {int(fid): i for i, fid in enumerate(feature_ids)}
    rings = [[] for _ in feature_ids]
    request = QgsFeatureRequest().setFilterFids([int(f) for f in feature_ids])
    request.setNoAttributes()
    for feature in source.getFeatures(request):
        if feedback.isCanceled():
            raise QgsProcessingException("Cancelled by the user.")
        geom = feature.geometry()
        parts = geom.asMultiPolygon() if geom.isMultipart() else [geom.asPolygon()]
        rings[position[feature.id()]] = [
            np.array([(p.x(), p.y()) for p in ring], dtype=float) for part in parts for ring in part
        ]
    return rings


def _check_pair_budget(alg, xy, distance):
    """Refuse a distance band so large that the neighbour list would not fit in memory."""
    budget = sw.estimate_band_pairs(xy, distance)
    if budget is None:
        return
    neighbours, estimate = budget
    if estimate > _MAX_FEATURE_PAIRS:
        alg.fail(
            f"A distance band of {distance:g} gives each feature about {neighbours:.0f} neighbours "
            f"({estimate:.2g} pairs in all), more than fits in memory. Use a smaller distance band or "
            "k nearest neighbours."
        )


def _vector_weights(alg, source, crs, arrays, settings, feedback, for_hotspots):
    kind = settings["kind"]
    xy = arrays.xy
    notes = []
    if kind not in (sw.QUEEN, sw.ROOK):
        undefined_crs_check(crs)
    if kind in (sw.QUEEN, sw.ROOK):
        if QgsWkbTypes.geometryType(source.wkbType()) != POLYGON_GEOMETRY:
            alg.fail("Queen and rook contiguity need a polygon layer. For points use a distance band or "
                     "k nearest neighbours.")
        rings = _polygon_rings(source, arrays.feature_ids, feedback)
        weights = sw.contiguity_weights(rings, queen=kind == sw.QUEEN, row_standardise=settings["row"])
    elif kind == sw.K_NEAREST:
        if crs.isGeographic():
            frame = metric_frame(crs, xy)
            xy = frame.forward(xy)
            notes.append("Nearest neighbours found in a local azimuthal equidistant projection (metres).")
        weights = sw.knn_weights(xy, settings["k"], row_standardise=settings["row"])
        if weights.knn_ties:
            message = (f"{weights.knn_ties} feature(s) have ties at their k-th nearest-neighbour distance "
                       "(e.g. duplicated locations): ties are broken nearer first, then by lower feature "
                       "order. Results depend on that choice; consider a distance band or aggregating "
                       "duplicates.")
            feedback.pushWarning(message)
            notes.append(message)
    else:
        _check_geographic(alg, crs, kind)
        distance = settings["distance"] or sw.default_distance_band(xy)
        _check_pair_budget(alg, xy, distance)
        if kind == sw.DISTANCE_BAND:
            weights = sw.distance_band_weights(xy, distance, settings["row"])
        else:
            weights = sw.inverse_distance_weights(xy, distance, settings["power"], settings["row"])
        weights.default_threshold = not settings["distance"]
    return weights, notes


def read_vector_values(alg, source, field_name, time_field, feedback):
    if not field_name:
        alg.fail("Choose the numeric field to analyse (FIELD).")
    arrays = read_features(source, [field_name], time_field, feedback)
    return arrays


def describe_weights(weights, crs_units="layer units", cell_size=None):
    """Sentences for the log/report saying which neighbourhood was used."""
    lines = [f"Neighbourhood: {sw.NEIGHBOURHOOD_NAMES[weights.kind]}; "
             f"{'row-standardised' if weights.row_standardised else 'not standardised'} weights."]
    if isinstance(weights, sw.FeatureWeights):
        if weights.threshold is not None:
            label = "default distance band" if weights.default_threshold else "distance band"
            lines.append(f"{label.capitalize()}: {weights.threshold:.6g} {crs_units}"
                         + (" (every feature has at least one neighbour)." if weights.default_threshold
                            else "."))
        if weights.k:
            lines.append(f"K = {weights.k} nearest neighbours.")
    elif weights.radius_cells is not None:
        size = f" = {weights.radius_cells * cell_size:.6g} {crs_units}" if cell_size else ""
        label = "Default distance band" if weights.default_threshold else "Distance band"
        lines.append(f"{label}: {weights.radius_cells:.6g} cells{size}.")
    card = weights.cardinalities
    lines.append(f"Neighbours per observation: min {card.min()}, mean {card.mean():.2f}, max {card.max()}.")
    if weights.n_islands:
        lines.append(f"{weights.n_islands} observation(s) have no neighbour (islands): they get empty local "
                     "results and a zero row of weights in global statistics.")
    return lines


def load_observations(alg, parameters, context, feedback, time_field=None):
    """Read INPUT (vector or raster) and build the spatial weights.

    Without ``time_field`` returns one :class:`Observations`. With a time field
    (vector only) returns ``(arrays, settings, source, crs)`` for per-time
    processing by the caller.
    """
    layer = input_layer(alg, parameters, context)
    settings = neighbourhood_settings(alg, parameters, context)
    units = _unit_name(layer.crs())
    try:
        if isinstance(layer, QgsRasterLayer):
            return _raster_observations(alg, parameters, context, feedback, layer, settings, units)
        if not isinstance(layer, QgsVectorLayer):
            alg.fail("INPUT must be a vector or a raster layer.")
        source = alg.parameterAsSource(parameters, INPUT, context)
        field_name = alg.parameterAsString(parameters, FIELD, context)
        arrays = read_vector_values(alg, source, field_name, time_field, feedback)
        if time_field:
            return arrays, settings, source, layer.crs()
        return vector_observations(alg, source, layer, arrays, field_name, settings, feedback, units)
    except (sw.WeightsError, StatisticError) as error:
        raise QgsProcessingException(str(error)) from error


def vector_observations(alg, source, layer, arrays, field_name, settings, feedback, units,
                        for_hotspots=False):
    n = len(arrays.xy)
    if n < 3:
        nulls = (f" ({arrays.skipped_null} feature(s) have a null value there)" if arrays.skipped_null else "")
        alg.fail(f"Only {n} feature(s) have a geometry and a value in '{field_name}'{nulls}: at least 3 are "
                 "needed.")
    if feedback.isCanceled():
        raise QgsProcessingException("Cancelled by the user.")
    weights, notes = _vector_weights(alg, source, layer.crs(), arrays, settings, feedback, for_hotspots)
    description = [f"{n} features analysed"
                   + (f" ({arrays.skipped_null} with a null value and {arrays.skipped_geometry} without "
                      "geometry left out)." if arrays.skipped_null or arrays.skipped_geometry else ".")]
    description += describe_weights(weights, units) + notes
    return Observations(arrays.values[field_name], weights, False, layer, description, source=source,
                        feature_ids=arrays.feature_ids, field_name=field_name)


def _unit_name(crs):
    from qgis.core import QgsUnitTypes

    return QgsUnitTypes.toString(crs.mapUnits()) if crs.isValid() else "layer units"


def _raster_observations(alg, parameters, context, feedback, layer, settings, units):
    band = alg.parameterAsInt(parameters, BAND, context) or 1
    if band > layer.bandCount():
        alg.fail(f"Band {band} does not exist: the raster '{layer.name()}' has {layer.bandCount()} band(s). "
                 "Set the band number (BAND) to one of them.")
    kind = settings["kind"]
    if kind == sw.K_NEAREST:
        alg.fail("K nearest neighbours is not available for raster cells. Use queen or rook contiguity, or a "
                 "distance band (in layer units, a multiple of the cell size).")
    _check_geographic(alg, layer.crs(), kind)
    cells = layer.width() * layer.height()
    _check_memory(alg, cells)
    grid = read_raster(layer, band)
    mask = np.isfinite(grid.data)
    n = int(mask.sum())
    if n < 3:
        alg.fail(f"Only {n} valid (not nodata) cell(s) in band {band}: at least 3 are needed.")
    weights = raster_weights(alg, grid, mask, settings)
    description = [f"{n} valid cells of {grid.data.size} analysed ({grid.data.size - n} nodata left out)."]
    description += describe_weights(weights, units, grid.cell_size[0])
    return Observations(grid.data[mask], weights, True, layer, description, grid=grid, band=band)


def raster_weights(alg, grid, mask, settings):
    """Grid weights between the ``mask`` cells of ``grid`` for the NEIGHBORHOOD settings."""
    kind = settings["kind"]
    gt = grid.geotransform
    if gt[2] or gt[4]:
        alg.fail("The raster is rotated (its geotransform has rotation terms). Warp it to a north-up grid.")
    cx, cy = grid.cell_size
    distance_cells = None
    if kind in (sw.DISTANCE_BAND, sw.INVERSE_DISTANCE):
        if abs(cx - cy) > 1e-6 * max(cx, cy):
            alg.fail(f"Cells are not square ({cx:g} x {cy:g}); a distance band needs square cells. Resample "
                     "the raster to square cells (Raster > Projections > Warp) or use queen/rook contiguity.")
        if settings["distance"]:
            distance_cells = settings["distance"] / cx
            if distance_cells < 1:
                alg.fail(f"The distance band {settings['distance']:g} is smaller than one cell "
                         f"({cx:g}): no cell would have a neighbour. Use at least the cell size.")
            if distance_cells > 200:
                alg.fail(f"A distance band of {distance_cells:.0f} cells is too large for the grid engine "
                         "(at most 200 cells); aggregate the raster to coarser cells first.")
    return sw.grid_weights(kind, mask, distance_cells, settings["power"], cx, settings["row"])


def _available_memory():
    """Bytes of memory available to new allocations (MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _check_memory(alg, cells):
    need = cells * _BYTES_PER_CELL
    available = _available_memory()
    if available is not None and need > available:
        alg.fail(f"The raster has {cells:,} cells; the analysis needs about {need / 2 ** 30:.1f} GiB of "
                 f"memory but only {available / 2 ** 30:.1f} GiB are available. Clip the raster or "
                 "aggregate it to coarser cells.")


# ---------------------------------------------------------------------------
# Outputs
# ---------------------------------------------------------------------------
def output_fields(source_fields, new_fields):
    """Input fields followed by ``new_fields`` (existing names are replaced)."""
    names = {f.name() for f in new_fields}
    fields = QgsFields()
    for f in source_fields:
        if f.name() not in names:
            fields.append(f)
    for f in new_fields:
        fields.append(f)
    return fields


def write_vector_results(alg, parameters, key, context, feedback, obs, new_fields, columns):
    """Copy every input feature to the sink ``key`` with ``columns`` (name -> array) added.

    Features that were left out (null value or no geometry) get NULL results.
    """
    source = obs.source
    fields = output_fields(source.fields(), new_fields)
    sink, dest_id = alg.parameterAsSink(parameters, key, context, fields, source.wkbType(), source.sourceCrs())
    if sink is None:
        return None
    index = {int(fid): i for i, fid in enumerate(obs.feature_ids)}
    names = [f.name() for f in new_fields]
    total = source.featureCount() or 1
    for count, feature in enumerate(source.getFeatures()):
        if count % 1000 == 0:
            if feedback.isCanceled():
                raise QgsProcessingException("Cancelled by the user.")
            feedback.setProgress(90 + 10 * count / total)
        out = QgsFeature(fields)
        out.setGeometry(feature.geometry())
        for f in source.fields():
            if f.name() not in names:
                out[f.name()] = feature[f.name()]
        i = index.get(int(feature.id()))
        for name in names:
            value = None
            if i is not None:
                value = attribute_value(columns[name][i])
            out[name] = value
        sink.addFeature(out, QgsFeatureSink.Flag.FastInsert)
    return dest_id


def double_field(name):
    return QgsField(name, FieldType.Double)


def int_field(name):
    return QgsField(name, FieldType.Int)


def string_field(name, length=2):
    return QgsField(name, FieldType.String, len=length)


def drop_unused_output(context, name):
    """Do not try to load an output the run did not produce (vector vs raster variant)."""
    details = context.layersToLoadOnCompletion()
    keep = {k: v for k, v in details.items() if getattr(v, "outputName", None) != name}
    if len(keep) != len(details):
        context.setLayersToLoadOnCompletion(keep)




def moran_scatterplot_png(z, lag, morans_i, title, seed=0, max_points=20000):
    """A Moran scatterplot (standardised value vs its spatial lag) as a base64 PNG, or None."""
    try:
        # The Agg canvas directly: never switch the backend of the QGIS process.
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        return None
    zs, ls, slope = moran_scatter(z, lag, max_points, seed)
    fig = Figure(figsize=(5.5, 5))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(111)
    ax.scatter(zs, ls, s=6, alpha=0.5, color="#3b6fb6", edgecolor="none")
    ax.axhline(0, color="grey", lw=0.8)
    ax.axvline(0, color="grey", lw=0.8)
    lim = (float(zs.min()), float(zs.max()))
    ax.plot(lim, (slope * lim[0], slope * lim[1]), color="#c0392b", lw=1.5,
            label=f"slope {slope:.4f} (Moran's I = {morans_i:.4f})")
    ax.set_xlabel("Standardised value")
    ax.set_ylabel("Spatial lag of the standardised value")
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize=8)
    return figure_png_base64(fig)


def run_core(fn, *args, **kwargs):
    """Call a core function, turning its data errors into user-facing Processing errors."""
    try:
        return fn(*args, **kwargs)
    except (sw.WeightsError, StatisticError) as error:
        raise QgsProcessingException(str(error)) from error


def permutation_settings(alg, parameters, context):
    return alg.parameterAsInt(parameters, PERMUTATIONS, context), alg.parameterAsInt(parameters, SEED, context)


def subset_arrays(arrays, index):
    """The features of ``arrays`` at positions ``index`` (one time slice)."""
    return FeatureArrays(
        xy=arrays.xy[index],
        values={k: v[index] for k, v in arrays.values.items()},
        times=[arrays.times[i] for i in index],
        feature_ids=arrays.feature_ids[index],
    )


def fmt(value, digits=6):
    """A statistic in a clustering report: ``digits`` decimals, at least two significant ones."""
    return format_fixed(value, digits, tiny_below=10.0 ** -(digits - 2), exp_decimals=max(digits - 3, 2))


def write_raster_result(alg, parameters, context, obs, bands, band_names, style, title, feedback):
    """Write per-cell results (one array per band, in observation order) on the input grid.

    The GeoTIFF goes to ``alg.OUTPUT_RASTER`` (the unused vector output is
    dropped), empty cells are nodata, and ``style`` (a result kind of
    ``_styles.STYLES``) is applied when the layer loads. Returns the algorithm's result dict.
    """
    drop_unused_output(context, alg.OUTPUT)
    path = alg.parameterAsOutputLayer(parameters, alg.OUTPUT_RASTER, context)
    if not path:
        alg.fail("Set the raster output (OUTPUT_RASTER) for a raster input.")
    grids = [obs.weights.to_grid(band) for band in bands]
    write_geotiff(path, grids, obs.grid.geotransform, obs.grid.crs, nodata=RASTER_NODATA,
                  band_names=band_names, feedback=feedback)
    style_on_load(context, path, style, title)
    return {alg.OUTPUT_RASTER: path}
