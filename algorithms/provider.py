"""The ``carbon`` Processing provider.

The algorithms are listed here, explicitly: adding one means adding its class to
``ALGORITHM_CLASSES`` (tests check the exact set of ids). The graphical models in
``resources/models`` are registered too.
"""

import glob
import os

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsProcessingModelAlgorithm, QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from . import _i18n
from .base import RESOURCES_DIR, icon_path
from .downscale import DownscaleEmissions
from .emerging_hot_spots import EmergingHotSpots
from .emission_statistics import EmissionStatistics
from .general_g import GeneralG
from .geodetector import Geodetector
from .global_morans_i import GlobalMoransI
from .hot_spots import HotSpots
from .landuse_categories import LandUseCategories
from .local_moran import LocalMoran
from .mean_centre_trajectory import MeanCentreTrajectory
from .regression import MultiscaleGWR
from .standard_deviational_ellipse import StandardDeviationalEllipse
from .study.algorithm import EmissionStudy

# In the order of a study: prepare and downscale, describe, cluster, explain, run it all.
ALGORITHM_CLASSES = (
    LandUseCategories,
    DownscaleEmissions,
    EmissionStatistics,
    MeanCentreTrajectory,
    StandardDeviationalEllipse,
    GlobalMoransI,
    GeneralG,
    LocalMoran,
    HotSpots,
    EmergingHotSpots,
    MultiscaleGWR,
    Geodetector,
    EmissionStudy,
)


def algorithm_classes():
    """The classes of the provider's algorithms (not its models)."""
    return list(ALGORITHM_CLASSES)


class CarbonProvider(QgsProcessingProvider):
    def __init__(self):
        super().__init__()
        # Before any algorithm is created: names, groups and labels come out translated,
        # in the desktop, in qgis_process and in tests alike.
        _i18n.ensure_translator()

    def id(self):
        return "carbon"

    def name(self):
        return "Carbon Spacetime"

    def longName(self):  # noqa: N802 - QGIS API
        return "Carbon Spacetime: emission downscaling and spatio-temporal analysis"

    def icon(self):
        return QIcon(icon_path("carbon.svg"))

    def loadAlgorithms(self):  # noqa: N802 - QGIS API
        for cls in algorithm_classes():
            self.addAlgorithm(cls())
        # Graphical models shipped in resources/models, editable in the modeler. A model finds
        # its child algorithms in the registry, which holds this provider only once it has
        # loaded: until then the model lacks its output parameters (qgis_process would hand
        # its steps empty destinations). So load again as soon as the provider is registered.
        registry = QgsApplication.processingRegistry()
        if registry.providerById(self.id()) is None:
            def reload_when_registered(provider_id, registry=registry):
                if provider_id == self.id():
                    registry.providerAdded.disconnect(reload_when_registered)
                    self.refreshAlgorithms()

            registry.providerAdded.connect(reload_when_registered)
        for path in sorted(glob.glob(os.path.join(RESOURCES_DIR, "models", "*.model3"))):
            model = QgsProcessingModelAlgorithm()
            if model.fromFile(path):
                model.setSourceFilePath(path)
                # Group, description and inputs translated (the group id stays "Study"; the
                # model's name is also its id, carbon:<name>, so it stays as saved).
                _i18n.translate_model(model)
                self.addAlgorithm(model)
            else:
                QgsMessageLog.logMessage(f"Could not load model {path}", "Carbon Spacetime", Qgis.MessageLevel.Warning)
