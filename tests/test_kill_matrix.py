"""Kill tests (issue #11): qgis_process runs stopped mid-run leave nothing at their output paths.

A long-running tool is started with ``qgis_process``; once its staging folder appears
(the run is writing) it gets SIGINT, SIGTERM or SIGKILL. Then no file may exist at any
output path; after SIGINT (Ctrl-C cancels like the dialog's Cancel) not even the
staging folder; after SIGTERM/SIGKILL the next run into the folder removes it.
"""

import os
import signal
import subprocess
import time

import numpy as np
import pytest
from _matrix import _points
from conftest import ROOT

pytestmark = pytest.mark.timeout(180)

TOOLS = {
    # long enough to be stopped mid-run: 3,000 points, 99,999 conditional permutations
    "localmoran": lambda d, out: {"INPUT": d["big"], "FIELD": "v", "NEIGHBORHOOD": 2, "K": 8,
                                  "PERMUTATIONS": 99999, "OUTPUT": os.path.join(out, "lm.gpkg")},
    # MGWR (back-fitting and exact inference) on 3,000 points, three outputs (two GeoPackages and
    # HTML); a GWR search alone now ends within the test's 1.5 s wait on a quiet machine
    "mgwr": lambda d, out: {"INPUT": d["big_gwr"], "DEPENDENT": "y", "EXPLANATORY": "x1", "MODEL": 0,
                            "MIN_BANDWIDTH": 10, "MAX_BANDWIDTH": 2999, "CRITERION": 3,
                            "OUTPUT": os.path.join(out, "gwr.gpkg"),
                            "OUTPUT_SUMMARY": os.path.join(out, "gwr_summary.gpkg"),
                            "OUTPUT_HTML": os.path.join(out, "gwr.html")},
}
OUTPUT_KEYS = ("OUTPUT", "OUTPUT_SUMMARY", "OUTPUT_HTML")


@pytest.fixture(scope="module")
def big_inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kill_inputs")
    rng = np.random.default_rng(5)
    xy = rng.uniform(0, 1e5, (3000, 2)) + [5e5, 4e6]
    x1 = rng.normal(size=3000)
    return {
        "big": _points(folder / "big.gpkg", xy, {"v": rng.gamma(2, 3, 3000)}),
        "big_gwr": _points(folder / "big_gwr.gpkg", xy,
                           {"y": 1 + 2 * x1 + rng.normal(size=3000), "x1": x1}),
    }


def _staging(out):
    return [n for n in os.listdir(out) if n.startswith(".carbon-part-")]


def _start(tool, params):
    cmd = [str(ROOT / "tools" / "qgis_process.sh"), "--json", "run", f"carbon:{tool}", "--"]
    cmd += [f"{k}={v}" for k, v in params.items()]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["SIGINT", "SIGTERM", "SIGKILL"])
@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_killed_run_leaves_nothing(tool, sig, big_inputs, tmp_path, run_alg):
    out = tmp_path / "out"
    out.mkdir()
    params = TOOLS[tool](big_inputs, str(out))
    proc = _start(tool, params)
    try:
        deadline = time.time() + 90
        while not _staging(out) and time.time() < deadline and proc.poll() is None:
            time.sleep(0.1)
        time.sleep(1.5)
        assert proc.poll() is None, f"the run ended before it could be stopped: {proc.stdout.read()[-2000:]}"
        proc.send_signal(sig)
        started = time.time()
        proc.wait(timeout=60)
        stopped_after = time.time() - started
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    log = proc.stdout.read()
    finals = [params[k] for k in OUTPUT_KEYS if k in params]
    left = [p for p in finals if os.path.exists(p)] + [p + "-journal" for p in finals if os.path.exists(p + "-journal")]
    assert not left, f"classes=left-files :: after {sig.name}: {left}"
    if sig == signal.SIGINT:
        assert proc.returncode != 0
        assert stopped_after < 30, f"classes=hang :: Ctrl-C took {stopped_after:.0f} s"
        assert not _staging(out), f"classes=left-files :: staging left after Ctrl-C: {_staging(out)}"
        assert "Traceback" not in log, f"classes=traceback :: {log[-2000:]}"
    # The next run into the folder (here a quick refusal) removes stale staging of killed runs.
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException):
        run_alg(tool, dict(params, INPUT=big_inputs["big"], FIELD="nosuch", DEPENDENT="nosuch"))
    assert not _staging(out), f"classes=left-files :: stale staging not cleaned: {_staging(out)}"
    assert not os.listdir(out), f"classes=left-files :: {os.listdir(out)}"
