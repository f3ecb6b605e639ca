#!/usr/bin/env bash
# Desktop screenshots in English and Simplified Chinese, under Xvfb (Debian: xvfb).
#   tools/screenshots.sh [lang ...]     (default: en zh-Hans) -> output/screenshots/<lang>/*.png
# Each language gets a throw-away QGIS profile under output/screenshots/profiles with this
# checkout linked as the carbon_spacetime plugin; QGIS runs tools/screenshots.py and exits.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
command -v xvfb-run >/dev/null || { echo "xvfb-run missing: apt-get install -y xvfb" >&2; exit 1; }
langs=("$@"); [ ${#langs[@]} -eq 0 ] && langs=(en zh-Hans)
for lang in "${langs[@]}"; do
    profiles="$ROOT/output/screenshots/profiles/$lang"
    rm -rf "$profiles"
    mkdir -p "$profiles/profiles/default/python/plugins" "$profiles/profiles/default/QGIS"
    ln -sfn "$ROOT" "$profiles/profiles/default/python/plugins/carbon_spacetime"
    override=false; [ "$lang" != en ] && override=true
    cat > "$profiles/profiles/default/QGIS/QGIS3.ini" <<EOF
[locale]
userLocale=$lang
overrideFlag=$override

[PythonPlugins]
carbon_spacetime=true
processing=true

[qgis]
showTips322=false
checkVersion=false
EOF
    out="$ROOT/output/screenshots/$lang"
    rm -rf "$out"; mkdir -p "$out"
    SCREENSHOT_ROOT="$ROOT" SCREENSHOT_LANG="$lang" SCREENSHOT_DIR="$out" \
        timeout 900 xvfb-run -a -s '-screen 0 1600x1000x24' \
        qgis --noversioncheck --nologo --profiles-path "$profiles" --code "$ROOT/tools/screenshots.py" \
        > "$out/qgis.log" 2>&1 || true
    grep -E "^screenshot|Traceback|Error" "$out/qgis.log" | head -40 || true
done
