"""Land use to emission categories (``carbon:landusecategories``)."""

import numpy as np
from osgeo import gdal
from qgis.core import (
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
)

from ..core.landuse import CATEGORY_NAMES, describe_unknown, reclassify
from . import _downscaling_common as common
from ._io import read_raster, write_geotiff
from ._styles import style_on_load
from .base import CarbonAlgorithm


class LandUseCategories(CarbonAlgorithm):
    ALG_ID = "landusecategories"
    DISPLAY_NAME = "Land use to emission categories"
    GROUP = "Downscaling"
    GROUP_ID = "downscaling"
    ICON = "landuse_categories.svg"

    INPUT = "INPUT"
    SCHEME = common.SCHEME
    RECLASS_TABLE = common.RECLASS_TABLE
    OUTPUT = "OUTPUT"
    UNKNOWN_CELLS = "UNKNOWN_CELLS"

    def initAlgorithm(self, config=None):
        params = [
            (QgsProcessingParameterRasterLayer(self.INPUT, self.tr("Land-use raster")),
             "Land-use codes (band 1)."),
            *common.scheme_parameters(self),
            (QgsProcessingParameterRasterDestination(self.OUTPUT, self.tr("Emission categories")),
             "Byte raster: 1 urban, 2 industrial, 3 rural and other, 0 no emissions, 255 nodata."),
        ]
        for param, help_text in params:
            self.add_parameter(param, help_text)
        self.addOutput(QgsProcessingOutputNumber(self.UNKNOWN_CELLS, self.tr("Cells with unknown codes")))

    def processAlgorithm(self, parameters, context: QgsProcessingContext, feedback: QgsProcessingFeedback):
        layer = self.parameterAsRasterLayer(parameters, self.INPUT, context)
        if layer is None:
            self.fail("The land-use raster could not be loaded.")
        table = common.scheme_table(self, parameters, context, feedback)
        out_path = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        grid = read_raster(layer, native=True)  # codes in their own type (a Byte band: 1 byte per cell)
        feedback.setProgress(30)
        result = reclassify(grid.data, table, nodata=grid.nodata)
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
        write_geotiff(out_path, out, grid.geotransform, grid.crs, nodata=255,
                      dtype=gdal.GDT_Byte, band_names=["emission category"], feedback=feedback)
        style_on_load(context, out_path, "emission_categories", "Emission categories")
        return {self.OUTPUT: out_path, self.UNKNOWN_CELLS: n_unknown}
