"""Plugin shell: installs the plugin's translator and adds the Processing provider, nothing else."""

from qgis.core import QgsApplication

from .algorithms import _i18n
from .algorithms.provider import CarbonProvider


class CarbonSpacetimePlugin:
    def __init__(self, iface=None):
        self.iface = iface
        self.provider = None

    def initProcessing(self):  # noqa: N802 - QGIS API
        # The plugin's translator (QGIS interface language), before the provider registers.
        _i18n.ensure_translator()
        if self.provider is None:
            provider = CarbonProvider()
            # addProvider refuses (and deletes) a provider whose id is taken.
            if QgsApplication.processingRegistry().addProvider(provider):
                self.provider = provider

    def initGui(self):  # noqa: N802 - QGIS API
        self.initProcessing()

    def unload(self):
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        _i18n.remove_translator()
