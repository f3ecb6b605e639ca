"""Test set-up: import the checkout as ``carbon_spacetime`` and register its provider.

Core tests need nothing from QGIS; algorithm tests use pytest-qgis's
``qgis_processing`` fixture plus ``carbon_provider`` below.
"""

import importlib
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
# pytest may have put the folder on sys.path before it existed: forget that lookup.
sys.path_importer_cache.pop(str(PLUGINS), None)
importlib.invalidate_caches()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


_PROVIDERS = []


@pytest.fixture
def carbon_provider(qgis_processing):
    """The ``carbon`` provider, registered with the Processing registry if it is not yet."""
    from carbon_spacetime.algorithms.provider import CarbonProvider
    from qgis.core import QgsApplication

    registry = QgsApplication.processingRegistry()
    if registry.providerById("carbon") is None:
        provider = CarbonProvider()
        registry.addProvider(provider)
        _PROVIDERS.append(provider)  # keep the Python object alive with the C++ one
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


@pytest.fixture(scope="module")
def one_blas_thread():
    """BLAS/LAPACK on one thread for a whole module (``pytest.mark.usefixtures("one_blas_thread")``):
    mgwr's reference fits solve thousands of tiny systems, which threaded LAPACK slows down."""
    from _georgia import single_blas_thread

    with single_blas_thread():
        yield
