#!/usr/bin/env bash
# Runs /usr/bin/qgis_process.bin headless with this checkout as the plugin
# `carbon_spacetime`. (Debian's `qgis_process` wrapper passes --noversioncheck,
# which the 3.22 binary rejects, so the binary is called directly.)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$here/.build/plugins"
ln -sfn "$here" "$here/.build/plugins/carbon_spacetime"
export QT_QPA_PLATFORM=offscreen
export QGIS_PLUGINPATH="$here/.build/plugins"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/runtime-$(id -u)}"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
/usr/bin/qgis_process.bin plugins enable carbon_spacetime >/dev/null 2>&1 || true
exec /usr/bin/qgis_process.bin "$@"
