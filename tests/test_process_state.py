"""The plugin leaves the process as it found it: GDAL's error mode is never switched for good."""

import os
import subprocess
import sys

import numpy as np
import pytest
from osgeo import gdal, ogr, osr


def _modes():
    return gdal.GetUseExceptions(), ogr.GetUseExceptions(), osr.GetUseExceptions()


def test_importing_the_plugin_does_not_change_gdal_error_mode():
    code = (
        "from osgeo import gdal, ogr, osr;"
        "import carbon_spacetime.algorithms.provider, carbon_spacetime.algorithms.study.algorithm,"
        " carbon_spacetime.algorithms._downscaling_common, carbon_spacetime.algorithms.study.io,"
        " carbon_spacetime.sampledata.liaoning;"
        "print(gdal.GetUseExceptions(), ogr.GetUseExceptions(), osr.GetUseExceptions())"
    )
    import carbon_spacetime

    env = dict(os.environ, PYTHONPATH=os.path.dirname(carbon_spacetime.__path__[0]))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-3:] == ["0", "0", "0"]


@pytest.mark.parametrize("start_with_exceptions", [False, True])
def test_gdal_exceptions_restores_the_callers_mode(tmp_path, start_with_exceptions):
    from carbon_spacetime.algorithms._compat import gdal_exceptions
    from carbon_spacetime.algorithms._io import write_geotiff

    before = _modes()
    try:
        if start_with_exceptions:
            gdal.UseExceptions()  # compat-ok: the caller this test pretends to be
        mode = _modes()
        with gdal_exceptions():
            assert _modes() == (1, 1, 1)
            with pytest.raises(RuntimeError):
                gdal.Open(str(tmp_path / "missing.tif"))
        assert _modes() == mode
        write_geotiff(str(tmp_path / "a.tif"), [np.ones((2, 2))], (0, 1, 0, 2, 0, -1), None)
        assert _modes() == mode
    finally:
        if start_with_exceptions and not before[0]:
            gdal.DontUseExceptions()
    assert _modes() == before
