"""Multiscale geographically weighted regression (MGWR), GWR and OLS for features."""

import math

import numpy as np
from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingMultiStepFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..core.centrography import group_by_time
from ..core.collinearity import CN_THRESHOLD, VIF_THRESHOLD, local_condition_numbers
from ..core.formatting import format_fixed
from ..core.gwr import fit_gwr, fit_ols
from ..core.kernel import KERNELS, RegressionError, SpatialKernel, cache_budget
from ..core.mgwr import fit_mgwr
from ..core.numerics import is_constant
from ..core.regression_summary import (
    coefficient_summary,
    collinearity,
    condition_number_summary,
    regression_design,
)
from . import _html
from ._clustering_common import _available_memory
from ._compat import FieldType, WkbType, parameter_as_strings
from ._io import read_features
from ._styles import style_on_load
from .base import CarbonAlgorithm, progress_callback
from .layers import metric_frame, undefined_crs_check

MODELS = ["MGWR", "GWR", "OLS"]
SEARCHES = ["golden_section", "interval", "user"]
#: The interval search fits one model per step: more steps than this are refused up front.
MAX_INTERVAL_STEPS = 10_000
CRITERIA = ["AICc", "AIC", "BIC", "CV"]


def _attribute_rows(res, k, local_r2):
    """Each location's output values, in the order of ``_output_fields``: per term the
    coefficient, standard error, t value and 0/1 significance, then predicted, residual
    and standardised residual (and local R2). Not-finite numbers become NULL (None)."""
    columns = []
    sig = res.significant
    for j in range(k):
        columns += [res.params[:, j], res.bse[:, j], res.tvalues[:, j], sig[:, j].astype(int)]
    columns += [res.predy, res.resid, res.std_resid] + ([res.local_r2] if local_r2 else [])
    floats = np.column_stack([c for c in columns if c.dtype.kind == "f"])
    clean = np.isfinite(floats).all(axis=1)
    rows = [list(values) for values in zip(*(c.tolist() for c in columns))]
    for r in np.flatnonzero(~clean).tolist():
        rows[r] = [v if not isinstance(v, float) or math.isfinite(v) else None for v in rows[r]]
    return rows


