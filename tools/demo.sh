#!/usr/bin/env bash
# `make demo`: the whole emission study on the sample Liaoning dataset, headless,
# through qgis_process.bin. Fails loudly when any step fails.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
sample="$root/.build/sample"
out="$root/output/demo"
py=/usr/bin/python3
[ -x .venv/bin/python ] && py=.venv/bin/python
years="${DEMO_YEARS:-2000,2005,2010,2015,2020}"
cell="${DEMO_CELL_SIZE:-20000}"  # 20 km cells keep MGWR (5 years) to about a minute

start=$(date +%s)
echo "[demo] generating the sample dataset into $sample"
rm -rf "$sample"
QT_QPA_PLATFORM=offscreen "$py" -m sampledata.liaoning "$sample" >/dev/null

echo "[demo] running carbon:emissionstudy (years $years, analysis cells $cell m) into $out"
rm -rf "$out"
mkdir -p "$out"
log="$out/../demo-qgis_process.json"
if ! tools/qgis_process.sh --json run carbon:emissionstudy -- \
    YEARS="$years" \
    INPUT_FOLDER="$sample" \
    TOTALS="$sample/emission_totals.csv" \
    REGIONS="$sample/cities.gpkg" \
    REGION_FIELD=region \
    ANALYSIS_CELL_SIZE="$cell" \
    OUTPUT_FOLDER="$out" \
    OUTPUT_HTML="$out/report.html" >"$log" 2>"$out/../demo-qgis_process.log"; then
  echo "[demo] FAILED: qgis_process returned an error. Its messages:" >&2
  tail -n 40 "$out/../demo-qgis_process.log" >&2
  exit 1
fi
report="$out/report.html"
if [ ! -s "$report" ]; then
  echo "[demo] FAILED: no report at $report" >&2
  tail -n 40 "$out/../demo-qgis_process.log" >&2
  exit 1
fi
maps=$(ls "$out"/report_maps/*.png 2>/dev/null | wc -l)
if [ "$maps" -eq 0 ]; then
  echo "[demo] FAILED: the report has no maps" >&2
  exit 1
fi
elapsed=$(( $(date +%s) - start ))
echo "[demo] done in ${elapsed} s"
echo "[demo] tables: $(grep -o '<caption>[^<]*' "$report" | sed -e 's/<caption>//' -e "s/&#x27;/'/g" | paste -sd ';' -)"
echo "[demo] maps ($maps): $(cd "$out/report_maps" && ls *.png | paste -sd ' ' -)"
echo "[demo] report: $report"
