"""Geographical detector (q-statistic): factor, interaction, risk and ecological detectors."""

import json
import re

import numpy as np
from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingMultiStepFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsWkbTypes,
)

from ..core.classify import METHOD_NAMES, METHODS
from ..core.geodetector import GeodetectorError, geodetector
from ._clustering_common import double_field, int_field, string_field
from ._compat import parameter_as_strings
from ._geodetector_report import write_geodetector_report
from ._io import attribute_value, read_raster
from .base import CarbonAlgorithm, progress_callback

#: Declared numeric outputs Q_1 .. Q_MAX_DECLARED (q of the n-th factor, for the modeler).
MAX_DECLARED = 10


def q_output_name(factor):
    """Output key ``Q_<factor>`` (characters other than letters, digits and _ become _)."""
    return "Q_" + re.sub(r"\W", "_", str(factor))


class Geodetector(CarbonAlgorithm):
    ALG_ID = "geodetector"
    DISPLAY_NAME = "Geographical detector (q-statistic)"
    GROUP = "Drivers (regression)"
    GROUP_ID = "regression"
    ICON = "geodetector.svg"
    HELP = (
        "<p>How much of the spatial variance of a variable (e.g. CO<sub>2</sub> emissions) do the "
        "strata (classes) of each driver explain? The geographical detector (Wang et al. 2010) "
        "answers with the <b>q-statistic</b>: q = 1 &minus; &Sigma;<sub>h</sub> N<sub>h</sub> "
        "&sigma;<sub>h</sub><sup>2</sup> / (N &sigma;<sup>2</sup>), from 0 (the strata explain "
        "nothing) to 1 (they explain everything); N<sub>h</sub>, &sigma;<sub>h</sub><sup>2</sup>: "
        "size and (population) variance of stratum h; N, &sigma;<sup>2</sup>: of all observations.</p>"
        "<h3>Detectors</h3><ul>"
        "<li><b>Factor</b>: q and its p-value. F = (N &minus; L)/(L &minus; 1) &middot; q/(1 &minus; q) "
        "(L strata) follows a non-central F distribution with L &minus; 1 and N &minus; L degrees of "
        "freedom and non-centrality &lambda; = [&Sigma; &mu;<sub>h</sub><sup>2</sup> &minus; "
        "(&Sigma; &radic;N<sub>h</sub> &mu;<sub>h</sub>)<sup>2</sup>/N] / &sigma;<sup>2</sup> "
        "(&mu;<sub>h</sub>: stratum mean; Wang, Zhang &amp; Fu 2016); p = P(F' &gt; F).</li>"
        "<li><b>Interaction</b>, every pair: q(X1&cap;X2) of the crossed strata and the type: "
        "nonlinear-weaken (q12 &lt; min(q1, q2)), uni-variable weaken (min &le; q12 &le; max), "
        "bi-variable enhance (max &lt; q12 &lt; q1 + q2), independent (q12 = q1 + q2, within a "
        "relative tolerance of 1e-6), nonlinear-enhance (q12 &gt; q1 + q2). A crossed stratum may hold a "
        "single observation (it adds nothing to the within-strata variance).</li>"
        "<li><b>Risk</b>: the mean of each stratum and Welch's t-test between every pair of strata of "
        "a factor (t = (&mu;<sub>1</sub> &minus; &mu;<sub>2</sub>) / &radic;(s<sub>1</sub><sup>2</sup>"
        "/n<sub>1</sub> + s<sub>2</sub><sup>2</sup>/n<sub>2</sub>), Welch&ndash;Satterthwaite degrees "
        "of freedom, two-sided p); significant when p &lt; ALPHA.</li>"
        "<li><b>Ecological</b>, every pair: F = SSW<sub>1</sub>/SSW<sub>2</sub> (within-strata sums "
        "of squares) with N &minus; 1, N &minus; 1 degrees of freedom, as the GD package; p = P(F' &gt; F) "
        "(one-sided): significant means factor 2 explains significantly more than factor 1.</li></ul>"
        "<h3>Input</h3><ul>"
        "<li>Either a vector layer (<b>INPUT</b>) with the <b>DEPENDENT</b> field, continuous "
        "<b>EXPLANATORY</b> fields and <b>CATEGORICAL</b> fields (used as they are: every distinct value "
        "is a stratum, e.g. a land-use class or a region name; text allowed). A NULL in any of these "
        "fields is an error: filter the layer first.</li>"
        "<li>Or rasters on one grid (same size, cell size and origin): <b>DEPENDENT_RASTER</b>, "
        "<b>EXPLANATORY_RASTERS</b> and <b>CATEGORICAL_RASTERS</b> (band 1 each); cells that are nodata "
        "in any of them are left out. Factors are named after the layers.</li>"
        "<li><b>METHOD</b> and <b>CLASSES</b> discretise the continuous factors: 0 equal interval "
        "(numpy.linspace), 1 quantile (numpy.quantile), 2 natural breaks (Fisher&ndash;Jenks, exact; "
        "above 2,000 distinct values on 2,000 evenly spaced order statistics), 3 geometric interval "
        "(numpy.geomspace from min to max; data &le; 0 shifted to start at 1), 4 standard deviation "
        "(classes 1 sd wide centred on the mean). Classes are right-closed; empty classes are dropped.</li>"
        "<li><b>OPTIMAL</b>: instead, for each continuous factor try every method with 3 to 8 classes "
        "and keep the one with the largest q (the optimal-parameters geographical detector, Song et al. "
        "2020); the method and classes chosen are reported per factor.</li>"
        "<li>Every stratum needs at least 2 observations, and every factor at least 2 strata: otherwise "
        "the run stops and says which factor to change.</li></ul>"
        "<h3>Outputs</h3><ul>"
        "<li><b>OUTPUT_FACTORS</b>: factor, method, classes (asked), strata (non-empty), q, p, f, ncp.</li>"
        "<li><b>OUTPUT_INTERACTIONS</b>: pair, factor_1, factor_2, q_1, q_2, q (of X1&cap;X2), type.</li>"
        "<li><b>OUTPUT_RISK</b>: factor, stratum_1, stratum_2 (class ranges or categories), n_1, n_2, "
        "mean_1, mean_2, t, df, p, significant.</li>"
        "<li><b>OUTPUT_ECOLOGICAL</b> (optional): factor_1, factor_2, f, p, significant.</li>"
        "<li><b>OUTPUT_HTML</b>: the tables, a bar chart of q and a heat map of the interaction q.</li>"
        "<li>Numbers: <b>Q_&lt;factor&gt;</b> for every factor (characters other than letters, digits "
        "and _ replaced by _), returned in the results of processing.run and qgis_process. Because the "
        "modeler only offers outputs declared before the fields are known, the q of the n-th factor "
        "(explanatory, then categorical, in order) is also declared as <b>Q_1</b> .. <b>Q_10</b>, and "
        "<b>Q_VALUES</b> holds all of them as JSON text {factor: q}.</li></ul>"
        "<p>References: Wang J-F et al. (2010) IJGIS 24:107-127; Wang J-F, Zhang T-L &amp; Fu B-J (2016) "
        "Ecological Indicators 67:250-256; Song Y et al. (2020) GIScience &amp; Remote Sensing 57:593-610 "
        "(OPGD).</p>"
    )

    INPUT = "INPUT"
    DEPENDENT = "DEPENDENT"
    EXPLANATORY = "EXPLANATORY"
    CATEGORICAL = "CATEGORICAL"
    DEPENDENT_RASTER = "DEPENDENT_RASTER"
    EXPLANATORY_RASTERS = "EXPLANATORY_RASTERS"
    CATEGORICAL_RASTERS = "CATEGORICAL_RASTERS"
    METHOD = "METHOD"
    CLASSES = "CLASSES"
    OPTIMAL = "OPTIMAL"
    ALPHA = "ALPHA"
    OUTPUT_FACTORS = "OUTPUT_FACTORS"
    OUTPUT_INTERACTIONS = "OUTPUT_INTERACTIONS"
    OUTPUT_RISK = "OUTPUT_RISK"
    OUTPUT_ECOLOGICAL = "OUTPUT_ECOLOGICAL"
    OUTPUT_HTML = "OUTPUT_HTML"
    Q_VALUES = "Q_VALUES"

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        def add(param, help_text):
            param.setHelp(self.tr(help_text))
            self.addParameter(param)

        add(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Input layer (vector)"), [QgsProcessing.SourceType.TypeVector], optional=True),
            "Features with the dependent and explanatory fields (or use the raster inputs).")
        add(QgsProcessingParameterField(
            self.DEPENDENT, self.tr("Dependent variable"), parentLayerParameterName=self.INPUT,
            type=QgsProcessingParameterField.DataType.Numeric, optional=True),
            "The variable to explain, e.g. emissions.")
        add(QgsProcessingParameterField(
            self.EXPLANATORY, self.tr("Continuous explanatory fields (discretised)"),
            parentLayerParameterName=self.INPUT, type=QgsProcessingParameterField.DataType.Numeric,
            allowMultiple=True, optional=True),
            "Numeric drivers, classified by METHOD and CLASSES (or OPTIMAL).")
        add(QgsProcessingParameterField(
            self.CATEGORICAL, self.tr("Categorical explanatory fields (used as they are)"),
            parentLayerParameterName=self.INPUT, type=QgsProcessingParameterField.DataType.Any,
            allowMultiple=True, optional=True),
            "Drivers that already are classes (e.g. land-use class, region): each value is a stratum.")
        add(QgsProcessingParameterRasterLayer(
            self.DEPENDENT_RASTER, self.tr("Dependent raster"), optional=True),
            "Instead of a vector layer: the variable to explain as a raster (band 1).")
        add(QgsProcessingParameterMultipleLayers(
            self.EXPLANATORY_RASTERS, self.tr("Continuous explanatory rasters"),
            QgsProcessing.SourceType.TypeRaster, optional=True),
            "Rasters on the dependent raster's grid, discretised like the continuous fields.")
        add(QgsProcessingParameterMultipleLayers(
            self.CATEGORICAL_RASTERS, self.tr("Categorical explanatory rasters"),
            QgsProcessing.SourceType.TypeRaster, optional=True),
            "Rasters of classes (e.g. land use) on the same grid, used as they are.")
        add(QgsProcessingParameterEnum(
            self.METHOD, self.tr("Discretisation method"), [METHOD_NAMES[m] for m in METHODS], defaultValue=2),
            "0 equal interval, 1 quantile, 2 natural breaks (Jenks), 3 geometric interval, "
            "4 standard deviation.")
        add(QgsProcessingParameterNumber(
            self.CLASSES, self.tr("Number of classes"), QgsProcessingParameterNumber.Type.Integer,
            defaultValue=5, minValue=2, maxValue=50), "Classes of every continuous factor.")
        add(QgsProcessingParameterBoolean(
            self.OPTIMAL, self.tr("Optimal discretisation (method x 3-8 classes with the largest q)"),
            defaultValue=False), "Overrides METHOD and CLASSES, per factor.")
        add(QgsProcessingParameterNumber(
            self.ALPHA, self.tr("Significance level (risk and ecological detectors)"),
            QgsProcessingParameterNumber.Type.Double, defaultValue=0.05, minValue=1e-6, maxValue=0.5),
            "p below this is significant.")
        add(QgsProcessingParameterFeatureSink(
            self.OUTPUT_FACTORS, self.tr("Factor detector"), QgsProcessing.SourceType.TypeVector),
            "factor, method, classes, strata, q, p, f, ncp.")
        add(QgsProcessingParameterFeatureSink(
            self.OUTPUT_INTERACTIONS, self.tr("Interaction detector"), QgsProcessing.SourceType.TypeVector,
            optional=True, createByDefault=True), "pair, factor_1, factor_2, q_1, q_2, q, type.")
        add(QgsProcessingParameterFeatureSink(
            self.OUTPUT_RISK, self.tr("Risk detector"), QgsProcessing.SourceType.TypeVector,
            optional=True, createByDefault=True),
            "Per factor and pair of strata: means, Welch t, df, p, significant.")
        add(QgsProcessingParameterFeatureSink(
            self.OUTPUT_ECOLOGICAL, self.tr("Ecological detector"), QgsProcessing.SourceType.TypeVector,
            optional=True, createByDefault=False), "Per pair of factors: F, p, significant.")
        add(QgsProcessingParameterFileDestination(
            self.OUTPUT_HTML, self.tr("Report"), self.tr("HTML files (*.html)"), optional=True,
            createByDefault=True), "Tables, a q bar chart and an interaction heat map.")
        for i in range(1, MAX_DECLARED + 1):
            self.addOutput(QgsProcessingOutputNumber(f"Q_{i}", self.tr("q of factor {}").format(i)))
        self.addOutput(QgsProcessingOutputString(self.Q_VALUES, self.tr("q of every factor (JSON)")))

    # ------------------------------------------------------------------
    def _read_vector(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            self.fail("Give a vector layer (INPUT) or a dependent raster (DEPENDENT_RASTER).")
        dependent = self.parameterAsString(parameters, self.DEPENDENT, context)
        if not dependent:
            self.fail("Choose the dependent variable field (DEPENDENT).")
        continuous = parameter_as_strings(self, parameters, self.EXPLANATORY, context)
        categorical = parameter_as_strings(self, parameters, self.CATEGORICAL, context)
        continuous = [f for f in continuous if f not in categorical]
        names = continuous + categorical
        if dependent in names:
            self.fail(f"'{dependent}' is both the dependent variable and a factor.")
        fields = source.fields()
        for name in [dependent] + names:
            if fields.lookupField(name) < 0:
                self.fail(f"Field '{name}' does not exist in the input layer.")
        for name in [dependent] + continuous:
            if not fields.field(name).isNumeric():
                self.fail(f"Field '{name}' is not numeric. Declare it in CATEGORICAL if its values are "
                          "classes, or convert it to numbers.")
        columns = {name: [] for name in [dependent] + names}
        request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry)
        request.setSubsetOfAttributes([dependent] + names, fields)
        nulls = {}
        total = source.featureCount() or 0
        for i, feature in enumerate(source.getFeatures(request)):
            if i % 5000 == 0:
                if feedback.isCanceled():
                    raise QgsProcessingException("Cancelled by the user.")
                if total:
                    feedback.setProgress(100.0 * i / total)
            for name, column in columns.items():
                value = feature[name]
                if value is None or (hasattr(value, "isNull") and value.isNull()):
                    nulls[name] = nulls.get(name, 0) + 1
                    value = None
                column.append(value)
        if nulls:
            detail = ", ".join(f"'{k}' ({v})" for k, v in nulls.items())
            self.fail(f"NULL values in {detail}. The geographical detector needs a value in every field for every "
                      "feature: filter the layer first (e.g. Extract by expression with "
                      "\"field\" IS NOT NULL) or fill the gaps.")
        y = np.asarray(columns[dependent], dtype=float)
        factors = {name: (np.asarray(columns[name], dtype=float) if name in continuous
                          else np.asarray([str(v) for v in columns[name]])) for name in names}
        return y, factors, continuous, categorical, f"{len(y)} features of {source.sourceName()}"

    def _read_rasters(self, parameters, context, feedback):
        dependent = self.parameterAsRasterLayer(parameters, self.DEPENDENT_RASTER, context)
        continuous = self.parameterAsLayerList(parameters, self.EXPLANATORY_RASTERS, context)
        categorical = self.parameterAsLayerList(parameters, self.CATEGORICAL_RASTERS, context)
        base = read_raster(dependent)
        grids = {}
        for layer in list(continuous) + list(categorical):
            if feedback.isCanceled():
                raise QgsProcessingException("Cancelled by the user.")
            grid = read_raster(layer)
            if grid.shape != base.shape or not np.allclose(grid.geotransform, base.geotransform,
                                                           rtol=0, atol=1e-6 * max(base.cell_size)):
                self.fail(f"Raster '{layer.name()}' is not on the grid of '{dependent.name()}' (size, cell size "
                          "and origin must match). Align it first, e.g. with Raster > Align rasters or Warp.")
            if layer.name() in grids or layer.name() == dependent.name():
                self.fail(f"Two inputs are called '{layer.name()}'; rename a layer so each factor has its own name.")
            grids[layer.name()] = grid.data
        valid = np.isfinite(base.data)
        for data in grids.values():
            valid &= np.isfinite(data)
        if not valid.any():
            self.fail("No cell has data in the dependent raster and in every factor raster.")
        categorical_names = [layer.name() for layer in categorical]
        factors = {}
        for name, data in grids.items():
            values = data[valid]
            if name in categorical_names:
                if not np.allclose(values, np.rint(values)):
                    self.fail(f"Categorical raster '{name}' has non-integer values; a class raster holds "
                              "class codes. Move it to the continuous rasters instead.")
                values = np.rint(values).astype(np.int64)
            factors[name] = values
        continuous_names = [layer.name() for layer in continuous]
        return (base.data[valid], factors, continuous_names, categorical_names,
                f"{int(valid.sum())} cells of {dependent.name()} with data in every raster")

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API
        use_raster = parameters.get(self.DEPENDENT_RASTER) not in (None, "")
        use_vector = parameters.get(self.INPUT) not in (None, "")
        if use_raster == use_vector:
            self.fail("Give either a vector layer (INPUT with DEPENDENT) or rasters (DEPENDENT_RASTER), "
                      "not both or neither.")
        steps = QgsProcessingMultiStepFeedback(3, feedback)
        steps.setProgressText(self.tr("Reading input"))
        reader = self._read_rasters if use_raster else self._read_vector
        y, factors, continuous, categorical, description = reader(parameters, context, steps)
        if not factors:
            self.fail("Choose at least one explanatory (continuous or categorical) factor.")
        method = METHODS[self.parameterAsEnum(parameters, self.METHOD, context)]
        classes = self.parameterAsInt(parameters, self.CLASSES, context)
        optimal = self.parameterAsBoolean(parameters, self.OPTIMAL, context)
        alpha = self.parameterAsDouble(parameters, self.ALPHA, context)
        feedback.pushInfo(description)
        steps.setCurrentStep(1)
        try:
            result = geodetector(y, factors, method=method, classes=classes, optimal=optimal,
                                 categorical=categorical, alpha=alpha, progress=progress_callback(steps))
        except GeodetectorError as error:
            raise QgsProcessingException(str(error)) from error
        steps.setCurrentStep(2)
        steps.setProgressText(self.tr("Writing outputs"))
        for f in result.factors:
            feedback.pushInfo(f"{f.name}: {_method_label(f.method)}, {f.strata} strata, q = {f.q:.4f}, "
                              f"p = {f.p:.4g}")
        outputs = self._write_tables(parameters, context, result)
        html_path = self.parameterAsFileOutput(parameters, self.OUTPUT_HTML, context)
        if html_path:
            write_geodetector_report(html_path, result, description, alpha)
            outputs[self.OUTPUT_HTML] = html_path
        q_values = {f.name: f.q for f in result.factors}
        for i, f in enumerate(result.factors[:MAX_DECLARED], start=1):
            outputs[f"Q_{i}"] = f.q
        for name, q in q_values.items():
            outputs[q_output_name(name)] = q
        outputs[self.Q_VALUES] = json.dumps(q_values)
        return outputs

    def _sink(self, parameters, context, key, fields):
        if parameters.get(key) is None:
            return None, None
        sink, dest = self.parameterAsSink(parameters, key, context, fields, QgsWkbTypes.Type.NoGeometry)
        if sink is None:
            return None, None
        return sink, dest

    def _write(self, parameters, context, key, fields, rows, outputs):
        sink, dest = self._sink(parameters, context, key, fields)
        if sink is None:
            return
        for row in rows:
            feature = QgsFeature(fields)
            feature.setAttributes([attribute_value(v) for v in row])
            sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
        outputs[key] = dest

    def _write_tables(self, parameters, context, result):
        outputs = {}
        fields = _fields(("factor", "s"), ("method", "s"), ("classes", "i"), ("strata", "i"), ("q", "d"),
                         ("p", "d"), ("f", "d"), ("ncp", "d"))
        self._write(parameters, context, self.OUTPUT_FACTORS, fields,
                    [(f.name, f.method, f.classes, f.strata, f.q, f.p, f.f, f.ncp) for f in result.factors],
                    outputs)
        fields = _fields(("pair", "s"), ("factor_1", "s"), ("factor_2", "s"), ("q_1", "d"), ("q_2", "d"),
                         ("q", "d"), ("type", "s"))
        self._write(parameters, context, self.OUTPUT_INTERACTIONS, fields,
                    [(f"{r['factor_1']} ∩ {r['factor_2']}", r["factor_1"], r["factor_2"], r["q_1"], r["q_2"],
                      r["q_12"], r["type"]) for r in result.interactions], outputs)
        fields = _fields(("factor", "s"), ("stratum_1", "s"), ("stratum_2", "s"), ("n_1", "i"), ("n_2", "i"),
                         ("mean_1", "d"), ("mean_2", "d"), ("t", "d"), ("df", "d"), ("p", "d"),
                         ("significant", "i"))
        rows = []
        for s in result.strata:
            means, pairs = result.risk[s.name]
            labels = stratum_labels(s)
            for r in pairs:
                h1, h2 = r["stratum_1"], r["stratum_2"]
                rows.append((s.name, labels[h1], labels[h2], means[h1]["n"], means[h2]["n"], r["mean_1"],
                             r["mean_2"], r["t"], r["df"], r["p"], int(r["significant"])))
        self._write(parameters, context, self.OUTPUT_RISK, fields, rows, outputs)
        fields = _fields(("factor_1", "s"), ("factor_2", "s"), ("f", "d"), ("p", "d"), ("significant", "i"))
        self._write(parameters, context, self.OUTPUT_ECOLOGICAL, fields,
                    [(r["factor_1"], r["factor_2"], r["f"], r["p"], int(r["significant"]))
                     for r in result.ecological], outputs)
        return outputs


def stratum_labels(strata):
    """Readable name of every stratum: the category, or the class range '(a, b]'."""
    if strata.method == "categorical":
        return list(strata.limits)
    out = []
    for i, (lo, hi) in enumerate(strata.limits):
        out.append(f"{'[' if i == 0 else '('}{lo:.6g}, {hi:.6g}]")
    return out


def _method_label(method):
    return METHOD_NAMES.get(method, method)


def _fields(*spec):
    fields = QgsFields()
    for name, kind in spec:
        if kind == "s":
            fields.append(string_field(name, 255))
        elif kind == "i":
            fields.append(int_field(name))
        else:
            fields.append(double_field(name))
    return fields