class MultiscaleGWR(CarbonAlgorithm):
    ALG_ID = "mgwr"
    DISPLAY_NAME = "Multiscale geographically weighted regression"
    GROUP = "Drivers (regression)"
    GROUP_ID = "regression"
    ICON = "mgwr.svg"

    INPUT = "INPUT"
    DEPENDENT = "DEPENDENT"
    EXPLANATORY = "EXPLANATORY"
    MODEL = "MODEL"
    KERNEL = "KERNEL"
    BANDWIDTH_TYPE = "BANDWIDTH_TYPE"
    SEARCH = "SEARCH"
    CRITERION = "CRITERION"
    STANDARDIZE = "STANDARDIZE"
    MIN_BANDWIDTH = "MIN_BANDWIDTH"
    MAX_BANDWIDTH = "MAX_BANDWIDTH"
    INTERVAL_STEP = "INTERVAL_STEP"
    BANDWIDTHS = "BANDWIDTHS"
    TIME_FIELD = "TIME_FIELD"
    OUTPUT = "OUTPUT"
    OUTPUT_SUMMARY = "OUTPUT_SUMMARY"
    OUTPUT_HTML = "OUTPUT_HTML"

    def initAlgorithm(self, config=None):
        add = self.add_parameter

        add(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Input layer"),
            [QgsProcessing.SourceType.TypeVectorPoint, QgsProcessing.SourceType.TypeVectorPolygon]),
            "Points or polygons (polygons are represented by their centroid).")
        # Without a default the field widget preselects the first numeric field (often "fid").
        # The default "emissions" is selected when the layer has such a field (the study's
        # grids do); otherwise the box starts empty and the dialog asks for a choice.
        add(QgsProcessingParameterField(
            self.DEPENDENT, self.tr("Dependent variable"), defaultValue="emissions",
            parentLayerParameterName=self.INPUT, type=QgsProcessingParameterField.DataType.Numeric),
            "The variable to explain, e.g. emissions.")
        add(QgsProcessingParameterField(
            self.EXPLANATORY, self.tr("Explanatory variables"), parentLayerParameterName=self.INPUT,
            type=QgsProcessingParameterField.DataType.Numeric, allowMultiple=True),
            "One or more numeric fields; an intercept is always added.")
        add(QgsProcessingParameterEnum(self.MODEL, self.tr("Model"), MODELS, defaultValue=0),
            "0 MGWR (a bandwidth per term), 1 GWR (one bandwidth), 2 OLS (global).")
        add(QgsProcessingParameterEnum(self.KERNEL, self.tr("Kernel"), list(KERNELS), defaultValue=0),
            "0 bisquare, 1 gaussian, 2 exponential.")
        add(QgsProcessingParameterEnum(
            self.BANDWIDTH_TYPE, self.tr("Bandwidth type"),
            [self.tr("Adaptive (number of nearest neighbours)"), self.tr("Fixed (distance)")], defaultValue=0),
            "Adaptive: neighbours including the location itself; fixed: layer CRS units.")
        add(QgsProcessingParameterEnum(
            self.SEARCH, self.tr("Bandwidth search"),
            [self.tr("Golden section"), self.tr("Interval (min, max, step)"), self.tr("User-given bandwidths")],
            defaultValue=0),
            "How bandwidths are found.")
        add(QgsProcessingParameterEnum(self.CRITERION, self.tr("Criterion"), CRITERIA, defaultValue=0),
            "Criterion minimised by the bandwidth search.")
        add(QgsProcessingParameterBoolean(
            self.STANDARDIZE, self.tr("Standardise variables (z-scores)"), defaultValue=True),
            "z-score the dependent and explanatory variables first (recommended for MGWR).")
        add(QgsProcessingParameterNumber(
            self.MIN_BANDWIDTH, self.tr("Minimum bandwidth"), QgsProcessingParameterNumber.Type.Double,
            optional=True, minValue=0), "Lower bound of the search (neighbours or distance).")
        add(QgsProcessingParameterNumber(
            self.MAX_BANDWIDTH, self.tr("Maximum bandwidth"), QgsProcessingParameterNumber.Type.Double,
            optional=True, minValue=0), "Upper bound of the search (neighbours or distance).")
        add(QgsProcessingParameterNumber(
            self.INTERVAL_STEP, self.tr("Interval search step"), QgsProcessingParameterNumber.Type.Double,
            optional=True, minValue=0), "Step of the interval search (SEARCH = 1).")
        add(QgsProcessingParameterString(
            self.BANDWIDTHS, self.tr("User-given bandwidths (comma-separated)"), optional=True),
            "SEARCH = 2: one value for all terms, or one per term: Intercept, then the "
            "explanatory fields in order.")
        add(QgsProcessingParameterField(
            self.TIME_FIELD, self.tr("Time field (one model per value)"),
            parentLayerParameterName=self.INPUT, optional=True),
            "E.g. a year field: one model per distinct value, one summary row per year and term.")
        add(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Local coefficients"), QgsProcessing.SourceType.TypeVectorAnyGeometry),
            "Input features with b_, se_, t_, sig_ per term, predicted, residual, std_resid, localR2.")
        add(QgsProcessingParameterFeatureSink(
            self.OUTPUT_SUMMARY, self.tr("Coefficient summary"), QgsProcessing.SourceType.TypeVector,
            optional=True, createByDefault=True),
            "Per term (and year): variable, bandwidth, enp, adj_t_crit, mean, std, min, median, max.")
        add(QgsProcessingParameterFileDestination(
            self.OUTPUT_HTML, self.tr("Report"), self.tr("HTML files (*.html)"), optional=True,
            createByDefault=True), "Diagnostics, summary, VIF and local condition numbers.")
        for name, title in (("AICC", "AICc"), ("R2", self.tr("R squared")), ("ADJ_R2", self.tr("Adjusted R squared")),
                            ("SIGMA2", self.tr("Residual variance"))):
            self.addOutput(QgsProcessingOutputNumber(name, title))

    # ------------------------------------------------------------------
    def _settings(self, parameters, context):
        s = {
            "model": MODELS[self.parameterAsEnum(parameters, self.MODEL, context)],
            "kernel": KERNELS[self.parameterAsEnum(parameters, self.KERNEL, context)],
            "fixed": self.parameterAsEnum(parameters, self.BANDWIDTH_TYPE, context) == 1,
            "search": SEARCHES[self.parameterAsEnum(parameters, self.SEARCH, context)],
            "criterion": CRITERIA[self.parameterAsEnum(parameters, self.CRITERION, context)],
            "standardize": self.parameterAsBoolean(parameters, self.STANDARDIZE, context),
        }
        for key, name in (("bw_min", self.MIN_BANDWIDTH), ("bw_max", self.MAX_BANDWIDTH),
                          ("step", self.INTERVAL_STEP)):
            value = parameters.get(name)
            s[key] = None if value is None or value == "" else \
                self.parameterAsDouble(parameters, name, context)
        text = self.parameterAsString(parameters, self.BANDWIDTHS, context).strip()
        s["bandwidths"] = None
        if text:
            try:
                s["bandwidths"] = [float(v) for v in text.replace(";", ",").split(",") if v.strip()]
            except ValueError:
                self.fail(f"BANDWIDTHS must be numbers separated by commas; got '{text}'.")
        if s["search"] == "user" and not s["bandwidths"] and s["model"] != "OLS":
            self.fail("SEARCH = 2 (user-given) needs BANDWIDTHS, e.g. '120' or '150,90,60'.")
        if s["search"] == "interval" and s["model"] != "OLS":
            if s["bw_min"] is None or s["bw_max"] is None or not s["step"]:
                self.fail("The interval search (SEARCH = 1) needs MIN_BANDWIDTH, MAX_BANDWIDTH "
                          "and a positive INTERVAL_STEP.")
        if s["bw_min"] is not None and s["bw_max"] is not None and s["bw_min"] > s["bw_max"]:
            self.fail(f"MIN_BANDWIDTH ({s['bw_min']:g}) is larger than MAX_BANDWIDTH "
                      f"({s['bw_max']:g}).")
        if s["search"] == "interval" and s["model"] != "OLS":
            count = (s["bw_max"] - s["bw_min"]) / s["step"] + 1
            if not np.isfinite(count) or count > MAX_INTERVAL_STEPS:
                self.fail(f"INTERVAL_STEP {s['step']:g} from {s['bw_min']:g} to {s['bw_max']:g} means "
                          f"{count:.3g} bandwidths to fit, too many (at most {MAX_INTERVAL_STEPS:,}). "
                          "Use a larger INTERVAL_STEP or a narrower MIN/MAX_BANDWIDTH range.")
        for key, name in (("bw_min", "MIN_BANDWIDTH"), ("bw_max", "MAX_BANDWIDTH")):
            if s[key] is not None and s["model"] != "OLS" and not s[key] > 0:
                self.fail(f"{name} must be positive; got {s[key]:g}.")
        return s

    def checkParameterValues(self, parameters, context):  # noqa: N802 - QGIS API
        if not self.parameterAsString(parameters, self.DEPENDENT, context):
            return False, self.tr("Choose the dependent variable (the field to explain, e.g. emissions).")
        return super().checkParameterValues(parameters, context)

    def processAlgorithm(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            self.fail("The input layer could not be read.")
        dependent = self.parameterAsString(parameters, self.DEPENDENT, context)
        if not dependent:
            self.fail("Choose the dependent variable (DEPENDENT): the numeric field to explain, e.g. emissions.")
        if source.fields().lookupField(dependent) < 0:
            self.fail(f"The layer has no field '{dependent}'. Choose the dependent variable (DEPENDENT) "
                      "among its numeric fields.")
        explanatory = parameter_as_strings(self, parameters, self.EXPLANATORY, context)
        time_field = self.parameterAsString(parameters, self.TIME_FIELD, context) or None
        if not explanatory:
            self.fail("Choose at least one explanatory field.")
        if dependent in explanatory:
            self.fail(f"'{dependent}' is both the dependent and an explanatory variable.")
        if len(set(explanatory)) != len(explanatory):
            self.fail("An explanatory field is listed twice.")
        s = self._settings(parameters, context)
        crs = source.sourceCrs()
        if s["fixed"] and s["model"] != "OLS" and crs.isGeographic():
            self.fail("A fixed distance bandwidth needs a projected CRS (distances in metres); "
                      f"the layer is in {crs.authid()} (degrees). Reproject it (e.g. to a UTM or "
                      "Albers CRS) or use an adaptive bandwidth.")

        steps = QgsProcessingMultiStepFeedback(3, feedback)
        steps.setProgressText(self.tr("Reading features"))
        arrays = read_features(source, [dependent] + list(explanatory), time_field, steps)
        if source.featureCount() == 0:
            self.fail("The input layer is empty: there are no features to fit.")
        if len(arrays.xy) == 0:
            nulls = f" ({arrays.skipped_null} have a null value)" if arrays.skipped_null else ""
            self.fail(f"No feature has values in all the chosen fields{nulls}. Fill or filter the nulls, "
                      "or choose other fields.")
        xy = arrays.xy
        if s["model"] != "OLS":
            undefined_crs_check(crs)
            if len(xy) > 1 and is_constant(xy[:, 0]) and is_constant(xy[:, 1]):
                self.fail(f"All {len(xy)} features are at the same location: a geographically weighted "
                          "regression needs distinct locations. Check the geometries, or use MODEL = OLS.")
        if crs.isGeographic():
            xy = metric_frame(crs, xy, context.transformContext()).forward(xy)
        names = ["Intercept"] + list(explanatory)
        groups = self._groups(arrays, time_field)

        steps.setCurrentStep(1)
        fits = []
        for g, (label, index) in enumerate(groups):
            prefix = "" if label is None else f"[{time_field} = {label}] "
            start, end = 100.0 * g / len(groups), 100.0 * (g + 1) / len(groups)
            steps.setProgressText(self.tr(f"{prefix}Fitting {s['model']}"))
            y = arrays.values[dependent][index]
            X = np.column_stack([arrays.values[f][index] for f in explanatory])
            vif = self._check_data(y, X, dependent, explanatory, s, prefix)
            y, design = regression_design(y, X, s["standardize"])
            result, cn = self._fit(xy[index], y, design, names, vif, s, prefix, steps, start, end)
            fits.append((label, index, result, cn, vif))

        steps.setCurrentStep(2)
        steps.setProgressText(self.tr("Writing outputs"))
        outputs = {}
        dest = self._write_features(parameters, context, source, arrays, fits, names, s,
                                    time_field, steps)
        outputs[self.OUTPUT] = dest
        term = names[1] if len(names) > 1 else names[0]
        style_on_load(context, dest, "coefficients",
                      self.tr("{model} coefficient of {term} (b_{term})").format(model=s["model"], term=term),
                      term=term)
        if parameters.get(self.OUTPUT_SUMMARY) is not None:
            summary = self._write_summary(parameters, context, fits, names, time_field)
            if summary:
                outputs[self.OUTPUT_SUMMARY] = summary
        html_path = self.parameterAsFileOutput(parameters, self.OUTPUT_HTML, context)
        if html_path:
            self._write_report(html_path, fits, names, s, dependent, time_field)
            outputs[self.OUTPUT_HTML] = html_path
        last = fits[-1][2]
        outputs.update({"AICC": last.aicc, "R2": last.r2, "ADJ_R2": last.adj_r2,
                        "SIGMA2": last.sigma2})
        return outputs

    # ------------------------------------------------------------------
    def _groups(self, arrays, time_field):
        if not time_field:
            return [(None, np.arange(len(arrays.xy)))]
        return list(zip(*group_by_time(arrays.times)))

    def _check_data(self, y, X, dependent, explanatory, s, prefix):
        n, p = X.shape
        k = p + 1
        if n <= k + 2:
            self.fail(f"{prefix}{n} observations are too few for {k} parameters (intercept and "
                      f"{p} explanatory variables): at least {k + 3} are needed.")
        if is_constant(y):
            self.fail(f"{prefix}The dependent variable '{dependent}' is constant.")
        for j, name in enumerate(explanatory):
            if is_constant(X[:, j]):
                self.fail(f"{prefix}The explanatory variable '{name}' is constant "
                          f"({X[0, j]:g} everywhere): it duplicates the intercept. Remove it.")
        vif = collinearity(X)
        bad = [explanatory[j] for j in vif.perfectly_collinear]
        if bad:
            self.fail(f"{prefix}The explanatory variables {', '.join(bad)} are perfectly collinear "
                      "(one is a linear combination of the others). Remove one of them.")
        if s["model"] != "OLS" and not s["fixed"] and s["search"] == "golden_section":
            low = 40 + 2 * k if s["bw_min"] is None else s["bw_min"]
            if low > n:
                self.fail(f"{prefix}The default adaptive search starts at {low:g} neighbours but "
                          f"there are only {n} observations: set MIN_BANDWIDTH (e.g. {k + 2}) and "
                          "MAX_BANDWIDTH (at most the number of observations).")
        if s["model"] != "OLS" and not s["fixed"]:
            for value in [s["bw_max"]] + list(s["bandwidths"] or []):
                if value is not None and value > n:
                    self.fail(f"{prefix}An adaptive bandwidth of {value:g} neighbours exceeds the "
                              f"{n} observations.")
        if s["model"] != "OLS" and s["search"] == "user":
            self._check_user_bandwidths(s, n, k, prefix)
        for name, column in [(dependent, y)] + [(f, X[:, j]) for j, f in enumerate(explanatory)]:
            if np.max(np.abs(column)) > 1e100:
                self.fail(f"{prefix}The values of '{name}' are too large (up to {np.max(np.abs(column)):.3g}): "
                          "sums of squares would overflow. Rescale the field (e.g. divide by 1e6) and run again.")
        return vif

    def _check_user_bandwidths(self, s, n, k, prefix):
        """User bandwidths: one (GWR, or shared by all MGWR terms) or one per term; adaptive integers k+2..n."""
        values = s["bandwidths"] or []
        for value in values:
            if s["fixed"]:
                if not (np.isfinite(value) and value > 0):
                    self.fail(f"{prefix}A fixed (distance) bandwidth must be a positive distance; got {value:g} "
                              "in BANDWIDTHS.")
            elif not (np.isfinite(value) and float(value).is_integer() and 1 <= value <= n):
                self.fail(f"{prefix}An adaptive bandwidth is a whole number of neighbours from {k + 2} "
                          f"(parameters + 2) to {n} (observations); got {value:g} in BANDWIDTHS.")

    def _fit(self, xy, y, design, names, vif, s, prefix, feedback, start, end):
        n, k = design.shape
        progress = progress_callback(feedback, start, end)
        last_message = [None]

        def report(fraction, message=None):
            if message and "iteration" in message:
                # A back-fitting line goes to the log once (as progress text it would print twice).
                progress(fraction)
                if message != last_message[0]:
                    feedback.pushInfo(prefix + message)
                    last_message[0] = message
            else:
                progress(fraction, message)

        for name, v, high in zip(names[1:], vif.vif, vif.high_vif):
            if high:
                feedback.pushWarning(f"{prefix}'{name}' has a VIF of {v:.1f} (> {VIF_THRESHOLD}): "
                                     "it is strongly collinear with the other variables.")
        try:
            if s["model"] == "OLS":
                return fit_ols(y, design, names=names), None
            full_order = s["model"] == "MGWR" and s["search"] != "user" and s["kernel"] == "bisquare"
            budget = cache_budget(len(y), _available_memory(), s["fixed"], full_order)
            skernel = SpatialKernel(xy, s["kernel"], s["fixed"], cache_bytes=budget)
            bws = s["bandwidths"]
            if s["model"] == "GWR":
                if s["search"] == "user":
                    if len(bws) != 1:
                        self.fail("GWR uses one bandwidth: give a single value in BANDWIDTHS.")
                    bw = bws[0]
                else:
                    bw = None
                result = fit_gwr(xy, y, design, bw=bw, names=names, kernel=s["kernel"], fixed=s["fixed"],
                                 criterion=s["criterion"], search=s["search"], bw_min=s["bw_min"],
                                 bw_max=s["bw_max"], interval=s["step"] or 0.0, skernel=skernel,
                                 progress=report)
                cn_bw = result.bandwidths[0]
            else:
                if s["search"] == "user":
                    if len(bws) == 1:
                        bws = bws * k
                    if len(bws) != k:
                        self.fail(f"BANDWIDTHS needs 1 or {k} values ({', '.join(names)}); "
                                  f"got {len(bws)}.")
                else:
                    bws = None
                result = fit_mgwr(xy, y, design, names=names, kernel=s["kernel"], fixed=s["fixed"],
                                  criterion=s["criterion"],
                                  search="interval" if s["search"] == "interval" else "golden_section",
                                  bw_min=s["bw_min"], bw_max=s["bw_max"], interval=s["step"] or 0.0, bandwidths=bws,
                                  init_bw=max(bws) if bws else None, skernel=skernel,
                                  progress=report)
                cn_bw = result.bw_init
                if not result.converged:
                    feedback.pushWarning(
                        f"{prefix}MGWR did not converge: the back-fitting stopped at the cap of "
                        f"{result.iterations} iterations with a score of change of "
                        f"{result.scores[-1]:.3g} (tolerance 1e-5). Results are from the last "
                        "iteration; consider standardising, fewer variables or bandwidth bounds.")
                feedback.pushInfo(
                    f"{prefix}MGWR: {result.iterations} back-fitting iterations, final score of "
                    f"change {result.scores[-1]:.3g}; inference {result.inference}.")
            cn = local_condition_numbers(xy, design, cn_bw, skernel=skernel)
        except RegressionError as error:
            raise QgsProcessingException(prefix + str(error)) from error
        spread = condition_number_summary(cn)
        if spread.above:
            feedback.pushWarning(
                f"{prefix}{spread.above} of {n} locations have a local condition number above "
                f"{CN_THRESHOLD:g} (max {spread.max:.1f}): local collinearity makes their "
                "coefficients unreliable.")
        feedback.pushInfo(
            f"{prefix}{result.model}: n = {n}, bandwidths "
            + ", ".join(f"{nm} {b:g}" for nm, b in zip(names, result.bandwidths))
            + f"; AICc {result.aicc:.3f}, R2 {result.r2:.4f}, adj. R2 {result.adj_r2:.4f}")
        return result, cn

    # ------------------------------------------------------------------
    def _output_fields(self, source, names, model):
        fields = QgsFields(source.fields())
        added = []
        for name in names:
            added += [f"b_{name}", f"se_{name}", f"t_{name}", f"sig_{name}"]
        added += ["predicted", "residual", "std_resid"]
        if model == "GWR":
            added.append("localR2")
        clash = [a for a in added if fields.lookupField(a) >= 0]
        if clash:
            self.fail(f"The input already has field(s) {', '.join(clash)}; rename them first.")
        for a in added:
            fields.append(QgsField(a, FieldType.Int if a.startswith("sig_") else FieldType.Double))
        return fields, len(added)

    def _write_features(self, parameters, context, source, arrays, fits, names, s, time_field,
                        feedback):
        fields, extra = self._output_fields(source, names, s["model"])
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields,
                                          source.wkbType(), source.sourceCrs())
        if sink is None:
            self.fail("Could not create the output layer.")
        rows = {}
        for _, index, res, _, _ in fits:
            rows.update(zip(arrays.feature_ids[index].tolist(),
                            _attribute_rows(res, len(names), s["model"] == "GWR")))
        total = source.featureCount() or 1
        for count, feature in enumerate(source.getFeatures(QgsFeatureRequest())):
            if feedback.isCanceled():
                raise QgsProcessingException("Cancelled by the user.")
            out = QgsFeature(fields)
            out.setGeometry(feature.geometry())
            out.setAttributes(list(feature.attributes()) + rows.get(feature.id(), [None] * extra))
            sink.addFeature(out, QgsFeatureSink.Flag.FastInsert)
            if count % 1000 == 0:
                feedback.setProgress(100.0 * count / total)
        return dest

    def _summary_rows(self, fits, names):
        for label, _, res, _, _ in fits:
            for t in coefficient_summary(res, names):
                yield label, [t.name, t.bandwidth, t.enp, t.adj_t_crit, t.mean, t.std, t.min,
                              t.median, t.max]

    def _write_summary(self, parameters, context, fits, names, time_field):
        fields = QgsFields()
        labels = [f[0] for f in fits]
        integer = time_field and all(
            isinstance(t, (int, np.integer)) or (isinstance(t, float) and float(t).is_integer())
            for t in labels)
        if time_field:
            fields.append(QgsField("year", FieldType.Int if integer else FieldType.String))
        fields.append(QgsField("variable", FieldType.String))
        for name in ("bandwidth", "enp", "adj_t_crit", "mean", "std", "min", "median", "max"):
            fields.append(QgsField(name, FieldType.Double))
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT_SUMMARY, context, fields,
                                          WkbType.NoGeometry)
        if sink is None:
            return None
        for label, row in self._summary_rows(fits, names):
            f = QgsFeature(fields)
            row = [v if not isinstance(v, float) or np.isfinite(v) else None for v in row]
            if time_field:
                row = [int(label) if integer else str(label)] + row
            f.setAttributes(row)
            sink.addFeature(f, QgsFeatureSink.Flag.FastInsert)
        return dest

    def _write_report(self, path, fits, names, s, dependent, time_field):
        fmt = format_fixed
        settings = [
            f"Model {s['model']}, kernel {s['kernel']}, "
            f"{'fixed distance' if s['fixed'] else 'adaptive (nearest neighbours)'} bandwidth, "
            f"search {s['search']}, criterion {s['criterion']}, "
            f"{'standardised' if s['standardize'] else 'raw'} variables.",
            f"Dependent variable: {dependent}; explanatory: {', '.join(names[1:])}.",
        ]
        sections = [("Settings", _html.html_list(settings))]
        for label, _, res, cn, vif in fits:
            head = "" if label is None else f" — {time_field} = {label}"
            diag = [["Observations", str(res.n)], ["AICc", fmt(res.aicc)], ["AIC", fmt(res.aic)],
                    ["BIC", fmt(res.bic)], ["R2", fmt(res.r2)], ["Adjusted R2", fmt(res.adj_r2)],
                    ["Residual variance (sigma2)", fmt(res.sigma2)],
                    ["Residual sum of squares", fmt(res.rss)],
                    ["Effective number of parameters (trace S)", fmt(res.tr_s)]]
            if res.model == "MGWR":
                diag += [["Back-fitting iterations", str(res.iterations)],
                         ["Final score of change", fmt(res.scores[-1], 8)],
                         ["Converged", "yes" if res.converged else "NO (iteration cap reached)"],
                         ["Initial GWR bandwidth", fmt(res.bw_init, 2)],
                         ["Inference", res.inference]]
            sections.append(("Model diagnostics" + head,
                             _html.html_table(["Statistic", "Value"], diag)))
            rows = [[t.name, fmt(t.bandwidth, 2), fmt(t.enp), fmt(t.adj_alpha, 5), fmt(t.adj_t_crit),
                     fmt(t.mean), fmt(t.std), fmt(t.min), fmt(t.median), fmt(t.max),
                     f"{t.percent_significant:.1f}"] for t in coefficient_summary(res, names)]
            sections.append(("Coefficients" + head, _html.html_table(
                ["Term", "Bandwidth", "ENP", "Adj. alpha", "Adj. critical t", "Mean", "Std",
                 "Min", "Median", "Max", "% significant"], rows)))
            coll = [[name, fmt(v, 3) + (f" (> {VIF_THRESHOLD:g}!)" if high else "")]
                    for name, v, high in zip(names[1:], vif.vif, vif.high_vif)]
            text = _html.html_table(["Variable", "OLS VIF"], coll)
            if cn is not None:
                spread = condition_number_summary(cn)
                text += _html.html_list([
                    f"Local condition number (GWR weights at bandwidth "
                    f"{fmt(res.bandwidths[0] if res.model == 'GWR' else res.bw_init, 2)}): "
                    f"min {spread.min:.2f}, median {spread.median:.2f}, max {spread.max:.2f}; "
                    f"{spread.above} location(s) above {CN_THRESHOLD:g}."])
            sections.append(("Collinearity" + head, text))
        _html.write_html(path, f"{s['model']} regression of {dependent}", sections)
