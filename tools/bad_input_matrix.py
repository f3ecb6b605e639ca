#!/usr/bin/env python3
"""Run the bad-input matrix (issue #11) and print the number of cases per defect class.

Usage (from the repository root, after ``make setup``)::

    QT_QPA_PLATFORM=offscreen QGIS_PLUGINPATH=$PWD/.build/plugins \\
        .venv/bin/python tools/bad_input_matrix.py [--root OTHER_CHECKOUT]

``--root`` runs this checkout's matrix tests against another checkout's plugin code
(e.g. the code before the fixes) to get "before" counts. Classes: traceback, hang
(pytest-timeout), silent-number, left-files, modified-input, wrong-cause; a case may
count in several classes.
"""

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILES = ["tests/test_bad_input_matrix.py", "tests/test_kill_matrix.py", "tests/_matrix.py"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=HERE, help="checkout whose plugin code is tested")
    parser.add_argument("--no-kill", action="store_true", help="skip the qgis_process kill tests")
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    if root != HERE:  # copy this checkout's matrix into the other checkout's tests folder
        for name in (f for f in FILES if os.path.exists(os.path.join(HERE, f))):
            shutil.copy(os.path.join(HERE, name), os.path.join(root, name))
    tests = [os.path.join(root, "tests", "test_bad_input_matrix.py")]
    if not args.no_kill and os.path.exists(os.path.join(root, "tests", "test_kill_matrix.py")):
        tests.append(os.path.join(root, "tests", "test_kill_matrix.py"))
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.txt")
        cmd = [os.path.join(HERE, ".venv", "bin", "python"), "-m", "pytest", *tests, "-q", "-rA",
               "-p", "no:cacheprovider", "--timeout", "60", "-o", "addopts="]
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", COLUMNS="100000",
                   QGIS_PLUGINPATH=os.path.join(root, ".build", "plugins"))
        with open(report, "w") as handle:
            subprocess.run(cmd, cwd=root, stdout=handle, stderr=subprocess.STDOUT, env=env, check=False)
        text = open(report).read()
    counts = collections.Counter()
    cases = passed = 0
    for line in text.splitlines():
        m = re.match(r"^(PASSED|FAILED|ERROR) \S+::(test_\w+)\[(.+?)\]( - (.*))?$", line)
        if not m:
            continue
        cases += 1
        if m.group(1) == "PASSED":
            passed += 1
            continue
        message = m.group(5) or ""
        found = re.search(r"classes=([\w,-]+)", message)
        if found:
            for cls in found.group(1).split(","):
                counts[cls] += 1
        elif "Timeout" in message:
            counts["hang"] += 1
        else:
            counts["traceback" if "Error" in message else "other"] += 1
    print(f"cases: {cases}, clean: {passed}")
    for cls in ("traceback", "hang", "silent-number", "left-files", "modified-input", "wrong-cause", "other"):
        print(f"  {cls:15s} {counts.get(cls, 0)}")
    tail = [ln for ln in text.splitlines() if re.match(r"^=+ .* in [\d.]+s", ln)]
    print(tail[-1] if tail else text[-2000:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
