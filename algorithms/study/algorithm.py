"""``carbon:emissionstudy`` — the whole study in one run, with an HTML report.

Thin orchestration: every statistic is computed by the individual Carbon
Spacetime algorithms, run as child algorithms; this module only prepares their
inputs (the coarser analysis grid), collects their outputs into tables, renders
the maps and writes the report.
"""

import os
import re
import shutil
import time

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
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
)

from ...core.findings import STUDY_TABLES, study_findings
from ...core.grid import analysis_cell_count, cell_size_for_budget
from ...core.years import parse_years
from .. import _report
from .._clustering_common import NEIGHBORHOOD_OPTIONS
from .._i18n import translatable
from .._io import data_cell_count, open_raster, write_json
from .._outputs import StagedFolder
from ..base import CarbonAlgorithm
from ..standard_deviational_ellipse import ELLIPSE_METHOD_OPTIONS, ELLIPSE_SIZE_OPTIONS
from . import stages
from .emerging import render_emerging_map
from .io import (
    StudyCancelled,
    analysis_grids,
    copy_regions,
    safe_field,
)
from .layers import load_layers
from .maps import background_layer, emission_bounds, map_specs, render_maps, write_report
from .results import StudyResults

DEFAULT_FACTORS = "urbanisation,energy_structure,agpp,electricity,real_gdp"
CHILD_ALGORITHMS = (
    "downscale",
    "emissionstatistics",
    "meancentertrajectory",
    "directionaldistribution",
    "globalmoransi",
    "hotspots",
    "emerginghotspots",
    "mgwr",
    "geodetector",
)


#: MGWR in the study: 1,500 cells take ~20 s per year, time grows with n^2; beyond 5,000 cells it takes hours.
MAX_STUDY_REGRESSION_CELLS = 5_000


