#!/usr/bin/env bash
# make demo: runs the plugin's algorithms headless through qgis_process on sample data.
set -euo pipefail
cd "$(dirname "$0")/.."
out=output/demo
rm -rf "$out" && mkdir -p "$out"
.venv/bin/python tools/demo_points.py "$out/sample_points.gpkg"
run() { tools/qgis_process.sh --json run "$@" > "$out/last_run.json" 2> "$out/last_run.log" || { cat "$out/last_run.log" >&2; exit 1; }; }
echo "Mean-centre trajectory..."
run carbon:meancentertrajectory -- INPUT="$out/sample_points.gpkg" WEIGHT_FIELD=co2 TIME_FIELD=year \
  OUTPUT_CENTERS="$out/centres.gpkg" OUTPUT_TRAJECTORY="$out/trajectory.gpkg"
echo "Standard deviational ellipses..."
run carbon:directionaldistribution -- INPUT="$out/sample_points.gpkg" WEIGHT_FIELD=co2 TIME_FIELD=year \
  OUTPUT="$out/ellipses.gpkg"
echo "Outputs in $out/: centres.gpkg, trajectory.gpkg, ellipses.gpkg"
