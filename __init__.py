"""Carbon Spacetime QGIS plugin.

Importing this package does not import QGIS: ``classFactory`` does, when QGIS
loads the plugin. ``core`` is pure numpy/scipy and can be used on its own.
"""


def classFactory(iface):  # noqa: N802 - name required by QGIS
    from .plugin import CarbonSpacetimePlugin

    return CarbonSpacetimePlugin(iface)
