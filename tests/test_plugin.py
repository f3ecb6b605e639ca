"""The plugin package, its metadata and the provider."""

import configparser
import importlib
import subprocess
import sys

from conftest import ROOT


def test_metadata_has_required_keys():
    meta = configparser.ConfigParser()
    meta.read(ROOT / "metadata.txt")
    general = meta["general"]
    assert general["name"] == "Carbon Spacetime"
    assert general["qgisMinimumVersion"] == "3.22"
    assert general["hasProcessingProvider"] == "yes"
    for key in ("description", "about", "version", "author", "icon", "changelog"):
        assert general.get(key), key
    # No placeholder addresses: the project has no public pages yet (see the comment in metadata.txt).
    for key in ("email", "repository", "tracker", "homepage"):
        assert "example." not in general.get(key, ""), key
    assert (ROOT / general["icon"]).exists()


def test_importing_package_and_core_does_not_import_qgis():
    code = (
        "import sys, carbon_spacetime, carbon_spacetime.core;"
        "import pkgutil, importlib;"
        "[importlib.import_module('carbon_spacetime.core.' + m.name) "
        " for m in pkgutil.iter_modules(carbon_spacetime.core.__path__)];"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('qgis', 'PyQt5', 'processing')];"
        "assert not bad, bad"
    )
    env_path = str(ROOT / ".build" / "plugins")
    subprocess.run([sys.executable, "-c", code], check=True, env={"PYTHONPATH": env_path})



def test_loading_the_provider_leaves_slow_libraries_for_later():
    """QGIS loads the provider at every start (desktop and each qgis_process run): scipy.stats,
    scipy.signal and matplotlib (about 0.25 s) are imported only by the tools that use them."""
    code = (
        "import sys;"
        "import qgis.core;"
        "import carbon_spacetime.algorithms.provider;"
        "slow = [m for m in ('scipy.stats', 'scipy.signal', 'matplotlib') if m in sys.modules];"
        "assert not slow, slow"
    )
    env_path = str(ROOT / ".build" / "plugins")
    env = {"PYTHONPATH": env_path, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


EXPECTED_ALGORITHM_IDS = {
    "landusecategories",
    "downscale",
    "emissionstatistics",
    "meancentertrajectory",
    "directionaldistribution",
    "globalmoransi",
    "generalg",
    "localmoran",
    "hotspots",
    "emerginghotspots",
    "mgwr",
    "geodetector",
    "emissionstudy",
}
EXPECTED_MODEL_IDS = {"carbon:Emission study (one year)"}


def test_provider_registers_algorithms(carbon_provider):
    ids = {alg.id() for alg in carbon_provider.algorithms()}
    assert carbon_provider.id() == "carbon"
    # The ids are a public contract (models and qgis_process scripts name them): exactly these.
    assert ids == {f"carbon:{name}" for name in EXPECTED_ALGORITHM_IDS} | EXPECTED_MODEL_IDS
    for alg in carbon_provider.algorithms():
        assert alg.id().startswith("carbon:")
        assert alg.displayName()
        assert alg.shortHelpString(), f"{alg.id()} has no help text"
        assert alg.group()
        assert not alg.icon().isNull()
        for param in alg.parameterDefinitions():
            assert param.description(), f"{alg.id()}:{param.name()} has no description"


def test_class_factory_adds_and_removes_provider(qgis_processing, qgis_iface):
    from qgis.core import QgsApplication

    registry = QgsApplication.processingRegistry()
    existing = registry.providerById("carbon")
    if existing is not None:
        registry.removeProvider(existing)
    plugin = importlib.import_module("carbon_spacetime").classFactory(qgis_iface)
    plugin.initGui()
    assert registry.providerById("carbon") is not None
    plugin.unload()
    assert registry.providerById("carbon") is None


def test_core_docstring_examples_run():
    """The examples in core's docstrings are real: run them as doctests."""
    import doctest
    import pkgutil

    import carbon_spacetime.core as core

    for info in pkgutil.iter_modules(core.__path__):
        module = importlib.import_module(f"carbon_spacetime.core.{info.name}")
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0, f"docstring example failed in core/{info.name}.py"


ACRONYMS = {"OPGD", "MGWR", "GWR", "OLS", "AICC", "AIC", "BIC", "CV", "VIF", "CRS", "FDR", "SDE", "CAS"}


def test_help_names_only_the_parameters_a_tool_has(carbon_provider):
    """Every parameter key written in a tool's help as (KEY) is a parameter of that tool."""
    import re

    bad = set()
    for alg in carbon_provider.algorithms():
        if not alg.id().startswith("carbon:") or " " in alg.id():
            continue
        keys = set(re.findall(r"\(([A-Z][A-Z0-9_]{2,})\)", alg.shortHelpString()))
        names = {p.name() for p in alg.parameterDefinitions()} | {o.name() for o in alg.outputDefinitions()}
        bad.update({f"{alg.id()}:{k}" for k in keys - names - ACRONYMS})
    assert not bad, f"help names parameters the tool does not have: {sorted(bad)}"
