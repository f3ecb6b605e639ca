"""Emission time series statistics (``carbon:emissionstatistics``)."""

import math

import numpy as np
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
)

from ..core.centrography import group_by_time
from ..core.emission_stats import yearly_statistics
from ..core.formatting import format_cell
from ..core.years import parse_years, year_from_name
from ._compat import FieldType, WkbType
from ._html import figure_png_base64, html_table, write_html
from ._io import attribute_value, read_band, read_rows
from .base import CarbonAlgorithm, progress_callback


class EmissionStatistics(CarbonAlgorithm):
    ALG_ID = "emissionstatistics"
    DISPLAY_NAME = "Emission time series statistics"
    GROUP = "Downscaling"
    GROUP_ID = "downscaling"
    ICON = "emission_statistics.svg"

    RASTERS = "RASTERS"
    YEARS = "YEARS"
    INPUT = "INPUT"
    VALUE_FIELD = "VALUE_FIELD"
    TIME_FIELD = "TIME_FIELD"
    OUTPUT = "OUTPUT"
    OUTPUT_HTML = "OUTPUT_HTML"

    def initAlgorithm(self, config=None):
        params = [
            (QgsProcessingParameterMultipleLayers(self.RASTERS, self.tr("Yearly emission rasters"),
                                                  QgsProcessing.SourceType.TypeRaster, optional=True),
             "One emission raster per year (band 1)."),
            (QgsProcessingParameterString(self.YEARS, self.tr("Years (comma-separated, in raster order)"),
                                          optional=True),
             "E.g. 2000,2005,2010; empty = the year in each layer name."),
            (QgsProcessingParameterFeatureSource(self.INPUT, self.tr("Input layer (instead of rasters)"),
                                                 [QgsProcessing.SourceType.TypeVector], optional=True),
             "Features with an emission value and a time value."),
            (QgsProcessingParameterField(self.VALUE_FIELD, self.tr("Value field"),
                                         parentLayerParameterName=self.INPUT,
                                         type=QgsProcessingParameterField.DataType.Numeric, optional=True),
             "Emission value of each feature."),
            (QgsProcessingParameterField(self.TIME_FIELD, self.tr("Time field"),
                                         parentLayerParameterName=self.INPUT, optional=True),
             "Year (or other time value) of each feature."),
            (QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Statistics table"),
                                               QgsProcessing.SourceType.TypeVector),
             "One row per year: year, total, peak, mean, std, cells, growth, growth_pct."),
            (QgsProcessingParameterFileDestination(self.OUTPUT_HTML, self.tr("HTML report"),
                                                   self.tr("HTML files (*.html)"), optional=True),
             "Table and line chart of the yearly statistics."),
        ]
        for param, help_text in params:
            self.add_parameter(param, help_text)

    def _raster_series(self, parameters, context, feedback):
        layers = self.parameterAsLayerList(parameters, self.RASTERS, context)
        text = self.parameterAsString(parameters, self.YEARS, context).strip()
        if text:
            try:
                years = parse_years(text)
            except ValueError:
                self.fail(f"YEARS must be comma-separated whole numbers, got '{text}'.")
            if len(years) != len(layers):
                self.fail(
                    f"{len(years)} year(s) given for {len(layers)} raster(s): give one year per raster."
                )
        else:
            years = [year_from_name(layer.name()) for layer in layers]
            missing = [layer.name() for layer, y in zip(layers, years) if y is None]
            if missing:
                self.fail(f"No year in the layer name(s) {', '.join(missing)}: fill in YEARS.")
        series = []
        for year, layer in zip(years, layers):
            if feedback.isCanceled():
                self.fail("Cancelled by the user.")
            series.append((year, read_band(layer, name=layer.name())))
        return series

    def _vector_series(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, self.INPUT, context)
        value_field = self.parameterAsString(parameters, self.VALUE_FIELD, context)
        time_field = self.parameterAsString(parameters, self.TIME_FIELD, context)
        if not value_field or not time_field:
            self.fail("With an input layer, choose both VALUE_FIELD and TIME_FIELD.")
        if source is None:
            self.fail("The input layer could not be read.")
        fields = source.fields()
        for name in (value_field, time_field):
            if fields.lookupField(name) < 0:
                self.fail(f"Field '{name}' does not exist in the input layer.")
        if not fields.field(fields.lookupField(value_field)).isNumeric():
            self.fail(f"Field '{value_field}' is not numeric: choose a numeric VALUE_FIELD (or convert it "
                      "with the Field calculator).")
        _names, rows = read_rows(source, feedback, fields=[value_field, time_field])
        times, values = [], []
        for row in rows:
            t, v = row[time_field], row[value_field]
            if t is None or v is None or not math.isfinite(float(v)):
                continue
            times.append(int(t) if isinstance(t, float) and t.is_integer() else t)
            values.append(float(v))
        skipped = len(rows) - len(values)
        if skipped and not values:
            self.fail(f"There is nothing to describe: all {skipped} feature(s) have a null time or value.")
        if skipped:
            feedback.pushWarning(f"{skipped} feature(s) with a null time or value were skipped.")
        distinct, groups = group_by_time(times)
        values = np.asarray(values, dtype=float)
        return [(t, values[index]) for t, index in zip(distinct, groups)]

    def processAlgorithm(self, parameters, context: QgsProcessingContext, feedback: QgsProcessingFeedback):
        has_rasters = bool(self.parameterAsLayerList(parameters, self.RASTERS, context))
        has_vector = self.parameterAsSource(parameters, self.INPUT, context) is not None
        if has_rasters == has_vector:
            self.fail("Give either yearly emission rasters (RASTERS) or an input layer (INPUT), not both.")
        series = (self._raster_series if has_rasters else self._vector_series)(parameters, context, feedback)
        if not series:
            self.fail("There is nothing to describe: no year with values.")
        try:
            stats = yearly_statistics(series, progress=progress_callback(feedback, 0, 80))
        except ValueError as error:
            raise QgsProcessingException(str(error)) from None
        for s in stats:
            if s.cells == 0:
                feedback.pushWarning(f"{s.year}: no data (every cell or value is nodata/null); its total, "
                                     "mean and growth are reported as NULL (no data), not 0.")
        numeric_years = all(isinstance(s.year, (int, np.integer)) for s in stats)
        fields = QgsFields()
        fields.append(QgsField("year", FieldType.Int if numeric_years else FieldType.String))
        for name in ("total", "peak", "mean", "std"):
            fields.append(QgsField(name, FieldType.Double))
        fields.append(QgsField("cells", FieldType.LongLong))
        fields.append(QgsField("growth", FieldType.Double))
        fields.append(QgsField("growth_pct", FieldType.Double))
        sink, sink_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields, WkbType.NoGeometry)
        if sink is None:
            self.fail("Could not create the statistics table.")
        for s in stats:
            feature = QgsFeature(fields)
            numbers = [attribute_value(v) for v in (s.total, s.peak, s.mean, s.std)]
            feature.setAttributes([int(s.year) if numeric_years else str(s.year), *numbers, int(s.cells),
                                   attribute_value(s.growth), attribute_value(s.growth_pct)])
            sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
            feedback.pushInfo(
                f"{s.year}: total {s.total:.6g}, peak {s.peak:.6g}, mean {s.mean:.6g}, std {s.std:.6g}, "
                f"cells {s.cells}" + (f", growth {s.growth:+.6g} ({s.growth_pct:+.2f}%)"
                                      if math.isfinite(s.growth) else "")
            )
        results = {self.OUTPUT: sink_id}
        html_path = self.parameterAsFileOutput(parameters, self.OUTPUT_HTML, context)
        if html_path:
            feedback.setProgressText(self.tr("Writing the HTML report"))
            write_html_report(html_path, stats)
            results[self.OUTPUT_HTML] = html_path
        feedback.setProgress(100)
        return results


