"""The ``carbon`` Processing provider.

Algorithms are found by scanning this package: every module that defines a
``CarbonAlgorithm`` subclass with an ``ALG_ID`` contributes it; the graphical
models in ``resources/models`` are registered too. A module that
fails to import is reported in the log instead of breaking the whole provider.
"""

import glob
import importlib
import inspect
import os
import pkgutil

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsProcessingModelAlgorithm, QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from . import __name__ as _package_name
from . import __path__ as _package_path
from . import _i18n
from .base import RESOURCES_DIR, CarbonAlgorithm, icon_path

_NOT_ALGORITHMS = {"base", "provider", "layers"}


def algorithm_classes():
    classes = []
    for info in sorted(pkgutil.iter_modules(_package_path), key=lambda m: m.name):
        if info.name.startswith("_") or info.name in _NOT_ALGORITHMS:
            continue
        try:
            module = importlib.import_module(f"{_package_name}.{info.name}")
        except Exception as error:  # keep the other algorithms usable
            QgsMessageLog.logMessage(
                f"Could not load algorithm module {info.name}: {error}",
                "Carbon Spacetime",
                Qgis.MessageLevel.Critical,
            )
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, CarbonAlgorithm)
                and cls is not CarbonAlgorithm
                and cls.__module__ == module.__name__
                and cls.ALG_ID
            ):
                classes.append(cls)
    return classes


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
                # The group shown in the toolbox, translated (the group id stays "Study"; the
                # model's name is also its id, carbon:<name>, so it stays as saved).
                model.setGroup(_i18n.tr(model.group()))
                self.addAlgorithm(model)
            else:
                QgsMessageLog.logMessage(f"Could not load model {path}", "Carbon Spacetime", Qgis.MessageLevel.Warning)
