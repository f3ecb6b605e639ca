"""Emerging hot spot analysis: how Gi* hot and cold spots evolve over the years."""

from qgis.core import (
    QgsProcessing,
    QgsProcessingMultiStepFeedback,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterString,
)

from ..core.emerging_hot_spots import emerging_hot_spots
from . import _clustering_common as common
from . import _distribution_common as distribution
from . import _emerging_common as emerging
from ._styles import style_on_load
from .base import CarbonAlgorithm, progress_callback

_RULES = """
<h3>Patterns (PATTERN, PATTERN_CODE)</h3>
<p>A bin is a significant hot (cold) spot when its Gi* is positive (negative) with at least 90 %
confidence (|z| &ge; 1.645). &ldquo;Mostly hot&rdquo; means hot in at least 90 % of the years
(e.g. 9 of 10, 19 of 21). The trend is the Mann-Kendall test of the location's Gi* z-scores at
90 % confidence. Codes: 0 no pattern; hot 1 new, 2 consecutive, 3 intensifying, 4 persistent,
5 diminishing, 6 sporadic, 7 oscillating, 8 historical; cold 9&ndash;16 in the same order.</p>
<ul>
<li><b>New</b>: hot in the final year only (never hot, nor cold, before).</li>
<li><b>Consecutive</b>: a single uninterrupted run of at least two hot years ending in the final year,
never hot before the run, less than 90 % hot, never cold.</li>
<li><b>Intensifying</b>: mostly hot, hot in the final year, Gi* z-scores increasing significantly.</li>
<li><b>Persistent</b>: mostly hot, hot in the final year, no significant trend.</li>
<li><b>Diminishing</b>: mostly hot, hot in the final year, Gi* z-scores decreasing significantly.</li>
<li><b>Sporadic</b>: hot in the final year, on-again-off-again before (hot before the final run),
less than 90 % hot, never cold.</li>
<li><b>Oscillating</b>: hot in the final year, cold in some earlier year, less than 90 % hot.</li>
<li><b>Historical</b>: not significant in the final year, but hot in at least 90 % of the years.</li>
</ul>
<p>Cold spots follow the same rules with hot and cold swapped (an intensifying cold spot has Gi*
z-scores decreasing significantly). A location significant in the final year gets a pattern of that
sign first: cold in the final year but mostly hot before is an oscillating cold spot. These are the
definitions of ArcGIS Pro &ldquo;Emerging Hot Spot Analysis&rdquo;; where ArcGIS's wording lets two
patterns apply (e.g. new and oscillating), the more specific one listed here wins.</p>
"""