def _chart_png(stats):
    """Three line charts: total per year; peak cell; mean and standard deviation per cell."""
    # Agg canvas on a bare Figure: no pyplot, no change of the global backend inside QGIS
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    years = [s.year for s in stats]
    numeric = all(isinstance(y, (int, np.integer)) for y in years)
    x = years if numeric else list(range(len(years)))
    fig = Figure(figsize=(11, 3.6), dpi=100)
    FigureCanvasAgg(fig)
    panels = [
        ("Total", [("total", [s.total for s in stats], "#b2182b", "o")]),
        ("Peak cell", [("peak", [s.peak for s in stats], "#762a83", "^")]),
        ("Per cell", [("mean", [s.mean for s in stats], "#2166ac", "s"),
                      ("standard deviation", [s.std for s in stats], "#1b7837", "D")]),
    ]
    for i, (title, lines) in enumerate(panels):
        ax = fig.add_subplot(1, 3, i + 1)
        for label, values, colour, marker in lines:
            ax.plot(x, values, marker=marker, color=colour, label=label)
        ax.set_title(title)
        ax.set_xlabel("year")
        ax.set_xticks(x)
        ax.set_xticklabels([str(y) for y in years], rotation=45 if len(x) > 6 else 0)
        ax.grid(alpha=0.3)
        if len(lines) > 1:
            ax.legend(loc="best", fontsize="small")
    fig.tight_layout()
    return figure_png_base64(fig, dpi=100)


def write_html_report(path, stats):
    """Write the statistics table and the line charts (embedded PNG) as one HTML page."""
    rows = [
        (s.year, *[format_cell(v) for v in (s.total, s.peak, s.mean, s.std)], s.cells, format_cell(s.growth),
         format_cell(s.growth_pct, 4))
        for s in stats
    ]
    table = html_table(["year", "total", "peak", "mean", "std", "cells", "growth", "growth (%)"], rows)
    chart = (f'<p><img alt="total, peak, mean and standard deviation per year" '
             f'src="data:image/png;base64,{_chart_png(stats)}"></p>')
    intro = (
        "<p>Per year: total, peak cell, mean and (population) standard deviation over the cells with a value, "
        "and growth since the previous year, in the units of the input.</p>"
    )
    return write_html(path, "Emission time series statistics", [("Statistics per year", table),
                                                                ("Charts", chart)], intro=intro)


