"""Helpers shared by the benchmark scripts."""

import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_plugins = ROOT / ".build" / "plugins"
_plugins.mkdir(parents=True, exist_ok=True)
if not (_plugins / "carbon_spacetime").exists():
    (_plugins / "carbon_spacetime").symlink_to(ROOT, target_is_directory=True)
sys.path.insert(0, str(_plugins))


def timed(fn, *args, repeat=1, **kwargs):
    """Best wall time (s) over ``repeat`` runs and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn(*args, **kwargs)
        best = min(best, time.perf_counter() - t0)
    return best, result


def _vm_hwm_mib(pid="self"):
    """``VmHWM`` (peak resident memory) of a process from ``/proc`` (MiB); ``None`` if unknown."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except (OSError, ValueError, IndexError):
        return None
    return None


def reset_peak_rss():
    """Start this process's peak-memory count again from its current use (Linux; else a no-op)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def peak_rss_mib():
    """Peak resident memory of this process (MiB) since :func:`reset_peak_rss`, else since start."""
    hwm = _vm_hwm_mib()
    return hwm if hwm is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def report(name, ours, reference=None, extra=""):
    line = f"{name}: ours {ours:.3f} s"
    if reference is not None:
        line += f", reference {reference:.3f} s, ratio {reference / ours:.1f}x"
    if extra:
        line += f" ({extra})"
    print(line, flush=True)


QGIS_PROCESS = "/usr/bin/qgis_process.bin"
_startup = {}


def _qgis_env():
    import os

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QGIS_PLUGINPATH=str(_plugins))
    env.setdefault("XDG_RUNTIME_DIR", f"/tmp/runtime-{os.getuid()}")
    Path(env["XDG_RUNTIME_DIR"]).mkdir(mode=0o700, exist_ok=True)
    return env


def _byte_compile_plugin():
    """Byte-compile the plugin's modules, as its first import on a user's machine leaves them.

    Python caches compiled modules in ``__pycache__`` beside them, and a plugin folder in
    the QGIS profile is writable, so users compile the plugin once. Where
    ``PYTHONDONTWRITEBYTECODE`` is set (as on some CI machines) every timed run would
    compile it again instead; existing caches are still read, so they are written here.
    """
    import compileall

    for name in ("__init__.py", "plugin.py"):
        compileall.compile_file(str(ROOT / name), quiet=1)
    for folder in ("algorithms", "core"):
        compileall.compile_dir(str(ROOT / folder), quiet=1)


def qgis_process(algorithm, params, profile=None):
    """Run ``algorithm`` through ``qgis_process.bin`` as users do; time the whole run.

    ``params``: ``{key: value}`` (a list value repeats the key). ``profile``: an
    SVG (flame graph) or .txt (collapsed stacks) path to record a py-spy
    profile of the run (py-spy from the venv).
    Returns ``dict(wall, cpu, peak_mib, results)``: wall and child CPU seconds
    (user + system, QGIS start-up included), the child's peak RSS and the
    algorithm's JSON results. Raises ``RuntimeError`` with the log on failure.
    The peak is the child's own ``VmHWM``, read every 10 ms while it runs: the
    ``ru_maxrss`` that ``wait4`` reports starts from the RSS of the process that
    spawned it (a benchmark that already holds gigabytes would report those).
    """
    import json
    import os
    import subprocess
    import tempfile

    env = _qgis_env()
    if not _startup.get("enabled"):
        subprocess.run([QGIS_PROCESS, "plugins", "enable", "carbon_spacetime"], env=env,
                       capture_output=True)
        _byte_compile_plugin()
        _startup["enabled"] = True
    cmd = [QGIS_PROCESS, "--json", "run", algorithm, "--"]
    for key, value in params.items():
        for v in value if isinstance(value, (list, tuple)) else [value]:
            cmd.append(f"{key}={v}")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=err)
        spy = _attach_profiler(proc.pid, profile) if profile else None
        peaks = []
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)  # the child's own CPU time
            if pid:
                break
            hwm = _vm_hwm_mib(proc.pid)
            if hwm is not None:
                peaks.append(hwm)
            time.sleep(0.01)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if spy is not None:
            spy.wait()
        out.seek(0)
        err.seek(0)
        out, err = out.read(), err.read()
    if proc.returncode != 0:
        raise RuntimeError(f"{algorithm} failed through qgis_process:\n{err.decode()[-3000:]}")
    text = out.decode()
    results = json.loads(text[text.index("{"):])["results"]
    return dict(wall=wall, cpu=usage.ru_utime + usage.ru_stime,
                peak_mib=max(peaks) if peaks else usage.ru_maxrss / 1024.0,
                results=results)


def _attach_profiler(pid, profile):
    """py-spy on a running qgis_process once its embedded Python is up (it cannot start it)."""
    import subprocess

    spy = Path(sys.executable).with_name("py-spy")
    fmt = ["--format", "raw"] if str(profile).endswith(".txt") else []
    time.sleep(1.0)
    return subprocess.Popen([str(spy), "record", "--native", "-r", "50", *fmt, "-o", str(profile),
                             "--pid", str(pid)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def qgis_startup(repeat=2):
    """Wall seconds of a trivial ``qgis_process`` run (start-up, plugin loading, exit): best of ``repeat``."""
    if "wall" not in _startup:
        best = float("inf")
        for _ in range(repeat):
            r = qgis_process("native:createconstantrasterlayer",
                             {"EXTENT": "0,1,0,1 [EPSG:3857]", "TARGET_CRS": "EPSG:3857",
                              "PIXEL_SIZE": 1, "NUMBER": 1, "OUTPUT": "TEMPORARY_OUTPUT"})
            best = min(best, r["wall"])
        _startup["wall"] = best
    return _startup["wall"]
