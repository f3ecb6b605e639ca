"""Run every ``benchmarks/bench_*.py`` in turn (``make bench``).

Each script times our code and the reference implementation side by side in
one run and prints both timings and their ratio.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv):
    scripts = sorted(HERE.glob("bench_*.py"))
    if len(argv) > 1:
        scripts = [s for s in scripts if any(a in s.name for a in argv[1:])]
    failed = []
    for script in scripts:
        print(f"\n=== {script.name} ===", flush=True)
        if subprocess.run([sys.executable, str(script)]).returncode != 0:
            failed.append(script.name)
    if failed:
        print("failed:", ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
