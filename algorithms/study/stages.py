"""The stages of the emission study, one function each, run as Carbon Spacetime child algorithms.

Every stage takes the :class:`StudyRun` (staging folder, child runner, progress) and
returns its table or result; the parameter keys of the child algorithms are imported
from those algorithms, not copied.
"""

import os

from qgis.core import QgsProcessingException, QgsRasterLayer

from ...core.getis_ord import bin_counts
from .. import _clustering_common as clustering
from .. import _distribution_common as distribution
from .._io import plain_value, read_table, write_table
from ..base import WeightedSteps
from ..downscale import DownscaleEmissions
from ..emission_statistics import EmissionStatistics
from ..hot_spots import HotSpots
from ..mean_centre_trajectory import MeanCentreTrajectory
from ..regression import MultiscaleGWR
from ..standard_deviational_ellipse import StandardDeviationalEllipse
from .emerging import run_emerging_stage
from .geodetector import run_geodetector_stage
from .io import StudyCancelled

#: Expected share of the run per stage (per year where the stage runs once a year), from the
#: stage times of a run on the sample data; the progress bar follows these weights.
STAGE_WEIGHTS = {
    "downscale": 2, "grid": 1, "statistics": 1, "centre": 1, "ellipse": 1,
    "moran": 1, "hotspots": 1, "emerging": 1, "mgwr": 20, "geodetector": 2, "maps": 4, "report": 1,
}

#: The numbers of carbon:globalmoransi kept in Table 2 (study column, result key).
MORAN_NUMBERS = (
    ("morans_i", "MORANS_I"),
    ("expected_i", "EXPECTED_I"),
    ("variance", "VARIANCE"),
    ("z_score", "Z_SCORE"),
    ("p_value", "P_VALUE"),
)
#: The MGWR diagnostics of carbon:mgwr kept per year.
MGWR_DIAGNOSTICS = ("AICC", "R2", "ADJ_R2", "SIGMA2")


def total_weight(n_years, with_factors):
    """The sum of the stage weights of a study of ``n_years`` years (MGWR and detector with factors)."""
    w = STAGE_WEIGHTS
    return (n_years * w["downscale"] + w["grid"] + w["statistics"] + w["centre"] + w["ellipse"]
            + n_years * (w["moran"] + w["hotspots"]) + w["emerging"]
            + (n_years * (w["mgwr"] + w["geodetector"]) if with_factors else 0) + w["maps"] + w["report"])


class StudyRun:
    """The running study as its stages see it.

    Parameters
    ----------
    child : callable(alg_id, params, context, feedback) -> results
        Runs a child algorithm (checks cancel before and after).
    context : QgsProcessingContext
    feedback : QgsProcessingFeedback
        The study's feedback; each stage gets a share of its progress bar.
    staging : str
        The hidden staging folder every output is written to first.
    total : float
        Sum of the stage weights (:func:`total_weight`).
    """

    def __init__(self, child, context, feedback, staging, total):
        self._run_child = child
        self.context = context
        self.feedback = feedback
        self.staging = staging
        self.progress = WeightedSteps(feedback, total)
        #: Feedback of the current stage (its share of the progress bar).
        self.step = feedback

    def check(self):
        """Raise :class:`StudyCancelled` when the user cancelled."""
        if self.feedback.isCanceled():
            raise StudyCancelled("Cancelled by the user.")

    def stage(self, text, kind):
        """Start the next stage (weight ``STAGE_WEIGHTS[kind]``) and announce it; returns its feedback."""
        self.check()
        self.step = self.progress.feedback_for(STAGE_WEIGHTS[kind])
        self.feedback.setProgressText(text)
        self.feedback.pushInfo(text)
        return self.step

    def child(self, alg_id, params, context=None, feedback=None):
        """Run ``carbon:<alg_id>``, by default in the study's context with the current stage's feedback."""
        return self._run_child(
            alg_id, params, self.context if context is None else context, self.step if feedback is None else feedback
        )

    def each_year(self, years, kind, text, alg_id, params, skip=None):
        """Run ``carbon:<alg_id>`` once per year, each run a stage of its own; yields ``(year, results)``.

        Parameters
        ----------
        years : list of int
        kind : str
            The stage's key in :data:`STAGE_WEIGHTS`.
        text : str
            The stage's name; the year is appended (``"MGWR 2015"``).
        alg_id : str
        params : callable(year) -> dict
            The child's parameters for that year.
        skip : callable(year, error) or None
            Without it a failing year stops the study. With it, a year whose run fails with a
            ``QgsProcessingException`` (not a cancel) is handed to ``skip`` and the next year runs.
        """
        for year in years:
            self.stage(f"{text} {year}", kind)
            try:
                result = self.child(alg_id, params(year))
            except StudyCancelled:
                raise
            except QgsProcessingException as error:
                if skip is None or self.step.isCanceled():
                    raise
                skip(year, error)
                continue
            yield year, result

    def path(self, name):
        """``name`` in the staging folder."""
        return os.path.join(self.staging, name)


