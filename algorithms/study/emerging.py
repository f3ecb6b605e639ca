"""The emerging hot spot stage of ``carbon:emissionstudy``: run, map and report.

``carbon:emerginghotspots`` runs as a child on the yearly analysis rasters
(``analysis_YEAR.tif``, band 1 = emissions summed into analysis cells), so the
locations are the analysis cells with emissions in every study year.
"""

import os

from qgis.core import QgsRasterLayer

from ...core.emerging_hot_spots import pattern_counts as core_pattern_counts
from ...core.weights import K_NEAREST, QUEEN
from .. import _report, _styles
from .._clustering_common import NEIGHBORHOOD
from .._io import read_band, read_table
from ..emerging_hot_spots import EmergingHotSpots

#: The trend test needs a series: fewer study years skip the stage.
MIN_YEARS = 3
RASTER = "emerging_hotspots.tif"
YEARS_TABLE = "emerging_hotspots_years.gpkg"
MAP = "emerging_hotspots.png"


def run_emerging_stage(child, years, neighborhood, staging, context, feedback):
    """Run ``carbon:emerginghotspots`` over the study years.

    ``child(alg_id, params, context, feedback)`` runs a child algorithm.
    Returns ``{"raster", "patterns", "per_year"}`` or None when there are fewer
    than :data:`MIN_YEARS` years (the stage is skipped and the log says so).
    """
    if len(years) < MIN_YEARS:
        feedback.pushInfo(f"Emerging hot spots need at least {MIN_YEARS} study years ({len(years)} given): "
                          "stage skipped.")
        return None
    kind = neighborhood
    if kind == K_NEAREST:
        feedback.pushInfo("Emerging hot spots run on the analysis raster cells, where k nearest neighbours "
                          "is not available: queen contiguity is used instead.")
        kind = QUEEN
    alg = EmergingHotSpots
    result = child(
        "emerginghotspots",
        {
            alg.RASTERS: [os.path.join(staging, f"analysis_{y}.tif") for y in years],
            alg.YEARS: ",".join(str(y) for y in years),
            NEIGHBORHOOD: kind,
            alg.TIME_STEPS: 1,
            alg.OUTPUT_RASTER: os.path.join(staging, RASTER),
            alg.OUTPUT_TABLE: os.path.join(staging, YEARS_TABLE),
        },
        context,
        feedback,
    )
    return {
        "raster": result[alg.OUTPUT_RASTER],
        "patterns": pattern_counts(result[alg.OUTPUT_RASTER]),
        "per_year": read_table(result[alg.OUTPUT_TABLE]),
    }


def pattern_counts(path):
    """Rows ``{code, pattern, cells, share_pct}`` of the pattern band (band 1) of ``path``."""
    return [{"code": c, "pattern": name, "cells": n, "share_pct": share}
            for c, name, n, share in core_pattern_counts(read_band(path))]


def render_emerging_map(stage, background, maps_dir, cell_size):
    """The styled pattern map (PNG); returns the report's map row."""
    layer = QgsRasterLayer(stage["raster"], "Emerging hot spots")
    _styles.apply(layer, "emerging_hotspots")
    layers = [background, layer] if background is not None else [layer]
    _report.render_map(
        os.path.join(maps_dir, MAP),
        "Emerging hot and cold spots",
        layers,
        subtitle=f"Analysis cells of {cell_size / 1000:g} km; space-time Gi* (one earlier year) and "
        "Mann-Kendall trend",
        legend_title="Pattern",
    )
    return ("emerging", None, MAP, "Emerging hot and cold spots over the study years")


def report_parts(tables, maps_rel, maps):
    """The report's table and map of the stage (empty when the stage was skipped)."""
    if not tables.get("emerging"):
        return []
    parts = [
        _report.html_table(
            "table-emerging",
            "Emerging hot spot patterns (number of analysis cells)",
            [("code", "Code"), ("pattern", "Pattern"), ("cells", "Cells"), ("share_pct", "Share %")],
            tables["emerging"],
            note="Space-time Gi* with the study neighbourhood and one earlier year; Mann-Kendall trend "
            "of the Gi* z-scores at 90 % confidence; ArcGIS's pattern definitions.",
        )
    ]
    parts += [_report.figure(f"{maps_rel}/{m[2]}", m[3]) for m in maps if m[0] == "emerging"]
    return parts
