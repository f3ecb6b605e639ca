"""Getis-Ord General G (high/low clustering) for features or raster cells."""

from qgis.core import (
    QgsProcessingMultiStepFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFileDestination,
)

from ..core.getis_ord import general_g
from . import _clustering_common as common
from . import _html
from .base import CarbonAlgorithm, progress_callback


class GeneralG(CarbonAlgorithm):
    ALG_ID = "generalg"
    DISPLAY_NAME = "General G (high/low clustering)"
    GROUP = "Spatial clustering"
    GROUP_ID = "clustering"
    ICON = "generalg.svg"
    OUTPUT_HTML = "OUTPUT_HTML"
    NUMBERS = ["OBSERVED_G", "EXPECTED_G", "VARIANCE", "Z_SCORE", "P_VALUE", "PSEUDO_P_VALUE", "N",
               "DISTANCE_BAND"]

    def initAlgorithm(self, config=None):
        common.add_input_parameters(self)
        report = QgsProcessingParameterFileDestination(
            self.OUTPUT_HTML, self.tr("Report"), self.tr("HTML files (*.html)"), optional=True,
            createByDefault=False)
        report.setHelp(self.tr("Optional HTML report with the statistics."))
        self.addParameter(report)
        for name in self.NUMBERS:
            self.addOutput(QgsProcessingOutputNumber(name, self.tr(name.replace("_", " ").title())))

    def processAlgorithm(self, parameters, context, feedback):
        permutations, seed = common.permutation_settings(self, parameters, context)
        steps = QgsProcessingMultiStepFeedback(2, feedback)
        steps.setProgressText(self.tr("Reading input and building weights"))
        obs = common.load_observations(self, parameters, context, steps)
        if obs.weights.row_standardised:
            feedback.pushInfo("General G uses unstandardised weights; row standardisation is not applied.")
        steps.setCurrentStep(1)
        steps.setProgressText(self.tr("General G"))
        res = common.run_core(general_g, obs.values, obs.weights, permutations, seed,
                              progress=progress_callback(steps))
        for line in obs.description:
            feedback.pushInfo(line)
        feedback.pushInfo(
            f"General G = {res.observed_g:.6g}, E[G] = {res.expected_g:.6g}, variance = {res.variance:.6g}, "
            f"z = {res.z_score:.4f}, p = {res.p_value:.6g}"
            + (f"; pseudo p = {res.pseudo_p_value:.4g} ({permutations} permutations, seed {seed})"
               if permutations else ""))
        band = getattr(obs.weights, "threshold", None)
        if getattr(obs.weights, "radius_cells", None) is not None:
            band = obs.weights.radius_cells * obs.grid.cell_size[0]
        outputs = {"OBSERVED_G": res.observed_g, "EXPECTED_G": res.expected_g, "VARIANCE": res.variance,
                   "Z_SCORE": res.z_score, "P_VALUE": res.p_value, "PSEUDO_P_VALUE": res.pseudo_p_value,
                   "N": res.n, "DISTANCE_BAND": band}
        path = self.parameterAsFileOutput(parameters, self.OUTPUT_HTML, context)
        if path:
            fmt = common.fmt
            table = _html.html_table(
                ["Observed G", "Expected G", "Variance", "z-score", "p-value", "pseudo p", "n"],
                [[fmt(res.observed_g, 8), fmt(res.expected_g, 8), fmt(res.variance, 12), fmt(res.z_score),
                  fmt(res.p_value), fmt(res.pseudo_p_value, 4) if permutations else "", str(res.n)]])
            _html.write_html(path, "General G", [("Results", table),
                                                  ("Data and neighbourhood", _html.html_list(obs.description))])
            outputs[self.OUTPUT_HTML] = path
        return outputs
