"""Anselin Local Moran's I (cluster and outlier analysis) for features or raster cells."""

from qgis.core import (
    QgsProcessing,
    QgsProcessingMultiStepFeedback,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterRasterDestination,
)

from ..core.moran import local_morans_i
from . import _clustering_common as common
from ._styles import style_on_load
from .base import CarbonAlgorithm, progress_callback

#: Cell budget of conditional permutations on rasters (observations x permutations x neighbours).
_PERMUTATION_BUDGET = 3e9
COTYPE_CODES = {"": 0, "HH": 1, "LH": 2, "LL": 3, "HL": 4}


class LocalMoran(CarbonAlgorithm):
    ALG_ID = "localmoran"
    DISPLAY_NAME = "Cluster and outlier analysis (Anselin Local Moran's I)"
    GROUP = "Spatial clustering"
    GROUP_ID = "clustering"
    ICON = "localmoran.svg"
    OUTPUT = "OUTPUT"
    OUTPUT_RASTER = "OUTPUT_RASTER"

    def initAlgorithm(self, config=None):
        common.add_input_parameters(self)
        out = QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Clusters and outliers (vector input)"),
                                                QgsProcessing.SourceType.TypeVectorAnyGeometry, optional=True)
        out.setHelp(self.tr("Input features with LMiIndex, LMiZScore, LMiPValue, COType, NNeighbors."))
        self.addParameter(out)
        raster = QgsProcessingParameterRasterDestination(
            self.OUTPUT_RASTER, self.tr("Clusters and outliers (raster input)"), optional=True)
        raster.setHelp(self.tr("GeoTIFF: LMiIndex, LMiZScore, LMiPValue, cluster type code."))
        self.addParameter(raster)

    def processAlgorithm(self, parameters, context, feedback):
        permutations, seed = common.permutation_settings(self, parameters, context)
        steps = QgsProcessingMultiStepFeedback(3, feedback)
        steps.setProgressText(self.tr("Reading input and building weights"))
        obs = common.load_observations(self, parameters, context, steps)
        for line in obs.description:
            feedback.pushInfo(line)
        if permutations:
            work = obs.weights.n * permutations * max(int(obs.weights.cardinalities.max()), 1)
            if work > _PERMUTATION_BUDGET:
                self.fail(f"{permutations} conditional permutations for {obs.weights.n:,} observations are too "
                          "much work. Use fewer permutations (or 0: analytical z-scores) or a coarser grid.")
        steps.setCurrentStep(1)
        steps.setProgressText(self.tr("Local Moran's I"))
        res = common.run_core(local_morans_i, obs.values, obs.weights, permutations, seed,
                              progress=progress_callback(steps))
        p = res.significance
        summary = ", ".join(f"{t or 'not significant'}: {c}" for t, c in res.cluster_counts.items())
        basis = f"pseudo p from {permutations} permutations" if permutations else "analytical p"
        feedback.pushInfo(f"Cluster types (p < 0.05, {basis}): {summary}")
        steps.setCurrentStep(2)
        steps.setProgressText(self.tr("Writing output"))
        if obs.is_raster:
            return common.write_raster_result(
                self, parameters, context, obs, [res.local_i, res.z_score, p, res.cluster_codes],
                ["LMiIndex", "LMiZScore", "LMiPValue", "COType"], "local_moran",
                self.tr("Clusters and outliers"), feedback)
        common.drop_unused_output(context, self.OUTPUT_RASTER)
        fields = [common.double_field("LMiIndex"), common.double_field("LMiZScore"),
                  common.double_field("LMiPValue"), common.string_field("COType", 2),
                  common.int_field("NNeighbors")]
        columns = {"LMiIndex": res.local_i, "LMiZScore": res.z_score, "LMiPValue": p,
                   "COType": res.cluster_type, "NNeighbors": res.cardinalities}
        dest = common.write_vector_results(self, parameters, self.OUTPUT, context, feedback, obs, fields, columns)
        if dest is None:
            self.fail("Set the vector output (OUTPUT) for a vector input.")
        style_on_load(context, dest, "local_moran", self.tr("Clusters and outliers"))
        return {self.OUTPUT: dest}
