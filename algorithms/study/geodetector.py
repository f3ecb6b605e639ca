"""The emission study's geographical-detector stage (carbon:geodetector per year, beside MGWR).

Runs on the same analysis grid and the same driving factors as the MGWR stage, with the
optimal discretisation (method x 3-8 classes with the largest q, per factor). A year
whose data cannot be stratified (e.g. a factor with a single value on the grid) is
skipped with a warning that also goes into the report; the rest of the study goes on.
"""

import html

from .. import _report
from .._io import read_table
from ..geodetector import Geodetector


def run_geodetector_stage(run, years, grid_info, factor_fields):
    """Run carbon:geodetector for every year.

    Parameters
    ----------
    run : stages.StudyRun
        The running study (child runs, one progress stage per year, the staging folder).

    Returns
    -------
    dict
        ``geodetector`` (rows: year, factor, method, classes, strata, q, p),
        ``geodetector_interactions`` (rows: year, pair, q_1, q_2, q, type) and
        ``geodetector_notes`` (text per skipped year).
    """
    alg = Geodetector
    factors, interactions, notes = [], [], []

    def params(year):
        return {
            alg.INPUT: grid_info["grids"][year],
            alg.DEPENDENT: "emissions",
            alg.EXPLANATORY: factor_fields,
            alg.OPTIMAL: True,
            alg.OUTPUT_FACTORS: run.path(f"geodetector_factors_{year}.gpkg"),
            alg.OUTPUT_INTERACTIONS: run.path(f"geodetector_interactions_{year}.gpkg"),
            alg.OUTPUT_RISK: run.path(f"geodetector_risk_{year}.gpkg"),
            alg.OUTPUT_HTML: run.path(f"geodetector_{year}.html"),
        }

    def skip(year, error):
        text = f"{year}: geographical detector skipped ({error})"
        run.step.reportError(text, False)
        notes.append(text)

    for year, result in run.each_year(years, "geodetector", "Geographical detector", "geodetector", params, skip):
        for row in read_table(result[alg.OUTPUT_FACTORS]):
            factors.append({"year": year, **row})
        for row in read_table(result[alg.OUTPUT_INTERACTIONS]):
            interactions.append({"year": year, **row})
    return {"geodetector": factors, "geodetector_interactions": interactions, "geodetector_notes": notes}


def geodetector_section(tables):
    """The report section ("Drivers: geographical detector", parts), or None without results."""
    if not tables.get("geodetector") and not tables.get("geodetector_notes"):
        return None
    parts = [
        _report.html_table(
            "table-geodetector",
            "Geographical detector: q of each factor per year (optimal discretisation)",
            [("year", "Year"), ("factor", "Factor"), ("method", "Method"), ("classes", "Classes"),
             ("q", "q"), ("p", "p")],
            tables.get("geodetector", []),
            note="q = 1 − Σ N_h σ²_h / (N σ²): share of the spatial variance of emissions explained by the "
            "factor's strata; p from the non-central F distribution (Wang, Zhang & Fu 2016).",
        ),
        _report.html_table(
            "table-geodetector-interactions",
            "Geographical detector: interactions q(X1 ∩ X2) per year",
            [("year", "Year"), ("pair", "Pair"), ("q_1", "q1"), ("q_2", "q2"), ("q", "q(X1 ∩ X2)"),
             ("type", "Type")],
            tables.get("geodetector_interactions", []),
        ),
    ]
    parts += [f'<p class="note">{html.escape(t)}</p>' for t in tables.get("geodetector_notes", [])]
    return ("Drivers: geographical detector", parts)