class EmergingHotSpots(CarbonAlgorithm):
    ALG_ID = "emerginghotspots"
    DISPLAY_NAME = "Emerging hot spot analysis"
    GROUP = "Spatial clustering"
    GROUP_ID = "clustering"
    ICON = "emerging_hotspots.svg"
    HELP = (
        "<p>Finds how hot and cold spots evolve over the study years (new, intensifying, persistent, "
        "diminishing ... hot and cold spots), as ArcGIS Pro &ldquo;Emerging Hot Spot Analysis&rdquo; "
        "does on a space-time cube.</p>"
        "<h3>Method</h3>"
        "<p><b>1. Space-time Gi*.</b> Each location in each year (a <i>bin</i>) gets a Getis-Ord Gi* "
        "z-score whose neighbourhood is its spatial neighbours and itself (the neighbourhood of "
        "<i>Hot spot analysis</i>: NEIGHBORHOOD, DISTANCE, K, POWER) in that year <b>and</b> in the "
        "TIME_STEPS earlier years (ArcGIS's &ldquo;neighborhood time step&rdquo;; fewer at the start of "
        "the series). Spatial weights repeat unchanged in each year of the window (binary, or "
        "distance<sup>-POWER</sup> with the self weight the row's largest weight). As ArcGIS's default "
        "global window (&ldquo;entire cube&rdquo;), the mean x&#772; and standard deviation S are those "
        "of all n = locations &times; years bins: Gi*<sub>it</sub> = &Sigma; w (x &minus; x&#772;) / "
        "(S &radic;((n S1 &minus; W<sup>2</sup>)/(n &minus; 1))), W and S1 the sum and the sum of "
        "squares of the bin's weights. With one year and TIME_STEPS = 0 this is exactly "
        "<i>Hot spot analysis</i>.</p>"
        "<p><b>2. Mann-Kendall trend</b> of each location's Gi* z-score series (and of its raw values): "
        "S = &Sigma;<sub>i&lt;j</sub> sign(x<sub>j</sub> &minus; x<sub>i</sub>), Var(S) with the tie "
        "correction, z with the continuity correction, two-sided p (as pymannkendall "
        "<i>original_test</i>); <b>Sen's slope</b> of the raw values = the median of the pairwise "
        "slopes, in value units per year (actual year spacing).</p>"
        + _RULES
        + "<h3>Input</h3><p>Either a vector layer (INPUT) with one feature per location per year: the "
        "value field (FIELD), the year field (TIME_FIELD: whole years or dates) and, optionally, a "
        "location id field (LOCATION_FIELD; without it locations are matched by identical geometry). "
        "Every location needs exactly one feature in every year. Or yearly rasters on one grid "
        "(RASTERS, band 1), with the years in YEARS or in the layer names; cells with nodata in any "
        "year are left out. At least 3 years are needed; the trend test has little power below 10.</p>"
        "<h3>Outputs</h3><p><b>OUTPUT</b> (vector input): one feature per location (its final-year "
        "feature's geometry and fields, without the value and time fields) with PATTERN, PATTERN_CODE, "
        "MK_Z, MK_P (trend of the Gi* z-scores), SEN_SLOPE (of the values, per year), HOT_YEARS and "
        "COLD_YEARS (significant bins), LAST_BIN (Gi_Bin of the final year, &minus;3&hellip;3), "
        "VALUE_MK_Z and VALUE_MK_P (trend of the values). Locations without any spatial neighbour "
        "get NULL. <b>OUTPUT_RASTER</b> (raster input): bands pattern code, MK z, MK p, Sen's slope "
        "(nodata &minus;9999). Both load with the 17-class emerging hot spot palette. "
        "<b>OUTPUT_TABLE</b>: per year and pattern, the locations of the pattern and how many of them "
        "are hot / cold spots that year. <b>OUTPUT_HTML</b>: summary and stacked chart.</p>"
        "<p>References: Ord &amp; Getis (1995); Mann (1945); Kendall (1975); Sen (1968); Esri, "
        "&ldquo;How Emerging Hot Spot Analysis works&rdquo; (ArcGIS Pro).</p>"
    )
    INPUT = distribution.INPUT
    FIELD = common.FIELD
    TIME_FIELD = distribution.TIME_FIELD
    LOCATION_FIELD = "LOCATION_FIELD"
    RASTERS = distribution.RASTERS
    YEARS = distribution.YEARS
    TIME_STEPS = "TIME_STEPS"
    OUTPUT = "OUTPUT"
    OUTPUT_RASTER = "OUTPUT_RASTER"
    OUTPUT_TABLE = "OUTPUT_TABLE"
    OUTPUT_HTML = "OUTPUT_HTML"

    def initAlgorithm(self, config=None):
        tr = self.tr
        params = [
            (QgsProcessingParameterFeatureSource(
                self.INPUT, tr("Input features (one per location per year)"),
                [QgsProcessing.SourceType.TypeVectorAnyGeometry], optional=True),
             "Points or polygons; leave empty when using yearly rasters."),
            (QgsProcessingParameterField(
                self.FIELD, tr("Value field"), parentLayerParameterName=self.INPUT,
                type=QgsProcessingParameterField.DataType.Numeric, optional=True),
             "Numeric field analysed (e.g. emissions)."),
            (QgsProcessingParameterField(
                self.TIME_FIELD, tr("Year field"), parentLayerParameterName=self.INPUT,
                type=QgsProcessingParameterField.DataType.Any, optional=True),
             "Whole years (e.g. 2015) or dates."),
            (QgsProcessingParameterField(
                self.LOCATION_FIELD, tr("Location id field (empty: match identical geometries)"),
                parentLayerParameterName=self.INPUT, type=QgsProcessingParameterField.DataType.Any,
                optional=True),
             "Features of the same location in different years share this id."),
            (QgsProcessingParameterMultipleLayers(
                self.RASTERS, tr("Yearly rasters (instead of features)"),
                QgsProcessing.SourceType.TypeRaster, optional=True),
             "One raster per year on one grid (band 1)."),
            (QgsProcessingParameterString(self.YEARS, tr("Years of the rasters (comma-separated)"),
                                          optional=True),
             "One year per raster in order; empty: read from the layer names."),
            (QgsProcessingParameterEnum(
                common.NEIGHBORHOOD, tr("Neighbourhood"),
                options=[tr(o) for o in common.NEIGHBORHOOD_OPTIONS], defaultValue=0),
             "How spatial neighbours are defined (as in Hot spot analysis)."),
            (QgsProcessingParameterNumber(
                common.DISTANCE, tr("Distance band (layer units; 0 = default)"),
                type=QgsProcessingParameterNumber.Type.Double, defaultValue=0.0, minValue=0.0),
             "Band radius in the layer's CRS units; 0 picks the smallest band giving everyone a neighbour."),
            (QgsProcessingParameterNumber(
                common.K, tr("Number of nearest neighbours (K)"),
                type=QgsProcessingParameterNumber.Type.Integer, defaultValue=8, minValue=1),
             "Used with the k nearest neighbours neighbourhood (vector input)."),
            (QgsProcessingParameterNumber(
                self.TIME_STEPS, tr("Earlier years in the neighbourhood (time step)"),
                type=QgsProcessingParameterNumber.Type.Integer, defaultValue=1, minValue=0),
             "Each bin's neighbourhood spans this many earlier years (0 = its own year only)."),
        ]
        power = QgsProcessingParameterNumber(
            common.POWER, tr("Inverse distance power"), type=QgsProcessingParameterNumber.Type.Double,
            defaultValue=1.0, minValue=0.0)
        power.setFlags(power.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
        params.append((power, "Weights are distance to the power -POWER (inverse distance only)."))
        params += [
            (QgsProcessingParameterFeatureSink(
                self.OUTPUT, tr("Emerging hot spots (vector input)"),
                QgsProcessing.SourceType.TypeVectorAnyGeometry, optional=True),
             "One feature per location with PATTERN, PATTERN_CODE, MK_Z, MK_P, SEN_SLOPE, ..."),
            (QgsProcessingParameterRasterDestination(
                self.OUTPUT_RASTER, tr("Emerging hot spots (raster input)"), optional=True),
             "GeoTIFF: band 1 pattern code, 2 MK z, 3 MK p, 4 Sen's slope."),
            (QgsProcessingParameterFeatureSink(
                self.OUTPUT_TABLE, tr("Patterns per year"), QgsProcessing.SourceType.TypeVector, optional=True,
                createByDefault=False),
             "Per year and pattern: locations, hot and cold spots that year."),
            (QgsProcessingParameterFileDestination(
                self.OUTPUT_HTML, tr("HTML report"), tr("HTML files (*.html)"), optional=True,
                createByDefault=False),
             "Summary, pattern counts and a stacked chart per year."),
        ]
        for param, text in params:
            param.setHelp(tr(text))
            self.addParameter(param)

    def _settings(self, parameters, context):
        return dict(kind=self.parameterAsEnum(parameters, common.NEIGHBORHOOD, context),
                    distance=self.parameterAsDouble(parameters, common.DISTANCE, context),
                    k=self.parameterAsInt(parameters, common.K, context),
                    power=self.parameterAsDouble(parameters, common.POWER, context), row=False)

    def read_cube(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, self.INPUT, context)
        rasters = self.parameterAsLayerList(parameters, self.RASTERS, context)
        if source is not None and rasters:
            self.fail("Give either input features or yearly rasters, not both (clear one of the two).")
        if source is None and not rasters:
            self.fail("Give input features (INPUT) or yearly rasters (RASTERS).")
        settings = self._settings(parameters, context)
        try:
            if source is not None:
                layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
                crs = layer.crs() if layer is not None else source.sourceCrs()
                return emerging.read_vector_cube(
                    self, source, crs, self.parameterAsString(parameters, self.FIELD, context),
                    self.parameterAsString(parameters, self.TIME_FIELD, context),
                    self.parameterAsString(parameters, self.LOCATION_FIELD, context), settings, feedback)
            years = distribution.raster_years(self, parameters, context, rasters)
            return emerging.read_raster_cube(self, rasters, years, settings, feedback)
        except ValueError as error:  # WeightsError / StatisticError
            self.fail(str(error))

    def processAlgorithm(self, parameters, context, feedback):
        time_steps = self.parameterAsInt(parameters, self.TIME_STEPS, context)
        steps = QgsProcessingMultiStepFeedback(3, feedback)
        steps.setProgressText(self.tr("Reading the space-time cube and building weights"))
        cube = self.read_cube(parameters, context, steps)
        for line in cube.description:
            feedback.pushInfo(line)
        if len(cube.years) < 10:
            feedback.pushWarning(f"Only {len(cube.years)} years: the Mann-Kendall trend test has little power "
                                 "below 10 time steps, so intensifying/diminishing patterns are rare.")
        steps.setCurrentStep(1)
        result = common.run_core(emerging_hot_spots, cube.values, cube.weights, times=cube.years,
                                 time_steps=time_steps, progress=progress_callback(steps))
        for code, name, count in emerging.pattern_summary(result):
            feedback.pushInfo(f"{name} (code {code}): {count}")
        if result.n_undefined:
            feedback.pushWarning(f"{result.n_undefined} location(s) have no spatial neighbour or an undefined Gi*: "
                                 "their results are empty.")
        steps.setCurrentStep(2)
        steps.setProgressText(self.tr("Writing outputs"))
        outputs = {}
        if cube.is_raster:
            common.drop_unused_output(context, self.OUTPUT)
            path = self.parameterAsOutputLayer(parameters, self.OUTPUT_RASTER, context)
            if not path:
                self.fail("Set the raster output (OUTPUT_RASTER) for yearly raster input.")
            emerging.write_raster(path, cube, result, feedback)
            style_on_load(context, path, "emerging_hotspots", self.tr("Emerging hot spots"))
            outputs[self.OUTPUT_RASTER] = path
        else:
            common.drop_unused_output(context, self.OUTPUT_RASTER)
            dest = emerging.write_vector(self, parameters, self.OUTPUT, context, cube, result, feedback)
            if dest is None:
                self.fail("Set the vector output (OUTPUT) for vector input.")
            style_on_load(context, dest, "emerging_hotspots", self.tr("Emerging hot spots"))
            outputs[self.OUTPUT] = dest
        table = emerging.write_table(self, parameters, self.OUTPUT_TABLE, context, result)
        if table is not None:
            outputs[self.OUTPUT_TABLE] = table
        html_path = self.parameterAsFileOutput(parameters, self.OUTPUT_HTML, context)
        if html_path:
            emerging.write_report(html_path, result, cube.description, time_steps)
            outputs[self.OUTPUT_HTML] = html_path
        return outputs
