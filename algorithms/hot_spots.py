"""Getis-Ord Gi* hot spot analysis for features or raster cells."""

import numpy as np
from qgis.core import (
    QgsProcessing,
    QgsProcessingMultiStepFeedback,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterRasterDestination,
)

from ..core.getis_ord import bin_counts, getis_ord_gi_star
from . import _clustering_common as common
from ._styles import style_on_load
from .base import CarbonAlgorithm, progress_callback


class HotSpots(CarbonAlgorithm):
    ALG_ID = "hotspots"
    DISPLAY_NAME = "Hot spot analysis (Getis-Ord Gi*)"
    GROUP = "Spatial clustering"
    GROUP_ID = "clustering"
    ICON = "hotspots.svg"
    FDR = "FDR"
    OUTPUT = "OUTPUT"
    OUTPUT_RASTER = "OUTPUT_RASTER"

    def initAlgorithm(self, config=None):
        common.add_input_parameters(self, permutations=False)
        fdr = QgsProcessingParameterBoolean(self.FDR, self.tr("Apply false discovery rate (FDR) correction"),
                                            defaultValue=False)
        fdr.setHelp(self.tr("Benjamini-Hochberg correction of the confidence bins."))
        self.addParameter(fdr)
        out = QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Hot spots (vector input)"),
                                                QgsProcessing.SourceType.TypeVectorAnyGeometry, optional=True)
        out.setHelp(self.tr("Input features with GiZScore, GiPValue, Gi_Bin, NNeighbors."))
        self.addParameter(out)
        raster = QgsProcessingParameterRasterDestination(self.OUTPUT_RASTER, self.tr("Hot spots (raster input)"),
                                                         optional=True)
        raster.setHelp(self.tr("GeoTIFF: band 1 z-score, band 2 p-value, band 3 bin."))
        self.addParameter(raster)

    def processAlgorithm(self, parameters, context, feedback):
        fdr = self.parameterAsBool(parameters, self.FDR, context)
        steps = QgsProcessingMultiStepFeedback(3, feedback)
        steps.setProgressText(self.tr("Reading input and building weights"))
        obs = common.load_observations(self, parameters, context, steps)
        for line in obs.description:
            feedback.pushInfo(line)
        steps.setCurrentStep(1)
        steps.setProgressText(self.tr("Gi* z-scores"))
        res = common.run_core(getis_ord_gi_star, obs.values, obs.weights, fdr=fdr,
                              progress=progress_callback(steps))
        counts = bin_counts(res.bin_codes(np.nan))
        feedback.pushInfo(
            "Hot spots 99/95/90 %: {}/{}/{}; cold spots 99/95/90 %: {}/{}/{}; not significant: {}{}".format(
                counts[3], counts[2], counts[1], counts[-3], counts[-2], counts[-1], counts[0],
                " (FDR corrected)" if fdr else ""))
        if res.n_undefined:
            feedback.pushWarning(f"{res.n_undefined} observation(s) have no neighbour or an undefined Gi*: "
                                 "their results are empty.")
        steps.setCurrentStep(2)
        steps.setProgressText(self.tr("Writing output"))
        if obs.is_raster:
            return common.write_raster_result(
                self, parameters, context, obs, [res.z_score, res.p_value, res.bin_codes(np.nan)],
                ["GiZScore", "GiPValue", "Gi_Bin"], "hotspots", self.tr("Hot spots"), feedback)
        common.drop_unused_output(context, self.OUTPUT_RASTER)
        fields = [common.double_field("GiZScore"), common.double_field("GiPValue"), common.int_field("Gi_Bin"),
                  common.int_field("NNeighbors")]
        columns = {"GiZScore": res.z_score, "GiPValue": res.p_value,
                   "Gi_Bin": res.bin_codes(0).astype(np.int64), "NNeighbors": res.n_neighbours}
        dest = common.write_vector_results(self, parameters, self.OUTPUT, context, feedback, obs, fields, columns)
        if dest is None:
            self.fail("Set the vector output (OUTPUT) for a vector input.")
        style_on_load(context, dest, "hotspots", self.tr("Hot spots"))
        return {self.OUTPUT: dest}
