#!/usr/bin/env bash
# Idempotent set-up on Debian 12 (QGIS 3.22) or Debian 13 (QGIS 3.40): QGIS from apt
# (when missing and run as root), a virtual environment on the system Python that sees
# QGIS, and the pinned test-time references. numpy and scipy stay at the versions QGIS's
# own Python imports (its bindings are built against them): .build/constraints.txt is
# written from /usr/bin/python3 on every run, so the same checkout works on both.
set -euo pipefail
cd "$(dirname "$0")/.."

SYS_PY=/usr/bin/python3
need_apt=()
if ! "$SYS_PY" -c "import qgis.core" >/dev/null 2>&1; then
  need_apt+=(qgis python3-qgis qgis-providers)
fi
if ! "$SYS_PY" -c "import ensurepip, venv" >/dev/null 2>&1; then
  need_apt+=(python3-venv)
fi
if ! "$SYS_PY" -c "import matplotlib, scipy" >/dev/null 2>&1; then
  need_apt+=(python3-matplotlib python3-scipy)
fi
# `make test` also wants R's spdep, the second reference for the clustering statistics
# (tests/test_reference_spdep.py; skipped with a reason where R cannot be installed).
if [ "${1:-}" = "--tests" ] && ! Rscript -e 'suppressPackageStartupMessages(library(spdep))' >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    need_apt+=(r-cran-spdep)
  else
    echo "Note: R's spdep is not installed (sudo apt-get install r-cran-spdep); its reference tests will be skipped." >&2
  fi
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "Missing Debian packages: ${need_apt[*]}. Run 'sudo apt-get install ${need_apt[*]}' or 'sudo make setup'." >&2
    exit 1
  fi
  echo "Installing ${need_apt[*]} from apt (a few minutes)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

mkdir -p .build
constraints=.build/constraints.txt
"$SYS_PY" - >"$constraints.new" <<'PY'
import numpy, scipy
print("# Written by tools/setup.sh: the numpy/scipy that QGIS's Python (/usr/bin/python3) imports.")
print(f"numpy=={numpy.__version__}")
print(f"scipy=={scipy.__version__}")
PY
if cmp -s "$constraints.new" "$constraints"; then rm "$constraints.new"; else mv "$constraints.new" "$constraints"; fi

stamp=.venv/.requirements-installed
if [ -x .venv/bin/python ] && ! .venv/bin/python -c "import sys; sys.exit(sys.version_info[:2] != $("$SYS_PY" -c 'import sys; print(tuple(sys.version_info[:2]))'))"; then
  echo "The .venv was made for another Python than $SYS_PY: making it again." >&2
  rm -rf .venv
fi
if [ ! -x .venv/bin/python ]; then
  "$SYS_PY" -m venv --system-site-packages .venv
fi
if [ ! -f "$stamp" ] || [ requirements-test.txt -nt "$stamp" ] || [ "$constraints" -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -c "$constraints" -r requirements-test.txt
  touch "$stamp"
fi

# The plugin is imported as `carbon_spacetime`: expose the repository under that name.
mkdir -p .build/plugins
ln -sfn "$(pwd)" .build/plugins/carbon_spacetime
