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

from ..core.emerging_hot_spots import emerging_hot_spots, pattern_counts
from . import _clustering_common as common
from . import _distribution_common as distribution
from . import _emerging_common as emerging
from ._styles import style_on_load
from .base import CarbonAlgorithm, progress_callback


class EmergingHotSpots(CarbonAlgorithm):
    ALG_ID = "emerginghotspots"
    DISPLAY_NAME = "Emerging hot spot analysis"
    GROUP = "Spatial clustering"
    GROUP_ID = "clustering"
    ICON = "emerging_hotspots.svg"
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
        for param, help_text in params:
            self.add_parameter(param, help_text)

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
        for code, name, count, _share in pattern_counts(result.pattern):
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
