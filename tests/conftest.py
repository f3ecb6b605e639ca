"""Test set-up: import the checkout as ``carbon_spacetime`` and register its provider.

Core tests need nothing from QGIS; algorithm tests use pytest-qgis's
``qgis_processing`` fixture plus ``carbon_provider`` below.
"""

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = ROOT / ".build" / "plugins"
PLUGINS.mkdir(parents=True, exist_ok=True)
_link = PLUGINS / "carbon_spacetime"
if not _link.exists():
    try:
        _link.symlink_to(ROOT, target_is_directory=True)
    except FileExistsError:
        pass
if str(PLUGINS) not in sys.path:
    sys.path.insert(0, str(PLUGINS))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def carbon_provider(qgis_processing):
    """The ``carbon`` provider, registered with the Processing registry if it is not yet."""
    from qgis.core import QgsApplication

    from carbon_spacetime.algorithms.provider import CarbonProvider

    registry = QgsApplication.processingRegistry()
    if registry.providerById("carbon") is None:
        registry.addProvider(CarbonProvider())
    return registry.providerById("carbon")


@pytest.fixture
def run_alg(carbon_provider):
    """Run ``carbon:<id>`` through processing.run and return its results."""
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProject

    def _run(alg_id, params, feedback=None, context=None):
        if context is None:
            context = QgsProcessingContext()
            context.setProject(QgsProject.instance())
        return processing.run(
            f"carbon:{alg_id}", params, feedback=feedback or QgsProcessingFeedback(), context=context
        )

    return _run