class EmissionStudy(CarbonAlgorithm):
    ALG_ID = "emissionstudy"
    DISPLAY_NAME = "Run emission study"
    GROUP = "Study"
    # A .model3 file stores only its group name, which QGIS also uses as the model's group id:
    # the same id here keeps the study and the shipped model in one toolbox group.
    GROUP_ID = "Study"
    ICON = "emission_study.svg"

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
        return super().flags() | QgsProcessingAlgorithm.Flag.FlagNoThreading

    def initAlgorithm(self, config=None):
        add = self.add_parameter

        add(
            QgsProcessingParameterString(self.YEARS, self.tr("Years (comma-separated)")),
            "The study years, e.g. 2000,2005,2010,2015,2020. Each needs land use, light, population "
            "(and factors) and totals.",
        )
        for key, label, help_text in (
            (self.LANDUSE, self.tr("Land use per year"),
             translatable("One land-use raster per year (raw codes). Leave empty to use the input folder.")),
            (self.LIGHT, self.tr("Nighttime light per year"),
             translatable("One nighttime-light raster per year. Leave empty to use the input folder.")),
            (self.POPULATION, self.tr("Population per year"),
             translatable("One population raster per year. Leave empty to use the input folder.")),
        ):
            add(QgsProcessingParameterMultipleLayers(key, label, QgsProcessing.SourceType.TypeRaster, optional=True),
                help_text)
        add(
            QgsProcessingParameterFile(
                self.INPUT_FOLDER,
                self.tr("Input folder (files named by year)"),
                behavior=QgsProcessingParameterFile.Behavior.Folder,
                optional=True,
            ),
            "Folder holding the yearly rasters named by the patterns below.",
        )
        for key, label, default in (
            (self.LANDUSE_PATTERN, self.tr("Land-use file pattern"), "landuse_{year}.tif"),
            (self.LIGHT_PATTERN, self.tr("Light file pattern"), "light_{year}.tif"),
            (self.POPULATION_PATTERN, self.tr("Population file pattern"), "population_{year}.tif"),
        ):
            add(
                QgsProcessingParameterString(key, label, defaultValue=default),
                translatable("File name in the input folder; {year} is replaced by each year."),
                advanced=True,
            )
        add(
            QgsProcessingParameterVectorLayer(
                self.TOTALS, self.tr("Emission totals table"), [QgsProcessing.SourceType.TypeVector]
            ),
            "Table (CSV or layer) with year, category (1/2/3), emissions and, with regions, region.",
        )
        add(
            QgsProcessingParameterFeatureSource(
                self.REGIONS, self.tr("Regions"), [QgsProcessing.SourceType.TypeVectorPolygon], optional=True
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
                [self.tr("CAS/RESDC LUCC codes (built-in table)"), self.tr("Custom reclass table (RECLASS_TABLE)")],
                defaultValue=0,
            ),
            "How land-use codes map to emission categories (see 'Land use to emission categories').",
            advanced=True,
        )
        add(
            QgsProcessingParameterVectorLayer(
                self.RECLASS_TABLE, self.tr("Reclass table"), [QgsProcessing.SourceType.TypeVector], optional=True
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
                behavior=QgsProcessingParameterFile.Behavior.Folder,
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
            QgsProcessingParameterNumber.Type.Double,
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
                self.NEIGHBORHOOD, self.tr("Neighbourhood (Moran's I, Gi*)"),
                [self.tr(o) for o in NEIGHBORHOOD_OPTIONS], defaultValue=3
            ),
            "Spatial weights for the cluster statistics on the analysis cells.",
            advanced=True,
        )
        add(
            QgsProcessingParameterEnum(
                self.ELLIPSE_SIZE,
                self.tr("Ellipse size"),
                [self.tr(o) for o in ELLIPSE_SIZE_OPTIONS],
                defaultValue=0,
            ),
            "Size of the standard deviational ellipses.",
            advanced=True,
        )
        add(
            QgsProcessingParameterEnum(
                self.METHOD,
                self.tr("Ellipse method"),
                [self.tr(o) for o in ELLIPSE_METHOD_OPTIONS],
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
                self.tr("Report (skip: report.html in the output folder)"),
                "HTML files (*.html)",
                optional=True,
                createByDefault=False,
            ),
            "HTML report (default: report.html in the output folder); maps go beside it.",
        )
        # The report is the OUTPUT_HTML output (an HTML output in the Results Viewer, whether it was
        # set or skipped); "REPORT" is still returned for scripts but not declared, which would
        # list the same report.html twice.

    # ------------------------------------------------------------------
    # inputs

    def _years(self, parameters, context):
        text = self.parameterAsString(parameters, self.YEARS, context)
        try:
            years = parse_years(text.strip())
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
        if len({safe_field(n) for n in names}) != len(names):
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
        if not factors:
            missing = [a for a in missing if a not in ("mgwr", "geodetector")]
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
        with StagedFolder(out_folder) as staged:
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
                        staged,
                        out_folder,
                        html_path,
                        started,
                    )
            except BaseException:
                if feedback.isCanceled():
                    feedback.pushInfo("Cancelled: no partial outputs were left in the output folder.")
                raise
        return result

    def _check_study_size(self, parameters, context, inputs, years):
        """Refuse up front an analysis grid whose MGWR would take hours (numbers and setting in the message)."""
        cell = self.parameterAsDouble(parameters, self.ANALYSIS_CELL_SIZE, context)
        try:
            ds = open_raster(str(inputs["landuse"][years[0]]))
        except QgsProcessingException:
            return  # the downscaling step reports the unreadable land use
        gt = ds.GetGeoTransform()
        crs = QgsCoordinateReferenceSystem.fromWkt(ds.GetProjection() or "")
        if not crs.isValid() or crs.isGeographic():
            return  # the downscaling step explains what to do with a geographic land use
        fine = abs(gt[1])
        full = data_cell_count(ds)  # land-use cells with data (the analysis grid covers these)
        cells = analysis_cell_count(full, fine, cell)
        if cells > MAX_STUDY_REGRESSION_CELLS:
            suggest = cell_size_for_budget(full, fine, MAX_STUDY_REGRESSION_CELLS)
            self.fail(
                f"ANALYSIS_CELL_SIZE {cell:g} gives about {cells:,.0f} analysis cells ({full:,} land-use "
                f"cells of {fine:g} with data); MGWR on more than "
                f"{MAX_STUDY_REGRESSION_CELLS:,} cells would run for hours (its time grows with the square "
                "of the number of cells: about 20 s per year for 1,500 cells). Set ANALYSIS_CELL_SIZE to "
                f"{suggest:g} or more (CRS units), or leave out the factors (no MGWR)."
            )

    def _run_study(
        self, parameters, context, feedback, years, factors, inputs, staged, out_folder, html_path, started
    ):
        staging = staged.path
        n = len(years)
        do_mgwr = bool(factors)
        run = stages.StudyRun(self._child, context, feedback, staging, stages.total_weight(n, do_mgwr))
        tables = {"years": years}
        if do_mgwr:
            self._check_study_size(parameters, context, inputs, years)

        # 1. downscaling per year
        emissions = stages.downscale(
            run, years, inputs, parameters.get(self.TOTALS), self.parameterAsEnum(parameters, self.SCHEME, context),
            regions=parameters.get(self.REGIONS),
            region_field=self.parameterAsString(parameters, self.REGION_FIELD, context),
            reclass=parameters.get(self.RECLASS_TABLE),
        )
        rasters = stages.emission_rasters(years, emissions)

        # 2. analysis grid
        run.stage("Aggregating to the analysis grid", "grid")
        cell = self.parameterAsDouble(parameters, self.ANALYSIS_CELL_SIZE, context)
        grid_info = analysis_grids(years, emissions, factors, cell, staging, run.step, self.fail)
        tables["analysis_cell_size"] = grid_info["cell_size"]

        # 3.-5. statistics, centre trajectory, ellipses on the emission grid
        tables["statistics"] = stages.statistics(run, years, rasters)
        tables["centres"], tables["trajectory"] = stages.centre_trajectory(run, years, rasters)
        tables["ellipses"] = stages.ellipses(
            run, years, rasters, self.parameterAsEnum(parameters, self.ELLIPSE_SIZE, context),
            self.parameterAsEnum(parameters, self.METHOD, context),
        )
        rasters = None

        # 6.-7b. Global Moran's I (Table 2), Gi* and emerging hot spots on the analysis grid
        neighborhood = self.parameterAsEnum(parameters, self.NEIGHBORHOOD, context)
        tables["moran"] = stages.global_moran(run, years, grid_info, neighborhood)
        hotspots, hot_counts = stages.hot_spots(run, years, grid_info, neighborhood)
        tables["hotspot_counts"] = [
            {"year": y, **{f"bin_{b}": c for b, c in hot_counts[y].items()}} for y in years
        ]
        emerging = stages.emerging_hot_spots(run, years, neighborhood)
        tables["emerging"] = emerging["patterns"] if emerging else []
        tables["emerging_per_year"] = emerging["per_year"] if emerging else []

        # 8. MGWR per year (Table 3) and 8b. the geographical detector on the same drivers
        mgwr_layers, mgwr_rows, mgwr_diag = {}, [], {}
        factor_fields = [grid_info["fields"][name] for name in factors]
        if do_mgwr:
            mgwr_layers, mgwr_rows, mgwr_diag = stages.mgwr(run, years, grid_info, factor_fields)
        else:
            feedback.pushInfo("No driving factors given: MGWR skipped.")
        tables["mgwr"] = mgwr_rows
        tables["mgwr_diagnostics"] = [{"year": y, **mgwr_diag[y]} for y in years if y in mgwr_diag]
        if do_mgwr:
            tables.update(stages.geodetector(run, years, grid_info, factor_fields))

        # 9. report
        run.stage("Rendering maps", "maps")
        unit = self.parameterAsString(parameters, self.UNIT, context) or "Mt CO2"
        regions_path = None
        regions_source = self.parameterAsSource(parameters, self.REGIONS, context)
        if regions_source is not None:
            regions_path = run.path("regions.gpkg")
            copy_regions(regions_source, regions_path, context)
        maps_dir = run.path("maps")
        os.makedirs(maps_dir)
        bounds = emission_bounds({year: emissions[year] for year in years})  # once: maps and loaded layers
        specs = map_specs(years, emissions, hotspots, mgwr_layers, regions_path, staging, unit, grid_info, bounds)
        maps = render_maps(specs, maps_dir, run.step)
        if emerging:
            maps.append(render_emerging_map(emerging, background_layer(regions_path, grid_info["grids"][years[0]]),
                                            maps_dir, grid_info["cell_size"]))
        run.stage("Writing the report", "report")
        findings = study_findings(
            **{name: tables.get(name) for name in STUDY_TABLES},
            hotspots=hot_counts, mgwr_diagnostics=mgwr_diag, unit=unit, n_obs=grid_info["cells"],
        )
        tables["findings"] = [{"section": f.section, "text": f.text} for f in findings]
        write_json(run.path("study_tables.json"), tables)

        run.check()
        # Everything exists: move it into place.
        staged.commit(skip=("maps",))
        stem = os.path.splitext(os.path.basename(html_path))[0]
        html_dir = os.path.dirname(os.path.abspath(html_path))
        os.makedirs(html_dir, exist_ok=True)
        maps_final = os.path.join(html_dir, f"{stem}_maps")
        if os.path.isdir(maps_final):
            shutil.rmtree(maps_final)
        shutil.move(maps_dir, maps_final)
        elapsed = time.time() - started
        results = StudyResults(years=years, tables=tables, findings=findings, maps=maps, unit=unit, grid_info=grid_info,
                               neighbourhood=NEIGHBORHOOD_OPTIONS[neighborhood], elapsed=elapsed, out_folder=out_folder)
        write_report(html_path, f"{stem}_maps", results)
        feedback.pushInfo(f"Report: {html_path} ({elapsed:.0f} s)")
        load_layers(context, years, out_folder, mgwr_layers, factor_fields, grid_info, regions_path, bounds, unit)
        run.progress.finish()
        return {self.OUTPUT_FOLDER: out_folder, self.OUTPUT_HTML: html_path, "REPORT": html_path}
