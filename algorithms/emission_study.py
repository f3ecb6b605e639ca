"""``carbon:emissionstudy`` — the whole study in one run, with an HTML report.

Thin orchestration: every statistic is computed by the individual Carbon
Spacetime algorithms, run as child algorithms; this module only prepares their
inputs (the coarser analysis grid), collects their outputs into tables, renders
the maps and writes the report.
"""

import json
import os
import re
import shutil
import time

import numpy as np
from osgeo import gdal, osr
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingMultiStepFeedback,
    QgsProcessingOutputHtml,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsRasterLayer,
    QgsRectangle,
    QgsVectorFileWriter,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ..core.aggregate import block_count, block_mean, block_sum
from ..core.findings import study_findings
from . import _report, _study_styles
from .base import CarbonAlgorithm
from .layers import write_geotiff

gdal.UseExceptions()

DEFAULT_FACTORS = "urbanisation,energy_structure,agpp,electricity,real_gdp"
NEIGHBORHOODS = [
    "Fixed distance band",
    "Inverse distance",
    "K nearest neighbours",
    "Queen contiguity",
    "Rook contiguity",
]
CHILD_ALGORITHMS = (
    "downscale",
    "emissionstatistics",
    "meancentertrajectory",
    "directionaldistribution",
    "globalmoransi",
    "hotspots",
    "mgwr",
)
GROUP_ROOT = "Emission study"


class StudyCancelled(QgsProcessingException):
    pass


class StudyLayerPostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Styles a loaded study layer, names it and moves it into its group (e.g. "Emission study/2020")."""

    def __init__(self, style, name, group_path):
        super().__init__()
        self.style = style
        self.name = name
        self.group_path = group_path

    def postProcessLayer(self, layer, context, feedback):
        if layer is None or not layer.isValid():
            return
        try:
            self.style(layer)
        except Exception as error:  # a style problem must not lose the result
            feedback.reportError(f"Could not style {self.name}: {error}")
        layer.setName(self.name)
        project = context.project()
        if project is None:
            return
        root = project.layerTreeRoot()
        node = root.findLayer(layer.id())
        if node is None:
            return
        group = root
        for part in self.group_path:
            child = group.findGroup(part)
            if child is None:
                child = group.addGroup(part)
            group = child
        parent = node.parent()
        clone = node.clone()
        group.addChildNode(clone)
        parent.removeChildNode(node)


_POST_PROCESSORS = []


def _plain(value):
    if value is None:
        return None
    if hasattr(value, "isNull") and value.isNull():
        return None
    if isinstance(value, (int, float, str)):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def read_table(path):
    """All rows of a table/vector output as dicts (geometry ignored)."""
    layer = QgsVectorLayer(path, "table", "ogr")
    if not layer.isValid():
        raise QgsProcessingException(f"Could not read the table {path}.")
    names = [f.name() for f in layer.fields()]
    return [{n: _plain(f[n]) for n in names if n != "fid"} for f in layer.getFeatures()]


def _safe_field(name):
    name = re.sub(r"[^0-9A-Za-z_]+", "_", name.strip()).strip("_").lower()
    if not name or name[0].isdigit():
        name = f"f_{name}"
    return name


class EmissionStudy(CarbonAlgorithm):
    ALG_ID = "emissionstudy"
    DISPLAY_NAME = "Run emission study"
    GROUP = "Study"
    GROUP_ID = "study"
    ICON = "emission_study.svg"
    HELP = (
        "Runs the complete emission study of the reference paper in one go and writes an HTML "
        "report with maps.<br><br>"
        "<b>Stages</b> (each a Carbon Spacetime algorithm run as a child, progress per stage, cancel at any "
        "time): downscaling per year (carbon:downscale) → yearly emission statistics "
        "(carbon:emissionstatistics) → mean-centre trajectory (carbon:meancentertrajectory) → standard "
        "deviational ellipses (carbon:directionaldistribution) → Global Moran's I per year, Table 2 "
        "(carbon:globalmoransi) → Getis-Ord Gi* hot spots per year (carbon:hotspots) → MGWR per year, "
        "Table 3 (carbon:mgwr) → report.<br><br>"
        "<b>Inputs per year</b>: either the layer lists <i>Land use</i>, <i>Nighttime light</i> and "
        "<i>Population</i> (one layer per year; matched to the years by the 4-digit year in the layer "
        "name, else taken in the order of <i>Years</i>), or an <i>Input folder</i> with files named by the "
        "patterns (default <code>landuse_{year}.tif</code>, <code>light_{year}.tif</code>, "
        "<code>population_{year}.tif</code>; <code>{year}</code> is replaced by each year). "
        "The sample dataset (<code>python -m sampledata.liaoning DIR</code>) uses exactly these names.<br>"
        "<b>Totals table</b>: CSV or table with <code>year</code>, <code>category</code> (1 urban, "
        "2 industrial, 3 rural and other), <code>emissions</code> (e.g. Mt CO2) and <code>region</code> "
        "when regions are given. <b>Regions</b> (optional) with the <b>Region field</b> matching the "
        "table; they are also drawn on the maps.<br>"
        "<b>Driving factors</b>: names (comma-separated, default "
        "<code>urbanisation,energy_structure,agpp,electricity,real_gdp</code>) and a file pattern "
        "(default <code>{factor}_{year}.tif</code>) looked up in the <i>Factor folder</i> (default: the "
        "input folder). Leave the names empty to skip MGWR.<br>"
        "<b>Analysis cell size</b> (CRS units, metres for the sample; default 10000): the 1 km "
        "emissions are summed, the factors averaged, into cells of this size (rounded to a whole "
        "number of emission cells). Moran's I, Gi* and MGWR run on these cells (a polygon grid per "
        "year, <code>analysis_YEAR.gpkg</code>); the centre, ellipses and statistics use the full "
        "emission grid. Cells where any factor is missing are left out of the grid (reported).<br>"
        "<b>Neighbourhood</b> for Moran's I and Gi*: as in those tools (default queen contiguity "
        "of the grid cells). <b>Ellipse size</b> and <b>method</b>: as in the ellipse tool.<br><br>"
        "<b>Outputs</b> in the <i>Output folder</i>: <code>emissions_YEAR.tif</code>, "
        "<code>downscale_report_YEAR.gpkg</code>, <code>analysis_YEAR.tif/.gpkg</code>, "
        "<code>statistics.gpkg/.html</code>, <code>centres.gpkg</code>, <code>trajectory.gpkg</code>, "
        "<code>ellipses.gpkg</code>, <code>moran.gpkg</code> (Table 2), <code>hotspots_YEAR.gpkg</code>, "
        "<code>mgwr_YEAR.gpkg/.html</code>, <code>mgwr_summary_YEAR.gpkg</code> (Table 3), "
        "<code>regions.gpkg</code> (copy of the regions, for the maps), <code>study_tables.json</code> "
        "(every "
        "table of the report as numbers), and the report (<code>report.html</code> unless <i>Report</i> is "
        "set) with its PNG maps in <code>&lt;report name&gt;_maps/</code>. Everything is written to a "
        "hidden staging folder first and moved into place only when the whole run succeeded, so a "
        "cancelled or failed run leaves no partial files. The main layers are loaded into the project "
        "grouped by year and styled.<br><br>"
        "The report: maps rendered by QGIS (emissions per year, centre trajectory with ellipses and a "
        "close-up, hot/cold spots per year, MGWR coefficients of the last year), the tables (yearly "
        "statistics, centre shifts, ellipses, Table 2 Moran's I, Gi* class counts, Table 3 MGWR per year and "
        "term with diagnostics) and findings written from those numbers only.<br><br>"
        "Reference: the Liaoning study (CEADs totals, 1 km downscaling, SDE, Moran's I, Gi*, MGWR)."
    )

    LANDUSE = "LANDUSE"
    LIGHT = "LIGHT"
    POPULATION = "POPULATION"
    INPUT_FOLDER = "INPUT_FOLDER"
    LANDUSE_PATTERN = "LANDUSE_PATTERN"
    LIGHT_PATTERN = "LIGHT_PATTERN"
    POPULATION_PATTERN = "POPULATION_PATTERN"
    TOTALS = "TOTALS"
    REGIONS = "REGIONS"
    REGION_FIELD = "REGION_FIELD"
    SCHEME = "SCHEME"
    RECLASS_TABLE = "RECLASS_TABLE"
    FACTORS = "FACTORS"
    FACTOR_FOLDER = "FACTOR_FOLDER"
    FACTOR_PATTERN = "FACTOR_PATTERN"
    YEARS = "YEARS"
    ANALYSIS_CELL_SIZE = "ANALYSIS_CELL_SIZE"
    NEIGHBORHOOD = "NEIGHBORHOOD"
    ELLIPSE_SIZE = "ELLIPSE_SIZE"
    METHOD = "METHOD"
    UNIT = "UNIT"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"
    OUTPUT_HTML = "OUTPUT_HTML"

    def flags(self):
        # Maps are rendered with QGIS's layout engine, which must run in the main thread.
        return super().flags() | QgsProcessingAlgorithm.FlagNoThreading

    def initAlgorithm(self, config=None):
        def add(param, help_text, advanced=False):
            param.setHelp(help_text)
            if advanced:
                param.setFlags(param.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            self.addParameter(param)

        add(
            QgsProcessingParameterString(self.YEARS, self.tr("Years (comma-separated)")),
            "The study years, e.g. 2000,2005,2010,2015,2020. Each needs land use, light, population "
            "(and factors) and totals.",
        )
        add(
            QgsProcessingParameterMultipleLayers(
                self.LANDUSE, self.tr("Land use per year"), QgsProcessing.TypeRaster, optional=True
            ),
            "One land-use raster per year (raw codes). Leave empty to use the input folder.",
        )
        add(
            QgsProcessingParameterMultipleLayers(
                self.LIGHT, self.tr("Nighttime light per year"), QgsProcessing.TypeRaster, optional=True
            ),
            "One nighttime-light raster per year. Leave empty to use the input folder.",
        )
        add(
            QgsProcessingParameterMultipleLayers(
                self.POPULATION, self.tr("Population per year"), QgsProcessing.TypeRaster, optional=True
            ),
            "One population raster per year. Leave empty to use the input folder.",
        )
        add(
            QgsProcessingParameterFile(
                self.INPUT_FOLDER,
                self.tr("Input folder (files named by year)"),
                behavior=QgsProcessingParameterFile.Folder,
                optional=True,
            ),
            "Folder holding the yearly rasters named by the patterns below.",
        )
        add(
            QgsProcessingParameterString(
                self.LANDUSE_PATTERN, self.tr("Land-use file pattern"), defaultValue="landuse_{year}.tif"
            ),
            "File name in the input folder; {year} is replaced by each year.",
            advanced=True,
        )
        add(
            QgsProcessingParameterString(
                self.LIGHT_PATTERN, self.tr("Light file pattern"), defaultValue="light_{year}.tif"
            ),
            "File name in the input folder; {year} is replaced by each year.",
            advanced=True,
        )
        add(
            QgsProcessingParameterString(
                self.POPULATION_PATTERN,
                self.tr("Population file pattern"),
                defaultValue="population_{year}.tif",
            ),
            "File name in the input folder; {year} is replaced by each year.",
            advanced=True,
        )
        add(
            QgsProcessingParameterVectorLayer(
                self.TOTALS, self.tr("Emission totals table"), [QgsProcessing.TypeVector]
            ),
            "Table (CSV or layer) with year, category (1/2/3), emissions and, with regions, region.",
        )
        add(
            QgsProcessingParameterFeatureSource(
                self.REGIONS, self.tr("Regions"), [QgsProcessing.TypeVectorPolygon], optional=True
            ),
            "Optional region polygons (e.g. cities) matching the table's region column; drawn on maps.",
        )
        add(
            QgsProcessingParameterField(
                self.REGION_FIELD,
                self.tr("Region field"),
                parentLayerParameterName=self.REGIONS,
                optional=True,
            ),
            "Field of the regions layer that matches the table's region column.",
        )
        add(
            QgsProcessingParameterEnum(
                self.SCHEME,
                self.tr("Land-use scheme"),
                ["CAS/RESDC LUCC codes", "Custom reclass table"],
                defaultValue=0,
            ),
            "How land-use codes map to emission categories (see 'Land use to emission categories').",
            advanced=True,
        )
        add(
            QgsProcessingParameterVectorLayer(
                self.RECLASS_TABLE, self.tr("Reclass table"), [QgsProcessing.TypeVector], optional=True
            ),
            "Table with fields code and category, for the custom scheme.",
            advanced=True,
        )
        add(
            QgsProcessingParameterString(
                self.FACTORS,
                self.tr("Driving factors (comma-separated names)"),
                defaultValue=DEFAULT_FACTORS,
                optional=True,
            ),
            "Names of the explanatory rasters for MGWR; empty skips MGWR.",
        )
        add(
            QgsProcessingParameterFile(
                self.FACTOR_FOLDER,
                self.tr("Factor folder"),
                behavior=QgsProcessingParameterFile.Folder,
                optional=True,
            ),
            "Folder of the factor rasters (default: the input folder).",
        )
        add(
            QgsProcessingParameterString(
                self.FACTOR_PATTERN, self.tr("Factor file pattern"), defaultValue="{factor}_{year}.tif"
            ),
            "File name of a factor raster; {factor} and {year} are replaced.",
            advanced=True,
        )
        cell = QgsProcessingParameterNumber(
            self.ANALYSIS_CELL_SIZE,
            self.tr("Analysis cell size"),
            QgsProcessingParameterNumber.Double,
            defaultValue=10000.0,
            minValue=0.0,
        )
        add(
            cell,
            "Size of the cells (CRS units, metres for projected data) on which Moran's I, Gi* and "
            "MGWR run: emissions summed, factors averaged from the emission grid.",
        )
        add(
            QgsProcessingParameterEnum(
                self.NEIGHBORHOOD, self.tr("Neighbourhood (Moran's I, Gi*)"), NEIGHBORHOODS, defaultValue=3
            ),
            "Spatial weights for the cluster statistics on the analysis cells.",
            advanced=True,
        )
        add(
            QgsProcessingParameterEnum(
                self.ELLIPSE_SIZE,
                self.tr("Ellipse size"),
                ["1 standard deviation", "2 standard deviations", "3 standard deviations"],
                defaultValue=0,
            ),
            "Size of the standard deviational ellipses.",
            advanced=True,
        )
        add(
            QgsProcessingParameterEnum(
                self.METHOD,
                self.tr("Ellipse method"),
                ["ArcGIS Pro (√2)", "CrimeStat", "Yuill (no correction)"],
                defaultValue=0,
            ),
            "Axis correction of the ellipses.",
            advanced=True,
        )
        add(
            QgsProcessingParameterString(
                self.UNIT, self.tr("Emission unit (for the report)"), defaultValue="Mt CO2"
            ),
            "Unit of the totals table, used in the report text.",
            advanced=True,
        )
        add(
            QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, self.tr("Output folder")),
            "Folder for every intermediate and final output (created if needed).",
        )
        add(
            QgsProcessingParameterFileDestination(
                self.OUTPUT_HTML,
                self.tr("Report"),
                "HTML files (*.html)",
                optional=True,
                createByDefault=False,
            ),
            "HTML report (default: report.html in the output folder); maps go beside it.",
        )
        self.addOutput(QgsProcessingOutputHtml("REPORT", self.tr("Study report")))

    # ------------------------------------------------------------------
    # inputs

    def _years(self, parameters, context):
        text = self.parameterAsString(parameters, self.YEARS, context)
        try:
            years = [int(p) for p in re.split(r"[,\s;]+", text.strip()) if p]
        except ValueError:
            self.fail(f"Years '{text}' are not a comma-separated list of whole years such as 2015,2020.")
        if not years:
            self.fail("Give at least one year (e.g. 2015,2020).")
        if len(set(years)) != len(years):
            self.fail(f"Years '{text}' contain a repeated year.")
        return sorted(years)

    def _yearly(self, parameters, context, key, pattern_key, years, label):
        layers = self.parameterAsLayerList(parameters, key, context)
        if layers:
            if len(layers) != len(years):
                self.fail(f"{label}: {len(layers)} layer(s) for {len(years)} year(s). Give one per year.")
            by_year = {}
            for layer in layers:
                found = [
                    int(y)
                    for y in re.findall(
                        r"(?<!\d)(\d{4})(?!\d)", layer.name() + " " + os.path.basename(layer.source())
                    )
                    if int(y) in years
                ]
                if found:
                    by_year.setdefault(found[0], layer.source())
            if len(by_year) == len(years):
                return by_year
            return {year: layer.source() for year, layer in zip(years, layers)}
        folder = self.parameterAsFile(parameters, self.INPUT_FOLDER, context)
        if not folder:
            self.fail(f"{label}: give one layer per year, or an input folder with files named by year.")
        pattern = self.parameterAsString(parameters, pattern_key, context)
        out = {}
        for year in years:
            path = os.path.join(folder, pattern.replace("{year}", str(year)))
            if not os.path.exists(path):
                self.fail(
                    f"{label} for {year} not found: {path}. Check the input folder and the file pattern."
                )
            out[year] = path
        return out

    def _factors(self, parameters, context, years):
        names = [
            n.strip()
            for n in self.parameterAsString(parameters, self.FACTORS, context).split(",")
            if n.strip()
        ]
        if not names:
            return {}
        folder = self.parameterAsFile(parameters, self.FACTOR_FOLDER, context) or self.parameterAsFile(
            parameters, self.INPUT_FOLDER, context
        )
        if not folder:
            self.fail(
                "Driving factors are named but there is no factor folder (or input folder) to find them. "
                "Set the factor folder, or clear the factor names to skip MGWR."
            )
        pattern = self.parameterAsString(parameters, self.FACTOR_PATTERN, context)
        out = {}
        for name in names:
            out[name] = {}
            for year in years:
                path = os.path.join(folder, pattern.replace("{factor}", name).replace("{year}", str(year)))
                if not os.path.exists(path):
                    self.fail(f"Factor '{name}' for {year} not found: {path}.")
                out[name][year] = path
        if len({_safe_field(n) for n in names}) != len(names):
            self.fail("Two factor names give the same field name; rename one.")
        return out

    # ------------------------------------------------------------------

    def _child(self, alg_id, params, context, feedback):
        import processing

        if feedback.isCanceled():
            raise StudyCancelled("Cancelled by the user.")
        result = processing.run(
            f"carbon:{alg_id}", params, context=context, feedback=feedback, is_child_algorithm=True
        )
        if feedback.isCanceled():
            raise StudyCancelled("Cancelled by the user.")
        return result

    def processAlgorithm(self, parameters, context, feedback):
        started = time.time()
        registry = QgsApplication.processingRegistry()
        missing = [a for a in CHILD_ALGORITHMS if registry.algorithmById(f"carbon:{a}") is None]
        years = self._years(parameters, context)
        factors = self._factors(parameters, context, years)
        if not factors and "mgwr" in missing:
            missing.remove("mgwr")
        inputs = {
            "landuse": self._yearly(
                parameters, context, self.LANDUSE, self.LANDUSE_PATTERN, years, "Land use"
            ),
            "light": self._yearly(
                parameters, context, self.LIGHT, self.LIGHT_PATTERN, years, "Nighttime light"
            ),
            "population": self._yearly(
                parameters, context, self.POPULATION, self.POPULATION_PATTERN, years, "Population"
            ),
        }
        if missing:
            self.fail(
                "This study needs the Carbon Spacetime algorithms "
                + ", ".join(f"carbon:{a}" for a in missing)
                + ", which are not installed."
            )
        out_folder = self.parameterAsFileOutput(parameters, self.OUTPUT_FOLDER, context)
        html_path = self.parameterAsFileOutput(parameters, self.OUTPUT_HTML, context)
        if not html_path:
            html_path = os.path.join(out_folder, "report.html")
        os.makedirs(out_folder, exist_ok=True)
        staging = os.path.join(out_folder, f".study-partial-{os.getpid()}-{int(started)}")
        os.makedirs(staging)
        try:
            # No GDAL .aux.xml side files: the rasters are opened from the staging folder, and GDAL
            # would write them when the datasets close, after the folder was moved or deleted.
            with _report.no_gdal_sidecars():
                result = self._run_study(
                    parameters,
                    context,
                    feedback,
                    years,
                    factors,
                    inputs,
                    staging,
                    out_folder,
                    html_path,
                    started,
                )
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            if feedback.isCanceled():
                feedback.pushInfo("Cancelled: no partial outputs were left in the output folder.")
            raise
        return result

    def _run_study(
        self, parameters, context, feedback, years, factors, inputs, staging, out_folder, html_path, started
    ):
        n = len(years)
        do_mgwr = bool(factors)
        steps = n + 1 + 1 + 1 + 1 + n + n + (n if do_mgwr else 0) + 2
        multi = QgsProcessingMultiStepFeedback(steps, feedback)
        step = 0

        def stage(text):
            nonlocal step
            if feedback.isCanceled():
                raise StudyCancelled("Cancelled by the user.")
            multi.setCurrentStep(step)
            multi.setProgressText(text)
            feedback.pushInfo(text)
            step += 1

        def stg(name):
            return os.path.join(staging, name)

        tables = {"years": years}
        scheme = self.parameterAsEnum(parameters, self.SCHEME, context)
        regions_value = parameters.get(self.REGIONS)
        region_field = self.parameterAsString(parameters, self.REGION_FIELD, context)
        totals_value = parameters.get(self.TOTALS)
        reclass_value = parameters.get(self.RECLASS_TABLE)

        # 1. downscaling per year
        emissions = {}
        for year in years:
            stage(f"Downscaling {year}")
            params = {
                "LANDUSE": inputs["landuse"][year],
                "LIGHT": inputs["light"][year],
                "POPULATION": inputs["population"][year],
                "TOTALS": totals_value,
                "YEAR": year,
                "SCHEME": scheme,
                "OUTPUT": stg(f"emissions_{year}.tif"),
                "OUTPUT_REPORT": stg(f"downscale_report_{year}.gpkg"),
            }
            if regions_value:
                params["REGIONS"] = regions_value
                params["REGION_FIELD"] = region_field
            if reclass_value:
                params["RECLASS_TABLE"] = reclass_value
            result = self._child("downscale", params, context, multi)
            emissions[year] = result["OUTPUT"]
        raster_list = [emissions[y] for y in years]
        years_text = ",".join(str(y) for y in years)

        # 2. analysis grid
        stage("Aggregating to the analysis grid")
        cell = self.parameterAsDouble(parameters, self.ANALYSIS_CELL_SIZE, context)
        grid_info = self._analysis_grids(years, emissions, factors, cell, staging, multi)
        tables["analysis_cell_size"] = grid_info["cell_size"]

        # 3. statistics
        stage("Emission statistics")
        result = self._child(
            "emissionstatistics",
            {
                "RASTERS": raster_list,
                "YEARS": years_text,
                "OUTPUT": stg("statistics.gpkg"),
                "OUTPUT_HTML": stg("statistics.html"),
            },
            context,
            multi,
        )
        tables["statistics"] = read_table(result["OUTPUT"])

        # 4. centre trajectory
        stage("Mean-centre trajectory")
        result = self._child(
            "meancentertrajectory",
            {
                "RASTERS": raster_list,
                "YEARS": years_text,
                "OUTPUT_CENTERS": stg("centres.gpkg"),
                "OUTPUT_TRAJECTORY": stg("trajectory.gpkg"),
            },
            context,
            multi,
        )
        tables["centres"] = read_table(result["OUTPUT_CENTERS"])
        tables["trajectory"] = read_table(result["OUTPUT_TRAJECTORY"]) if n > 1 else []

        # 5. ellipses
        stage("Standard deviational ellipses")
        result = self._child(
            "directionaldistribution",
            {
                "RASTERS": raster_list,
                "YEARS": years_text,
                "ELLIPSE_SIZE": self.parameterAsEnum(parameters, self.ELLIPSE_SIZE, context),
                "METHOD": self.parameterAsEnum(parameters, self.METHOD, context),
                "OUTPUT": stg("ellipses.gpkg"),
            },
            context,
            multi,
        )
        tables["ellipses"] = read_table(result["OUTPUT"])

        # 6. Global Moran's I per year (Table 2)
        neighborhood = self.parameterAsEnum(parameters, self.NEIGHBORHOOD, context)
        moran = []
        for year in years:
            stage(f"Global Moran's I {year}")
            result = self._child(
                "globalmoransi",
                {"INPUT": grid_info["grids"][year], "FIELD": "emissions", "NEIGHBORHOOD": neighborhood},
                context,
                multi,
            )
            moran.append(
                {
                    "year": year,
                    "morans_i": result["MORANS_I"],
                    "expected_i": result["EXPECTED_I"],
                    "variance": result["VARIANCE"],
                    "z_score": result["Z_SCORE"],
                    "p_value": result["P_VALUE"],
                    "n": grid_info["cells"][year],
                }
            )
        tables["moran"] = moran
        self._write_table(stg("moran.gpkg"), moran)

        # 7. Gi* per year
        hotspots, hot_counts = {}, {}
        for year in years:
            stage(f"Gi* hot spots {year}")
            result = self._child(
                "hotspots",
                {
                    "INPUT": grid_info["grids"][year],
                    "FIELD": "emissions",
                    "NEIGHBORHOOD": neighborhood,
                    "OUTPUT": stg(f"hotspots_{year}.gpkg"),
                },
                context,
                multi,
            )
            hotspots[year] = result["OUTPUT"]
            counts = {b: 0 for b in range(-3, 4)}
            for row in read_table(result["OUTPUT"]):
                if row.get("Gi_Bin") is not None:
                    counts[int(row["Gi_Bin"])] = counts.get(int(row["Gi_Bin"]), 0) + 1
            hot_counts[year] = counts
        tables["hotspot_counts"] = [
            {"year": y, **{f"bin_{b}": c for b, c in hot_counts[y].items()}} for y in years
        ]

        # 8. MGWR per year (Table 3)
        mgwr_layers, mgwr_rows, mgwr_diag = {}, [], {}
        factor_fields = [grid_info["fields"][name] for name in factors]
        if do_mgwr:
            for year in years:
                stage(f"MGWR {year}")
                result = self._child(
                    "mgwr",
                    {
                        "INPUT": grid_info["grids"][year],
                        "DEPENDENT": "emissions",
                        "EXPLANATORY": factor_fields,
                        "OUTPUT": stg(f"mgwr_{year}.gpkg"),
                        "OUTPUT_SUMMARY": stg(f"mgwr_summary_{year}.gpkg"),
                        "OUTPUT_HTML": stg(f"mgwr_{year}.html"),
                    },
                    context,
                    multi,
                )
                mgwr_layers[year] = result["OUTPUT"]
                for row in read_table(result["OUTPUT_SUMMARY"]):
                    mgwr_rows.append({"year": year, **row})
                mgwr_diag[year] = {k: _plain(result.get(k)) for k in ("AICC", "R2", "ADJ_R2", "SIGMA2")}
        else:
            feedback.pushInfo("No driving factors given: MGWR skipped.")
        tables["mgwr"] = mgwr_rows
        tables["mgwr_diagnostics"] = [{"year": y, **mgwr_diag[y]} for y in years if y in mgwr_diag]

        # 9. report
        stage("Rendering maps")
        unit = self.parameterAsString(parameters, self.UNIT, context) or "Mt CO2"
        regions_path = None
        regions_source = self.parameterAsSource(parameters, self.REGIONS, context)
        if regions_source is not None:
            regions_path = stg("regions.gpkg")
            self._copy_regions(regions_source, regions_path, context)
        maps_dir = stg("maps")
        os.makedirs(maps_dir)
        maps = self._render_maps(
            years,
            emissions,
            hotspots,
            mgwr_layers,
            factor_fields,
            regions_path,
            staging,
            maps_dir,
            unit,
            grid_info,
            multi,
        )
        stage("Writing the report")
        findings = study_findings(
            statistics=tables["statistics"],
            trajectory=tables["trajectory"],
            ellipses=tables["ellipses"],
            moran=tables["moran"],
            hotspots=hot_counts,
            mgwr=mgwr_rows,
            mgwr_diagnostics=mgwr_diag,
            unit=unit,
            n_obs=grid_info["cells"],
        )
        tables["findings"] = [{"section": f.section, "text": f.text} for f in findings]
        with open(stg("study_tables.json"), "w", encoding="utf-8") as handle:
            json.dump(tables, handle, indent=1, default=str)

        if feedback.isCanceled():
            raise StudyCancelled("Cancelled by the user.")
        # Everything exists: move it into place.
        final = {}
        for name in os.listdir(staging):
            if name == "maps":
                continue
            target = os.path.join(out_folder, name)
            os.replace(os.path.join(staging, name), target)
            final[name] = target
        stem = os.path.splitext(os.path.basename(html_path))[0]
        html_dir = os.path.dirname(os.path.abspath(html_path))
        os.makedirs(html_dir, exist_ok=True)
        maps_final = os.path.join(html_dir, f"{stem}_maps")
        if os.path.isdir(maps_final):
            shutil.rmtree(maps_final)
        shutil.move(maps_dir, maps_final)
        shutil.rmtree(staging, ignore_errors=True)
        elapsed = time.time() - started
        self._write_report(
            html_path,
            f"{stem}_maps",
            years,
            tables,
            findings,
            maps,
            unit,
            grid_info,
            parameters,
            context,
            elapsed,
            out_folder,
        )
        feedback.pushInfo(f"Report: {html_path} ({elapsed:.0f} s)")
        self._load_layers(context, years, out_folder, mgwr_layers, factor_fields, grid_info, regions_path)
        multi.setCurrentStep(steps)
        return {self.OUTPUT_FOLDER: out_folder, self.OUTPUT_HTML: html_path, "REPORT": html_path}

    # ------------------------------------------------------------------
    # analysis grid

    def _analysis_grids(self, years, emissions, factors, cell, staging, feedback):
        grids, cells, fields = {}, {}, {}
        names = list(factors)
        for name in names:
            fields[name] = _safe_field(name)
        info = {"grids": grids, "cells": cells, "fields": fields, "dropped": {}}
        for k, year in enumerate(years):
            if feedback.isCanceled():
                raise StudyCancelled("Cancelled by the user.")
            ds = gdal.Open(emissions[year])
            gt = ds.GetGeoTransform()
            if gt[2] != 0 or gt[4] != 0:
                self.fail("The emission grid is rotated; rotated rasters are not supported.")
            band = ds.GetRasterBand(1)
            data = band.ReadAsArray().astype(np.float64)
            nodata = band.GetNoDataValue()
            if nodata is not None:
                data[data == nodata] = np.nan
            fine = abs(gt[1])
            if cell <= 0:
                factor = 1
            else:
                factor = max(1, int(round(cell / fine)))
                if abs(factor * fine - cell) > 1e-6 * cell:
                    feedback.pushWarning(
                        f"Analysis cell size {cell:g} is not a multiple of the emission cell "
                        f"size {fine:g}; using {factor * fine:g}."
                    )
            info["cell_size"] = factor * fine
            info["factor"] = factor
            wkt = ds.GetProjection()
            srs_crs = QgsCoordinateReferenceSystem.fromWkt(wkt)
            info["crs_wkt"] = wkt
            coarse_gt = (gt[0], gt[1] * factor, 0.0, gt[3], 0.0, gt[5] * factor)
            em = block_sum(data, factor)
            count = block_count(data, factor)
            bands = [em]
            band_names = ["emissions"]
            factor_grids = {}
            for name in names:
                fine_factor = self._warp_to(factors[name][year], ds)
                factor_grids[name] = block_mean(fine_factor, factor)
                bands.append(factor_grids[name])
                band_names.append(fields[name])
            ds = None
            valid = np.isfinite(em)
            for grid in factor_grids.values():
                valid &= np.isfinite(grid)
            dropped = int(np.isfinite(em).sum() - valid.sum())
            info["dropped"][year] = dropped
            if dropped:
                feedback.pushWarning(
                    f"{year}: {dropped} analysis cell(s) without a value for every factor were "
                    "left out of the analysis grid."
                )
            if valid.sum() < 3:
                self.fail(
                    f"{year}: only {int(valid.sum())} analysis cell(s) hold data; make the analysis cell "
                    "size smaller."
                )
            write_geotiff(
                os.path.join(staging, f"analysis_{year}.tif"),
                bands,
                coarse_gt,
                srs_crs,
                nodata=-9999.0,
                band_names=band_names,
                feedback=feedback,
            )
            path = os.path.join(staging, f"analysis_{year}.gpkg")
            self._write_grid(path, year, coarse_gt, em, count, factor_grids, fields, valid, srs_crs)
            grids[year] = path
            cells[year] = int(valid.sum())
            feedback.setProgress(100.0 * (k + 1) / len(years))
        return info

    @staticmethod
    def _warp_to(path, reference):
        """Read ``path`` resampled (average) onto the grid of the GDAL dataset ``reference``."""
        gt = reference.GetGeoTransform()
        cols, rows = reference.RasterXSize, reference.RasterYSize
        bounds = (gt[0], gt[3] + rows * gt[5], gt[0] + cols * gt[1], gt[3])
        src = gdal.Open(path)
        src_nodata = src.GetRasterBand(1).GetNoDataValue()
        srs = osr.SpatialReference()
        srs.ImportFromWkt(reference.GetProjection())
        out = gdal.Warp(
            "",
            src,
            format="MEM",
            outputBounds=bounds,
            width=cols,
            height=rows,
            dstSRS=srs.ExportToWkt(),
            resampleAlg="average",
            outputType=gdal.GDT_Float64,
            srcNodata=src_nodata,
            dstNodata=np.nan,
        )
        data = out.GetRasterBand(1).ReadAsArray().astype(np.float64)
        return data

    @staticmethod
    def _write_grid(path, year, gt, em, count, factor_grids, fields, valid, crs):
        qfields = QgsFields()
        for name, kind in (
            ("cell_id", QVariant.Int),
            ("row", QVariant.Int),
            ("col", QVariant.Int),
            ("year", QVariant.Int),
            ("emissions", QVariant.Double),
            ("fine_cells", QVariant.Int),
        ):
            qfields.append(QgsField(name, kind))
        for name in factor_grids:
            qfields.append(QgsField(fields[name], QVariant.Double))
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = "GPKG"
        options.layerName = f"analysis_{year}"
        writer = QgsVectorFileWriter.create(
            path, qfields, QgsWkbTypes.Polygon, crs, QgsCoordinateTransformContext(), options
        )
        if writer.hasError() != QgsVectorFileWriter.NoError:
            raise QgsProcessingException(f"Could not write {path}: {writer.errorMessage()}")
        rows, cols = np.nonzero(valid)
        for i, (r, c) in enumerate(zip(rows.tolist(), cols.tolist())):
            x0 = gt[0] + c * gt[1]
            y0 = gt[3] + r * gt[5]
            feature = QgsFeature(qfields)
            feature.setGeometry(QgsGeometry.fromRect(QgsRectangle(x0, y0 + gt[5], x0 + gt[1], y0)))
            attrs = [i + 1, r, c, year, float(em[r, c]), int(count[r, c])]
            attrs += [float(factor_grids[name][r, c]) for name in factor_grids]
            feature.setAttributes(attrs)
            writer.addFeature(feature)
        del writer

    @staticmethod
    def _write_table(path, rows):
        fields = QgsFields()
        for key, value in rows[0].items():
            fields.append(QgsField(key, QVariant.Int if isinstance(value, int) else QVariant.Double))
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = "GPKG"
        writer = QgsVectorFileWriter.create(
            path,
            fields,
            QgsWkbTypes.NoGeometry,
            QgsCoordinateReferenceSystem(),
            QgsCoordinateTransformContext(),
            options,
        )
        for row in rows:
            feature = QgsFeature(fields)
            feature.setAttributes([row[k] for k in rows[0]])
            writer.addFeature(feature)
        del writer

    @staticmethod
    def _copy_regions(source, path, context):
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = "GPKG"
        options.layerName = "regions"
        writer = QgsVectorFileWriter.create(
            path, source.fields(), source.wkbType(), source.sourceCrs(), context.transformContext(), options
        )
        for feature in source.getFeatures():
            writer.addFeature(feature)
        del writer

    # ------------------------------------------------------------------
    # maps and report

    def _background(self, regions_path, grid_path):
        if regions_path:
            layer = QgsVectorLayer(regions_path, "Regions", "ogr")
            _study_styles.style_outline(layer, "#444444", 0.3)
            return layer
        layer = QgsVectorLayer(grid_path, "Analysis cells", "ogr")
        _study_styles.style_outline(layer, "#bbbbbb", 0.1)
        return layer

    def _render_maps(
        self,
        years,
        emissions,
        hotspots,
        mgwr_layers,
        factor_fields,
        regions_path,
        staging,
        maps_dir,
        unit,
        grid_info,
        feedback,
    ):
        maps = []
        arrays = []
        for year in years:
            ds = gdal.Open(emissions[year])
            band = ds.GetRasterBand(1)
            data = band.ReadAsArray().astype(np.float64)
            if band.GetNoDataValue() is not None:
                data[data == band.GetNoDataValue()] = np.nan
            arrays.append(data)
            ds = None
        bounds = _study_styles.emission_breaks(arrays)
        arrays = None
        _, shown_unit = _study_styles.display_unit(unit, bounds)
        first_grid = grid_info["grids"][years[0]]

        def out(name):
            return os.path.join(maps_dir, name)

        def check():
            if feedback.isCanceled():
                raise StudyCancelled("Cancelled by the user.")

        for year in years:
            check()
            raster = QgsRasterLayer(emissions[year], f"{shown_unit} per cell")
            _study_styles.style_emission_raster(raster, bounds, unit)
            layers = [self._background(regions_path, first_grid), raster]
            _report.render_map(
                out(f"emissions_{year}.png"),
                f"CO2 emissions {year}",
                layers,
                subtitle=f"Downscaled emissions per grid cell ({shown_unit}); classes shared by all years",
                legend_title=f"Emissions {year}",
            )
            maps.append(("emissions", year, f"emissions_{year}.png", f"Gridded CO2 emissions, {year}"))
        check()
        ellipses = QgsVectorLayer(
            os.path.join(staging, "ellipses.gpkg"), "Standard deviational ellipses", "ogr"
        )
        _study_styles.style_ellipses(ellipses, years)
        centres = QgsVectorLayer(os.path.join(staging, "centres.gpkg"), "Mean centres", "ogr")
        _study_styles.style_centres(centres, years)
        layers = [centres]
        if len(years) > 1:
            trajectory = QgsVectorLayer(os.path.join(staging, "trajectory.gpkg"), "Centre trajectory", "ogr")
            _study_styles.style_trajectory(trajectory)
            layers.append(trajectory)
        background = self._background(regions_path, first_grid)
        layers += [ellipses, background]
        _report.render_map(
            out("trajectory.png"),
            "Emission centre and standard deviational ellipses",
            layers,
            extent=background.extent(),
            subtitle="Weighted mean centre per year, its trajectory and the ellipse per year",
            legend_title="Legend",
        )
        maps.append(
            ("trajectory", None, "trajectory.png", "Mean-centre trajectory and standard deviational ellipses")
        )
        if len(years) > 1:
            # The centres move tens of km in a province hundreds of km wide: a close-up shows the path.
            check()
            centres = QgsVectorLayer(os.path.join(staging, "centres.gpkg"), "Mean centres", "ogr")
            _study_styles.style_centres(centres, years)
            trajectory = QgsVectorLayer(os.path.join(staging, "trajectory.gpkg"), "Centre trajectory", "ogr")
            _study_styles.style_trajectory(trajectory)
            background = self._background(regions_path, first_grid)
            detail = QgsRectangle(centres.extent())
            pad = max(
                detail.width(), detail.height(), 10 * grid_info["cell_size"] / max(grid_info["factor"], 1)
            )
            detail.grow(0.35 * pad)
            _report.render_map(
                out("trajectory_detail.png"),
                "Emission centre trajectory (close-up)",
                [centres, trajectory, background],
                extent=detail,
                subtitle="Weighted mean centre per year and its moves",
                legend_title="Legend",
            )
            maps.append(
                ("trajectory", None, "trajectory_detail.png", "Close-up of the mean-centre trajectory")
            )
        for year in years:
            check()
            layer = QgsVectorLayer(hotspots[year], f"Gi* {year}", "ogr")
            _study_styles.style_hotspots(layer)
            layers = [self._background(regions_path, first_grid), layer] if regions_path else [layer]
            _report.render_map(
                out(f"hotspots_{year}.png"),
                f"Hot and cold spots (Getis-Ord Gi*) {year}",
                layers,
                subtitle=f"Analysis cells of {grid_info['cell_size'] / 1000:g} km; "
                "confidence of the Gi* z-score",
                legend_title="Gi* class",
            )
            maps.append(("hotspots", year, f"hotspots_{year}.png", f"Hot and cold spots, {year}"))
        if mgwr_layers:
            last = years[-1]
            probe = QgsVectorLayer(mgwr_layers[last], "probe", "ogr")
            terms = [f.name()[2:] for f in probe.fields() if f.name().startswith("b_")]
            probe = None
            for term in terms:
                check()
                layer = QgsVectorLayer(mgwr_layers[last], f"{term} coefficient {last}", "ogr")
                _study_styles.style_coefficient(layer, f"b_{term}", f"sig_{term}")
                layers = [self._background(regions_path, first_grid), layer] if regions_path else [layer]
                name = f"mgwr_{last}_{_safe_field(term)}.png"
                _report.render_map(
                    out(name),
                    f"MGWR coefficient: {term} ({last})",
                    layers,
                    subtitle="Local coefficients (standardised variables); grey: not significant "
                    "at the term's adjusted critical t",
                    legend_title="Local coefficient",
                )
                maps.append(("mgwr", last, name, f"MGWR local coefficients of {term}, {last}"))
        return maps

    def _write_report(
        self,
        html_path,
        maps_rel,
        years,
        tables,
        findings,
        maps,
        unit,
        grid_info,
        parameters,
        context,
        elapsed,
        out_folder,
    ):
        sections = []
        fig = {
            kind: [m for m in maps if m[0] == kind]
            for kind in ("emissions", "trajectory", "hotspots", "mgwr")
        }
        stats = _report.html_table(
            "table-statistics",
            f"Table 1. Yearly emissions ({unit})",
            [
                ("year", "Year"),
                ("total", "Total"),
                ("peak", "Peak cell"),
                ("mean", "Mean"),
                ("std", "Std. dev."),
                ("cells", "Cells"),
                ("growth", "Growth"),
                ("growth_pct", "Growth %"),
            ],
            tables["statistics"],
            note="Growth is relative to the previous study year.",
        )
        sections.append(
            (
                "Emissions over time",
                [stats] + [_report.figure(f"{maps_rel}/{m[2]}", m[3]) for m in fig["emissions"]],
            )
        )
        parts = [
            _report.html_table(
                "table-centres",
                "Weighted mean centres (layer CRS units)",
                [("year", "Year"), ("XCoord", "X"), ("YCoord", "Y"), ("weight_sum", "Weight sum")],
                tables["centres"],
            )
        ]
        if tables["trajectory"]:
            parts.append(
                _report.html_table(
                    "table-trajectory",
                    "Centre shifts between study years",
                    [
                        ("from_year", "From"),
                        ("to_year", "To"),
                        ("dist_km", "Distance (km)"),
                        ("bearing", "Bearing (°)"),
                        ("direction", "Direction"),
                        ("km_per_year", "km per year"),
                    ],
                    tables["trajectory"],
                    note="Bearing in degrees clockwise from north.",
                )
            )
        parts.append(
            _report.html_table(
                "table-ellipses",
                "Standard deviational ellipses",
                [
                    ("year", "Year"),
                    ("CenterX", "Centre X"),
                    ("CenterY", "Centre Y"),
                    ("XStdDist", "XStdDist"),
                    ("YStdDist", "YStdDist"),
                    ("Rotation", "Rotation (°)"),
                    ("major_km", "Long axis (km)"),
                    ("minor_km", "Short axis (km)"),
                    ("major_bearing", "Long-axis bearing (°)"),
                    ("area_km2", "Area (km²)"),
                    ("flattening", "Flattening"),
                ],
                tables["ellipses"],
            )
        )
        parts += [_report.figure(f"{maps_rel}/{m[2]}", m[3]) for m in fig["trajectory"]]
        sections.append(("Centre and spread", parts))
        parts = [
            _report.html_table(
                "table-moran",
                "Table 2. Global Moran's I of emissions per year (randomisation)",
                [
                    ("year", "Year"),
                    ("morans_i", "Index"),
                    ("expected_i", "Expected index"),
                    ("variance", "Variance"),
                    ("z_score", "z-score"),
                    ("p_value", "p-value"),
                    ("n", "Cells"),
                ],
                tables["moran"],
                note=f"On analysis cells of {grid_info['cell_size']:g} CRS units; neighbourhood: "
                f"{NEIGHBORHOODS[self.parameterAsEnum(parameters, self.NEIGHBORHOOD, context)]}.",
            )
        ]
        parts.append(
            _report.html_table(
                "table-hotspots",
                "Gi* classes per year (number of cells)",
                [("year", "Year")] + [(f"bin_{b}", label) for b, _, label in _study_styles.HOTSPOT_CLASSES],
                tables["hotspot_counts"],
            )
        )
        parts += [_report.figure(f"{maps_rel}/{m[2]}", m[3]) for m in fig["hotspots"]]
        sections.append(("Spatial clustering", parts))
        if tables["mgwr"]:
            parts = [
                _report.html_table(
                    "table-mgwr",
                    "Table 3. MGWR local coefficients per year and term",
                    [
                        ("year", "Year"),
                        ("variable", "Term"),
                        ("bandwidth", "Bandwidth"),
                        ("max", "Max"),
                        ("min", "Min"),
                        ("mean", "Mean"),
                        ("median", "Median"),
                        ("std", "Std. dev."),
                        ("enp", "ENP"),
                        ("adj_t_crit", "Adj. critical t"),
                    ],
                    tables["mgwr"],
                    note="Variables standardised; adaptive bandwidths count nearest neighbours.",
                ),
                _report.html_table(
                    "table-mgwr-diagnostics",
                    "MGWR diagnostics per year",
                    [
                        ("year", "Year"),
                        ("AICC", "AICc"),
                        ("R2", "R²"),
                        ("ADJ_R2", "Adj. R²"),
                        ("SIGMA2", "σ²"),
                    ],
                    tables["mgwr_diagnostics"],
                ),
            ]
            parts += [_report.figure(f"{maps_rel}/{m[2]}", m[3]) for m in fig["mgwr"]]
            sections.append(("Drivers: multiscale GWR", parts))
        files = sorted(f for f in os.listdir(out_folder) if not f.startswith("."))
        sections.append(("Files", ["<ul>" + "".join(f"<li><code>{f}</code></li>" for f in files) + "</ul>"]))
        counts = ", ".join(f"{y}: {grid_info['cells'][y]} cells" for y in years)
        meta = [
            f"Years: {', '.join(str(y) for y in years)}. "
            f"Analysis cells: {grid_info['cell_size']:g} CRS units "
            f"({counts}).",
            f"Output folder: {out_folder}. Run time: {elapsed:.0f} s. Generated by Carbon Spacetime "
            "(carbon:emissionstudy).",
        ]
        _report.write_html(html_path, "Carbon emission study", meta, findings, sections)

    def _load_layers(self, context, years, out_folder, mgwr_layers, factor_fields, grid_info, regions_path):
        if context.project() is None:
            return

        def add(path, name, style, group):
            if not os.path.exists(path.split("|")[0]):
                return
            details = QgsProcessingContext.LayerDetails(name, context.project(), name)
            processor = StudyLayerPostProcessor(style, name, group)
            _POST_PROCESSORS.append(processor)
            details.setPostProcessor(processor)
            context.addLayerToLoadOnCompletion(path, details)

        emission_arrays = []
        for year in years:
            ds = gdal.Open(os.path.join(out_folder, f"emissions_{year}.tif"))
            band = ds.GetRasterBand(1)
            data = band.ReadAsArray().astype(np.float64)
            if band.GetNoDataValue() is not None:
                data[data == band.GetNoDataValue()] = np.nan
            emission_arrays.append(data)
            ds = None
        bounds = _study_styles.emission_breaks(emission_arrays)
        emission_arrays = None
        unit = "emissions"
        for year in years:
            group = [GROUP_ROOT, str(year)]
            add(
                os.path.join(out_folder, f"emissions_{year}.tif"),
                f"Emissions {year}",
                lambda layer, b=bounds: _study_styles.style_emission_raster(layer, b, unit),
                group,
            )
            add(
                os.path.join(out_folder, f"hotspots_{year}.gpkg"),
                f"Gi* hot spots {year}",
                _study_styles.style_hotspots,
                group,
            )
            if year in mgwr_layers and factor_fields:
                term = factor_fields[0]
                add(
                    os.path.join(out_folder, f"mgwr_{year}.gpkg"),
                    f"MGWR {year} (b_{term})",
                    lambda layer, t=term: _study_styles.style_coefficient(layer, f"b_{t}", f"sig_{t}"),
                    group,
                )
        add(
            os.path.join(out_folder, "ellipses.gpkg"),
            "Standard deviational ellipses",
            lambda layer: _study_styles.style_ellipses(layer, years),
            [GROUP_ROOT],
        )
        if len(years) > 1:
            add(
                os.path.join(out_folder, "trajectory.gpkg"),
                "Centre trajectory",
                _study_styles.style_trajectory,
                [GROUP_ROOT],
            )
        add(
            os.path.join(out_folder, "centres.gpkg"),
            "Mean centres",
            lambda layer: _study_styles.style_centres(layer, years),
            [GROUP_ROOT],
        )
