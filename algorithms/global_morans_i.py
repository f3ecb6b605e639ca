"""Global Moran's I (spatial autocorrelation) for features or raster cells."""

import numpy as np
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingMultiStepFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsRasterLayer,
)

from ..core.centrography import group_by_time
from ..core.moran import global_morans_i
from . import _clustering_common as common
from . import _html
from ._compat import FieldType, WkbType
from .base import CarbonAlgorithm, progress_callback


class GlobalMoransI(CarbonAlgorithm):
    ALG_ID = "globalmoransi"
    DISPLAY_NAME = "Global Moran's I (spatial autocorrelation)"
    GROUP = "Spatial clustering"
    GROUP_ID = "clustering"
    ICON = "moran.svg"

    TIME_FIELD = "TIME_FIELD"
    OUTPUT_TABLE = "OUTPUT_TABLE"
    OUTPUT_HTML = "OUTPUT_HTML"
    NUMBERS = ["MORANS_I", "EXPECTED_I", "VARIANCE", "Z_SCORE", "P_VALUE", "VARIANCE_NORMAL", "Z_NORMAL",
               "P_NORMAL", "PSEUDO_P_VALUE", "N", "DISTANCE_BAND"]

    def initAlgorithm(self, config=None):
        common.add_input_parameters(self)
        time = QgsProcessingParameterField(
            self.TIME_FIELD, self.tr("Time field (one Moran's I per value; vector only)"),
            parentLayerParameterName=common.INPUT, optional=True)
        time.setHelp(self.tr("E.g. a year field: one row per distinct value in OUTPUT_TABLE."))
        self.addParameter(time)
        table = QgsProcessingParameterFeatureSink(
            self.OUTPUT_TABLE, self.tr("Moran's I by time value"), QgsProcessing.SourceType.TypeVector,
            optional=True, createByDefault=False)
        table.setHelp(self.tr("Table with year, morans_i, expected_i, variance, z_score, p_value, n."))
        self.addParameter(table)
        report = QgsProcessingParameterFileDestination(
            self.OUTPUT_HTML, self.tr("Report"), self.tr("HTML files (*.html)"), optional=True,
            createByDefault=True)
        report.setHelp(self.tr("HTML report with the statistics and a Moran scatterplot."))
        self.addParameter(report)
        for name in self.NUMBERS:
            self.addOutput(QgsProcessingOutputNumber(name, self.tr(name.replace("_", " ").title())))

    def processAlgorithm(self, parameters, context, feedback):
        time_field = self.parameterAsString(parameters, self.TIME_FIELD, context)
        permutations, seed = common.permutation_settings(self, parameters, context)
        layer = common.input_layer(self, parameters, context)
        if time_field and isinstance(layer, QgsRasterLayer):
            self.fail("TIME_FIELD applies to vector input only; leave it empty for a raster.")
        steps = QgsProcessingMultiStepFeedback(3, feedback)
        steps.setProgressText(self.tr("Reading input and building weights"))
        results = []  # (time, result, observations)
        if time_field:
            arrays, settings, source, crs = common.load_observations(
                self, parameters, context, steps, time_field=time_field)
            times, groups = group_by_time(arrays.times)
            if not times:
                self.fail("No feature has a value in both the field and the time field.")
            units = common._unit_name(crs)
            steps.setCurrentStep(1)
            for i, (t, index) in enumerate(zip(times, groups)):
                if feedback.isCanceled():
                    raise QgsProcessingException("Cancelled by the user.")
                part = common.subset_arrays(arrays, index)
                try:
                    obs = common.vector_observations(self, source, layer, part, common_field(self, parameters,
                                                     context), settings, steps, units)
                except QgsProcessingException as error:
                    raise QgsProcessingException(f"{time_field} = {t}: {error}") from error
                res = common.run_core(global_morans_i, obs.values, obs.weights, permutations, seed)
                results.append((t, res, obs))
                steps.setProgress(100.0 * (i + 1) / len(times))
        else:
            obs = common.load_observations(self, parameters, context, steps)
            steps.setCurrentStep(1)
            steps.setProgressText(self.tr("Moran's I"))
            res = common.run_core(global_morans_i, obs.values, obs.weights, permutations, seed,
                                  progress=progress_callback(steps))
            results.append((None, res, obs))
        steps.setCurrentStep(2)
        steps.setProgressText(self.tr("Writing outputs"))
        outputs = {}
        for t, res, obs in results:
            label = "" if t is None else f"[{time_field} = {t}] "
            for line in obs.description:
                feedback.pushInfo(label + line)
            feedback.pushInfo(
                f"{label}Moran's I = {res.morans_i:.6f}, E[I] = {res.expected_i:.6f}, "
                f"variance = {res.variance:.6g}, z = {res.z_score:.4f}, p = {res.p_value:.6g} (randomisation); "
                f"z = {res.z_normal:.4f}, p = {res.p_normal:.6g} (normality)"
                + (f"; pseudo p = {res.pseudo_p_value:.4g} ({res.permutations} permutations, seed {seed})"
                   if res.permutations else ""))
        last_t, last, last_obs = results[-1]
        outputs.update({
            "MORANS_I": last.morans_i, "EXPECTED_I": last.expected_i, "VARIANCE": last.variance,
            "Z_SCORE": last.z_score, "P_VALUE": last.p_value, "VARIANCE_NORMAL": last.variance_normal,
            "Z_NORMAL": last.z_normal, "P_NORMAL": last.p_normal, "PSEUDO_P_VALUE": last.pseudo_p_value,
            "N": last.n, "DISTANCE_BAND": _band(last_obs),
        })
        if time_field and parameters.get(self.OUTPUT_TABLE) is not None:
            table_id = self._write_table(parameters, context, results)
            if table_id:
                outputs[self.OUTPUT_TABLE] = table_id
        html_path = self.parameterAsFileOutput(parameters, self.OUTPUT_HTML, context)
        if html_path:
            self._write_report(html_path, results, time_field, seed)
            outputs[self.OUTPUT_HTML] = html_path
        return outputs

    def _write_table(self, parameters, context, results):
        times = [t for t, _, _ in results]
        integer = all(isinstance(t, (int, np.integer)) or (isinstance(t, float) and float(t).is_integer())
                      for t in times)
        fields = QgsFields()
        fields.append(common.QgsField("year", FieldType.Int if integer else FieldType.String))
        for name in ("morans_i", "expected_i", "variance", "z_score", "p_value"):
            fields.append(common.double_field(name))
        fields.append(common.int_field("n"))
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT_TABLE, context, fields, WkbType.NoGeometry)
        if sink is None:
            return None
        for t, res, _ in results:
            f = QgsFeature(fields)
            f.setAttributes([int(t) if integer else str(t), res.morans_i, res.expected_i, res.variance,
                             res.z_score, res.p_value, int(res.n)])
            sink.addFeature(f, QgsFeatureSink.Flag.FastInsert)
        return dest

    def _write_report(self, path, results, time_field, seed):
        fmt = common.fmt
        header = ["year"] if time_field else []
        header += ["Moran's I", "Expected I", "Variance", "z-score", "p-value", "Variance (normality)",
                   "z (normality)", "p (normality)", "pseudo p", "n"]
        rows = []
        for t, r, _ in results:
            row = [str(t)] if time_field else []
            row += [fmt(r.morans_i), fmt(r.expected_i), fmt(r.variance), fmt(r.z_score), fmt(r.p_value),
                    fmt(r.variance_normal), fmt(r.z_normal), fmt(r.p_normal),
                    fmt(r.pseudo_p_value, 4) if r.permutations else "", str(r.n)]
            rows.append(row)
        t, last, obs = results[-1]
        sections = [("Results", _html.html_table(header, rows)
                     + "<p>Variance, z-score and p-value (two-sided) under the randomisation assumption; "
                       "the normality columns under the normality assumption.</p>"),
                    ("Data and neighbourhood", _html.html_list(obs.description))]
        title = f"Moran scatterplot: {obs.label}" + ("" if t is None else f" ({t})")
        png = common.moran_scatterplot_png(last.z, last.lag, last.morans_i, title, seed)
        if png:
            sections.append(("Moran scatterplot", f"<img alt='Moran scatterplot' src='data:image/png;base64,{png}'>"
                             + ("<p>Up to 20,000 randomly chosen observations are drawn.</p>"
                                if last.n > 20000 else "")))
        _html.write_html(path, "Global Moran's I", sections)


def common_field(alg, parameters, context):
    return alg.parameterAsString(parameters, common.FIELD, context)


def _band(obs):
    w = obs.weights
    threshold = getattr(w, "threshold", None)
    if threshold is not None:
        return float(threshold)
    if getattr(w, "radius_cells", None) is not None:
        return float(w.radius_cells * obs.grid.cell_size[0])
    return None
