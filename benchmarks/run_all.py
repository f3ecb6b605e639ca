"""Run every ``benchmarks/bench_*.py`` in turn (``make bench``).

Each script times our code and the reference implementation side by side in
one run and prints both timings and their ratio; the MGWR/GWR, clustering and
downscaling scripts also time the algorithms through ``qgis_process.bin``.

``run_all.py [--quick] [name ...]``: ``--quick`` is passed to the scripts that
take it (the small cases only); names select scripts by substring.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv):
    flags = [a for a in argv[1:] if a.startswith("--")]
    names = [a for a in argv[1:] if not a.startswith("--")]
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        scripts = [s for s in scripts if any(a in s.name for a in names)]
    failed = []
    for script in scripts:
        print(f"\n=== {script.name} ===", flush=True)
        accepted = [f for f in flags if f in script.read_text()]
        if subprocess.run([sys.executable, str(script), *accepted]).returncode != 0:
            failed.append(script.name)
    if failed:
        print("failed:", ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