def downscale(run, years, inputs, totals, scheme, regions=None, region_field="", reclass=None):
    """carbon:downscale per year; returns ``{year: emissions raster path}``."""
    alg = DownscaleEmissions

    def params(year):
        given = {
            alg.LANDUSE: inputs["landuse"][year],
            alg.LIGHT: inputs["light"][year],
            alg.POPULATION: inputs["population"][year],
            alg.TOTALS: totals,
            alg.YEAR: year,
            alg.SCHEME: scheme,
            alg.OUTPUT: run.path(f"emissions_{year}.tif"),
            alg.OUTPUT_REPORT: run.path(f"downscale_report_{year}.gpkg"),
        }
        if regions:
            given[alg.REGIONS] = regions
            given[alg.REGION_FIELD] = region_field
        if reclass:
            given[alg.RECLASS_TABLE] = reclass
        return given

    runs = run.each_year(years, "downscale", "Downscaling", "downscale", params)
    return {year: result[alg.OUTPUT] for year, result in runs}


def emission_rasters(years, emissions):
    """The emission rasters as layers, for the distribution tools' layer lists.

    Raster layers, not paths: a path in a layer list is first tried as a vector
    ("[OGR] Cannot open ...emissions_2000.tif" in the log). Drop them after the
    ellipses, so that the files can be moved out of the staging folder (Windows locks
    open files).
    """
    return [QgsRasterLayer(emissions[y], f"emissions_{y}") for y in years]


def _on_emission_grid(run, text, kind, alg_id, years, rasters, params):
    """Stage ``text`` (weight ``kind``): a tool with ``RASTERS`` + ``YEARS`` inputs on the yearly emission rasters."""
    run.stage(text, kind)
    return run.child(
        alg_id, {distribution.RASTERS: rasters, distribution.YEARS: ",".join(str(y) for y in years), **params}
    )


def statistics(run, years, rasters):
    """carbon:emissionstatistics over the years; returns its table rows."""
    alg = EmissionStatistics
    result = _on_emission_grid(
        run, "Emission statistics", "statistics", "emissionstatistics", years, rasters,
        {alg.OUTPUT: run.path("statistics.gpkg"), alg.OUTPUT_HTML: run.path("statistics.html")},
    )
    return read_table(result[alg.OUTPUT])


def centre_trajectory(run, years, rasters):
    """carbon:meancentertrajectory; returns ``(centres rows, trajectory rows)`` (no shifts for one year)."""
    alg = MeanCentreTrajectory
    result = _on_emission_grid(
        run, "Mean-centre trajectory", "centre", "meancentertrajectory", years, rasters,
        {alg.OUTPUT_CENTERS: run.path("centres.gpkg"), alg.OUTPUT_TRAJECTORY: run.path("trajectory.gpkg")},
    )
    trajectory = read_table(result[alg.OUTPUT_TRAJECTORY]) if len(years) > 1 else []
    return read_table(result[alg.OUTPUT_CENTERS]), trajectory


