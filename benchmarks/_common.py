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


def peak_rss_mib():
    """Peak resident memory of this process so far (MiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def report(name, ours, reference=None, extra=""):
    line = f"{name}: ours {ours:.3f} s"
    if reference is not None:
        line += f", reference {reference:.3f} s, ratio {reference / ours:.1f}x"
    if extra:
        line += f" ({extra})"
    print(line, flush=True)
