"""Land use to emission categories (``carbon:landusecategories``)."""

import numpy as np
from osgeo import gdal
from qgis.core import (
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
)

from ..core.landuse import CATEGORY_NAMES, cas_reclass_table, describe_unknown, reclassify
from . import _downscaling_common as common
from ._styles import style_on_load
from .base import CarbonAlgorithm
from .layers import gdal_path, write_geotiff


class LandUseCategories(CarbonAlgorithm):
    ALG_ID = "landusecategories"
    DISPLAY_NAME = "Land use to emission categories"
    GROUP = "Downscaling"
    GROUP_ID = "downscaling"
    ICON = "landuse_categories.svg"
    HELP = (
        "Reclassifies a land-use raster into the three emission categories of the downscaling "
        "method: 1 urban, 2 industrial, 3 rural and other, and 0 no emissions.<br>"
        "<b>Land-use raster</b>: raw land-use codes (band 1).<br>"
        "<b>Scheme</b>: CAS/RESDC LUCC codes (51 urban -> 1; 53 industrial, mining and transport -> 2; "
        "52 rural settlements, 11-12 cropland, 21-24 forest, 31-33 grassland, 41-46 water, 61-67 unused "
        "land -> 3; 99 sea -> 0), or a custom table for other products (ESA WorldCover, CLCD, ...).<br>"
        "<b>Reclass table</b>: with the custom scheme, a table with fields <i>code</i> and "
        "<i>category</i> (0-3).<br>"
        "Codes not in the table get category 0 and are reported (which codes, how many cells); "
        "nodata stays nodata (255).<br>"
        "<b>Output</b>: byte raster on the land-use grid, styled Urban / Industrial / Rural &amp; other / "
        "No emissions."
    )

    INPUT = "INPUT"
    SCHEME = "SCHEME"
    RECLASS_TABLE = "RECLASS_TABLE"
    OUTPUT = "OUTPUT"
    UNKNOWN_CELLS = "UNKNOWN_CELLS"

    def initAlgorithm(self, config=None):
        params = [
            (QgsProcessingParameterRasterLayer(self.INPUT, self.tr("Land-use raster")),
             "Land-use codes (band 1)."),
            (QgsProcessingParameterEnum(self.SCHEME, self.tr("Reclassification scheme"),
                                        options=[self.tr(s) for s in common.SCHEMES], defaultValue=0),
             "CAS/RESDC LUCC codes, or a custom code -> category table."),
            (QgsProcessingParameterFeatureSource(self.RECLASS_TABLE, self.tr("Reclass table (custom scheme)"),
                                                 [QgsProcessing.SourceType.TypeVector], optional=True),
             "Table with fields 'code' (land-use code) and 'category' (0 none, 1 urban, 2 industrial, "
             "3 rural and other)."),
            (QgsProcessingParameterRasterDestination(self.OUTPUT, self.tr("Emission categories")),
             "Byte raster: 1 urban, 2 industrial, 3 rural and other, 0 no emissions, 255 nodata."),
        ]
        for param, help_text in params:
            param.setHelp(self.tr(help_text))
            self.addParameter(param)
        self.addOutput(QgsProcessingOutputNumber(self.UNKNOWN_CELLS, self.tr("Cells with unknown codes")))

    def processAlgorithm(self, parameters, context: QgsProcessingContext, feedback: QgsProcessingFeedback):
        layer = self.parameterAsRasterLayer(parameters, self.INPUT, context)
        if layer is None:
            self.fail("The land-use raster could not be loaded.")
        scheme = self.parameterAsEnum(parameters, self.SCHEME, context)
        if scheme == 1:
            reclass_source = self.parameterAsSource(parameters, self.RECLASS_TABLE, context)
            table = common.reclass_table(reclass_source, feedback)
        else:
            table = cas_reclass_table()
        out_path = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        ds = gdal.Open(gdal_path(layer))
        band = ds.GetRasterBand(1)
        codes = band.ReadAsArray()
        feedback.setProgress(30)
        result = reclassify(codes, table, nodata=band.GetNoDataValue())
        if feedback.isCanceled():
            self.fail("Cancelled by the user.")
        feedback.setProgress(70)
        for cat in (1, 2, 3, 0):
            feedback.pushInfo(f"{CATEGORY_NAMES[cat]}: {result.counts.get(cat, 0)} cells")
        if not result.valid.any():
            feedback.pushWarning(
                "The land-use raster has no data: every cell is nodata, so the output has no category "
                "anywhere. Check the raster's nodata value and that it is the land-use layer you meant."
            )
        n_unknown = int(sum(result.unknown.values()))
        if n_unknown:
            feedback.pushWarning(
                f"{n_unknown} cells have land-use codes that are not in the reclass table and were set to 0 "
                f"(no emissions): {describe_unknown(result.unknown)}. "
                "Add them to a custom table if they emit."
            )
        out = np.where(result.valid, result.categories, 255).astype(np.uint8)
        write_geotiff(out_path, out, ds.GetGeoTransform(), ds.GetProjection() or layer.crs(), nodata=255,
                      dtype=gdal.GDT_Byte, band_names=["emission category"], feedback=feedback)
        style_on_load(context, out_path, "emission_categories", "Emission categories")
        return {self.OUTPUT: out_path, self.UNKNOWN_CELLS: n_unknown}
