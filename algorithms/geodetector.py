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
        add = self.add_parameter

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
