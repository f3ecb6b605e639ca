"""Downscale emissions to grid (``carbon:downscale``): the paper's Eq. 1."""

from osgeo import gdal
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingMultiStepFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
)

from ..core.downscaling import (
    PRIMARY_PROXY,
    PROXY_NAMES,
    allocate_emissions,
    cells_outside_regions,
    mass_balance_ok,
    parse_totals,
    single_region_index,
    table_total,
    totals_table,
)
from ..core.landuse import CATEGORY_NAMES, describe_unknown, reclassify
from ..core.legend import quantile_stops
from . import _downscaling_common as common
from ._compat import FieldType, WkbType
from ._io import read_rows, write_geotiff
from ._styles import style_on_load
from .base import CarbonAlgorithm, progress_callback

NODATA = -9999.0


class DownscaleEmissions(CarbonAlgorithm):
    ALG_ID = "downscale"
    DISPLAY_NAME = "Downscale emissions to grid"
    GROUP = "Downscaling"
    GROUP_ID = "downscaling"
    ICON = "downscale.svg"

    LANDUSE = "LANDUSE"
    LIGHT = "LIGHT"
    POPULATION = "POPULATION"
    TOTALS = "TOTALS"
    REGIONS = "REGIONS"
    REGION_FIELD = "REGION_FIELD"
    YEAR = "YEAR"
    SCHEME = common.SCHEME
    RECLASS_TABLE = common.RECLASS_TABLE
    CELL_SIZE = "CELL_SIZE"
    OUTPUT = "OUTPUT"
    OUTPUT_REPORT = "OUTPUT_REPORT"
    TOTAL_TABLE = "TOTAL_TABLE"
    TOTAL_ALLOCATED = "TOTAL_ALLOCATED"
    MAX_ABS_ERROR = "MAX_ABS_ERROR"
    UNPLACED_TOTAL = "UNPLACED_TOTAL"

    def initAlgorithm(self, config=None):
        params = [
            (QgsProcessingParameterRasterLayer(self.LANDUSE, self.tr("Land-use raster")),
             "Raw land-use codes; defines the output grid (projected CRS)."),
            (QgsProcessingParameterRasterLayer(self.LIGHT, self.tr("Nighttime light raster")),
             "Nighttime light (e.g. NPP-VIIRS, 500 m); proxy for categories 1 and 2."),
            (QgsProcessingParameterRasterLayer(self.POPULATION, self.tr("Population raster")),
             "Population counts per cell (e.g. LandScan, WorldPop); proxy for category 3 and fallback."),
            (QgsProcessingParameterFeatureSource(self.TOTALS, self.tr("Emission totals table"),
                                                 [QgsProcessing.SourceType.TypeVector]),
             "Fields year, category (1/2/3) or sector (CEADs), emissions, and region when regions are used."),
            (QgsProcessingParameterFeatureSource(self.REGIONS, self.tr("Regions"),
                                                 [QgsProcessing.SourceType.TypeVectorPolygon], optional=True),
             "Region polygons (e.g. cities); without it the whole land-use extent is one region."),
            (QgsProcessingParameterField(self.REGION_FIELD, self.tr("Region field"), defaultValue="region",
                                         parentLayerParameterName=self.REGIONS, optional=True),
             "Field of the region layer matching the table's 'region' column."),
            (QgsProcessingParameterNumber(self.YEAR, self.tr("Year"), QgsProcessingParameterNumber.Type.Integer,
                                          defaultValue=2020, minValue=1900, maxValue=2100),
             "Which year's totals to downscale (a year present in the totals table)."),
            *common.scheme_parameters(self),
            (QgsProcessingParameterNumber(self.CELL_SIZE, self.tr("Cell size (m, 0 = land-use raster's)"),
                                          QgsProcessingParameterNumber.Type.Double, defaultValue=0.0, minValue=0.0,
                                          optional=True),
             "Output cell size in metres; 0 keeps the land-use raster's cells."),
            (QgsProcessingParameterRasterDestination(self.OUTPUT, self.tr("Gridded emissions")),
             "Emissions per cell, same units as the table."),
            (QgsProcessingParameterFeatureSink(self.OUTPUT_REPORT, self.tr("Allocation report"),
                                               QgsProcessing.SourceType.TypeVector, optional=True),
             "Per region and category: table_total, allocated_total, cells, proxy."),
        ]
        for param, help_text in params:
            self.add_parameter(param, help_text)
        self.addOutput(QgsProcessingOutputNumber(self.TOTAL_TABLE, self.tr("Table total")))
        self.addOutput(QgsProcessingOutputNumber(self.TOTAL_ALLOCATED, self.tr("Allocated total")))
        self.addOutput(QgsProcessingOutputNumber(
            self.MAX_ABS_ERROR, self.tr("Largest |allocated - table| per region and category")))
        self.addOutput(QgsProcessingOutputNumber(
            self.UNPLACED_TOTAL, self.tr("Table total that could not be placed (0 when mass is conserved)")))

    def processAlgorithm(self, parameters, context: QgsProcessingContext, feedback: QgsProcessingFeedback):
        steps = QgsProcessingMultiStepFeedback(5, feedback)
        steps.setCurrentStep(0)
        steps.setProgressText(self.tr("Reading the totals table and the land use"))
        year = self.parameterAsInt(parameters, self.YEAR, context)
        regions_source = self.parameterAsSource(parameters, self.REGIONS, context)
        use_regions = regions_source is not None
        totals_source = self.parameterAsSource(parameters, self.TOTALS, context)
        if totals_source is None:
            self.fail("The emission totals table could not be loaded.")
        fields, rows = read_rows(totals_source, feedback)
        try:
            totals = parse_totals(rows, fields, year, use_regions=use_regions)
        except ValueError as error:
            raise QgsProcessingException(str(error)) from None
        if totals.duplicates:
            feedback.pushWarning(
                f"{len(totals.duplicates)} duplicate row(s) in the totals table for {year} were added to an "
                "earlier row of the same region and category: "
                + "; ".join(f"row {n} ({r if r is not None else 'no region'}, category {c})"
                            for n, r, c in totals.duplicates[:10])
                + ". Remove them if they are repeats."
            )
        if totals.sectors:
            by_cat = {c: sorted(s for s, k in totals.sectors.items() if k == c) for c in (1, 2, 3)}
            feedback.pushInfo("Sectors grouped into categories (CEADs preset): "
                              + "; ".join(f"{c}: {len(v)} sectors" for c, v in by_cat.items()))
        table = common.scheme_table(self, parameters, context, feedback)
        landuse = self.parameterAsRasterLayer(parameters, self.LANDUSE, context)
        light_layer = self.parameterAsRasterLayer(parameters, self.LIGHT, context)
        pop_layer = self.parameterAsRasterLayer(parameters, self.POPULATION, context)
        rasters = ((landuse, "land-use"), (light_layer, "nighttime light"), (pop_layer, "population"))
        for layer, name in rasters:
            if layer is None:
                self.fail(f"The {name} raster could not be loaded.")
        cell_size = self.parameterAsDouble(parameters, self.CELL_SIZE, context) or 0.0
        grid = common.landuse_grid(landuse, cell_size, feedback)
        feedback.pushInfo(f"Grid: {grid.shape[1]} x {grid.shape[0]} cells of {abs(grid.gt[1]):g} m.")
        reclassified = reclassify(grid.codes, table, nodata=grid.nodata)
        if reclassified.unknown:
            n = sum(reclassified.unknown.values())
            feedback.pushWarning(
                f"{n} cells have land-use codes not in the reclass table (no emissions there): "
                f"{describe_unknown(reclassified.unknown)}."
            )
        grid.codes = None  # free the raw codes
        if not reclassified.valid.any():
            self.fail("The land-use raster has no data on its grid (every cell is nodata): no emission "
                      "could be placed. Check its nodata value and that it covers the regions.")

        steps.setCurrentStep(1)
        steps.setProgressText(self.tr("Aligning light and population to the land-use grid"))
        light = common.align_to_grid(light_layer, grid, "mean", "nighttime light", feedback)
        if feedback.isCanceled():
            self.fail("Cancelled by the user.")
        population = common.align_to_grid(pop_layer, grid, "sum", "population", feedback)

        steps.setCurrentStep(2)
        steps.setProgressText(self.tr("Rasterising regions"))
        if use_regions:
            field = self.parameterAsString(parameters, self.REGION_FIELD, context) or "region"
            region_index, keys = common.rasterise_regions(regions_source, field, grid, context, steps)
            layer_keys = set(keys)
            table_keys = set(totals.regions)
            not_in_layer = sorted(table_keys - layer_keys)
            not_in_table = sorted(layer_keys - table_keys)
            if not_in_layer:
                self.fail(
                    f"Region(s) of the totals table for {year} not found in the region layer's field "
                    f"'{field}': {', '.join(not_in_layer[:10])}. Check REGION_FIELD and the spelling."
                )
            if not_in_table:
                self.fail(
                    f"Region(s) of the region layer without totals for {year}: "
                    f"{', '.join(not_in_table[:10])}. "
                    "Add their rows to the totals table (0 if they emit nothing) or remove the polygons."
                )
        else:
            keys = [totals.regions[0]]
            region_index = single_region_index(reclassified.valid)
        outside = cells_outside_regions(reclassified.categories, reclassified.valid, region_index)
        if use_regions and outside:
            feedback.pushWarning(
                f"{outside} cells of an emission category lie outside every region polygon (centre test) "
                "and get no emissions (nodata)."
            )
        total_array = totals_table(totals.values, keys if use_regions else None)

        steps.setCurrentStep(3)
        steps.setProgressText(self.tr("Allocating emissions (Eq. 1)"))
        try:
            result = allocate_emissions(reclassified.categories, region_index, total_array, light, population,
                                        valid=reclassified.valid, progress=progress_callback(steps))
        except ValueError as error:
            raise QgsProcessingException(str(error)) from None
        del light, population, region_index

        steps.setCurrentStep(4)
        steps.setProgressText(self.tr("Writing outputs"))
        out_path = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        write_geotiff(out_path, result.emissions, grid.gt, grid.wkt, nodata=NODATA, dtype=gdal.GDT_Float64,
                      band_names=[f"emissions {year}"], feedback=feedback)
        allocated = result.allocated_total
        self._report_messages(result, keys, total_array, allocated, feedback)
        style_on_load(context, out_path, "emissions", f"Emissions {year}", stops=quantile_stops(result.emissions))
        outputs = {
            self.OUTPUT: out_path,
            self.TOTAL_TABLE: table_total(total_array),
            self.TOTAL_ALLOCATED: allocated,
            self.MAX_ABS_ERROR: result.max_abs_error,
            self.UNPLACED_TOTAL: float(result.unallocated),
        }
        if result.unallocated > 0 and not allocated > 0:
            self.fail(f"None of the table total ({outputs[self.TOTAL_TABLE]:.6g}) could be placed: no cell of "
                      "the needed categories lies in the regions. Check the land use, the reclass table and "
                      "the region boundaries.")
        report_fields = QgsFields()
        report_fields.append(QgsField("region", FieldType.String))
        report_fields.append(QgsField("category", FieldType.Int))
        report_fields.append(QgsField("table_total", FieldType.Double))
        report_fields.append(QgsField("allocated_total", FieldType.Double))
        report_fields.append(QgsField("cells", FieldType.LongLong))
        report_fields.append(QgsField("proxy", FieldType.String))
        sink, sink_id = self.parameterAsSink(parameters, self.OUTPUT_REPORT, context, report_fields,
                                             WkbType.NoGeometry)
        if sink is not None:
            for entry in result.report:
                feature = QgsFeature(report_fields)
                feature.setAttributes([
                    str(keys[entry.region - 1]) if keys[entry.region - 1] is not None else "",
                    entry.category, entry.table_total, entry.allocated_total, entry.cells, entry.proxy,
                ])
                sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
            outputs[self.OUTPUT_REPORT] = sink_id
        steps.setProgress(100)
        return outputs

    def _report_messages(self, result, keys, total_array, allocated, feedback):
        feedback.pushInfo(
            f"Mass balance: table total {table_total(total_array):.6f}, allocated {allocated:.6f}, largest "
            f"|allocated - table| per region and category {result.max_abs_error:.3g}."
        )
        if mass_balance_ok(result, total_array) and result.unallocated == 0:
            feedback.pushInfo("Mass conserved: every region and category received its table total.")
        for entry in result.fallbacks:
            feedback.pushWarning(
                f"Region {keys[entry.region - 1]}, {CATEGORY_NAMES[entry.category]}: "
                f"{PROXY_NAMES[PRIMARY_PROXY[entry.category]]} sums to 0 over its {entry.cells} cells; "
                f"spread by {entry.proxy} instead."
            )
        if result.unallocated > 0:
            missing = [e for e in result.report if e.cells == 0 and e.table_total > 0]
            feedback.pushWarning(
                f"{result.unallocated:.6g} of the table total could not be placed: "
                "no cell of the category in "
                + "; ".join(f"{keys[e.region - 1]} ({CATEGORY_NAMES[e.category]}, {e.table_total:.6g})"
                            for e in missing[:10])
                + f". Check the land use and the region boundaries (UNPLACED_TOTAL = {result.unallocated:.6g})."
            )
        if result.proxy_nodata_cells:
            feedback.pushWarning(
                f"{result.proxy_nodata_cells} emitting cells have nodata or negative proxy values (weight 0)."
            )