def ellipses(run, years, rasters, size, method):
    """carbon:directionaldistribution; returns the ellipse rows."""
    alg = StandardDeviationalEllipse
    result = _on_emission_grid(
        run, "Standard deviational ellipses", "ellipse", "directionaldistribution", years, rasters,
        {alg.ELLIPSE_SIZE: size, alg.METHOD: method, alg.OUTPUT: run.path("ellipses.gpkg")},
    )
    return read_table(result[alg.OUTPUT])


def _on_analysis_grid(grid_info, year, neighborhood):
    """The input parameters of a clustering tool on the year's analysis grid (its ``emissions`` field)."""
    return {
        clustering.INPUT: grid_info["grids"][year],
        clustering.FIELD: "emissions",
        clustering.NEIGHBORHOOD: neighborhood,
    }


def global_moran(run, years, grid_info, neighborhood):
    """carbon:globalmoransi per year on the analysis grid; returns Table 2 (also ``moran.gpkg``)."""

    def params(year):
        return _on_analysis_grid(grid_info, year, neighborhood)

    rows = [
        {"year": year, **{column: result[key] for column, key in MORAN_NUMBERS}, "n": grid_info["cells"][year]}
        for year, result in run.each_year(years, "moran", "Global Moran's I", "globalmoransi", params)
    ]
    write_table(run.path("moran.gpkg"), rows)
    return rows


def gi_class_counts(rows):
    """Cells per Gi* class (``Gi_Bin`` -3 to 3) in the rows of a hot-spot layer."""
    return bin_counts([row.get("Gi_Bin") for row in rows])


def hot_spots(run, years, grid_info, neighborhood):
    """carbon:hotspots per year; returns ``({year: layer path}, {year: class counts})``."""
    layers, counts = {}, {}

    def params(year):
        return {**_on_analysis_grid(grid_info, year, neighborhood), HotSpots.OUTPUT: run.path(f"hotspots_{year}.gpkg")}

    for year, result in run.each_year(years, "hotspots", "Gi* hot spots", "hotspots", params):
        layers[year] = result[HotSpots.OUTPUT]
        counts[year] = gi_class_counts(read_table(result[HotSpots.OUTPUT]))
    return layers, counts


def emerging_hot_spots(run, years, neighborhood):
    """carbon:emerginghotspots over the study years (None with fewer than 3 years)."""
    run.stage("Emerging hot spots", "emerging")
    return run_emerging_stage(run.child, years, neighborhood, run.staging, run.context, run.step)


def mgwr(run, years, grid_info, factor_fields):
    """carbon:mgwr per year; returns ``({year: layer path}, Table 3 rows, {year: diagnostics})``."""
    alg = MultiscaleGWR
    layers, rows, diagnostics = {}, [], {}

    def params(year):
        return {
            alg.INPUT: grid_info["grids"][year],
            alg.DEPENDENT: "emissions",
            alg.EXPLANATORY: factor_fields,
            alg.OUTPUT: run.path(f"mgwr_{year}.gpkg"),
            alg.OUTPUT_SUMMARY: run.path(f"mgwr_summary_{year}.gpkg"),
            alg.OUTPUT_HTML: run.path(f"mgwr_{year}.html"),
        }

    for year, result in run.each_year(years, "mgwr", "MGWR", "mgwr", params):
        layers[year] = result[alg.OUTPUT]
        for row in read_table(result[alg.OUTPUT_SUMMARY]):
            rows.append({"year": year, **row})
        diagnostics[year] = {k: plain_value(result.get(k)) for k in MGWR_DIAGNOSTICS}
    return layers, rows, diagnostics


def geodetector(run, years, grid_info, factor_fields):
    """carbon:geodetector per year on the MGWR factors; returns its tables (see run_geodetector_stage)."""
    return run_geodetector_stage(run, years, grid_info, factor_fields)
