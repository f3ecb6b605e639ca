# Carbon Spacetime — every target works from a fresh clone on Debian 12 (QGIS 3.22) or 13 (QGIS 3.40).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
QGIS_ENV := QT_QPA_PLATFORM=offscreen QGIS_PLUGINPATH=$(CURDIR)/.build/plugins
PROFILE_PLUGINS ?= $(HOME)/.local/share/QGIS/QGIS3/profiles/default/python/plugins
PLUGIN := carbon_spacetime
ZIP_FILES := metadata.txt __init__.py plugin.py algorithms core resources i18n sampledata README.md LICENSE

.PHONY: setup test demo deploy zip lint bench clean translations

setup:
	@tools/setup.sh

test: setup
	@tools/setup.sh --tests
	$(QGIS_ENV) $(PY) -m pytest

demo: setup
	@tools/demo.sh

bench: setup
	$(QGIS_ENV) $(PY) benchmarks/run_all.py $(BENCH_ARGS)

lint: setup
	$(PY) -m ruff check .

deploy:
	mkdir -p "$(PROFILE_PLUGINS)"
	ln -sfn "$(CURDIR)" "$(PROFILE_PLUGINS)/$(PLUGIN)"
	@echo "Linked into $(PROFILE_PLUGINS)/$(PLUGIN); enable 'Carbon Spacetime' in Plugins > Manage and Install Plugins."

zip:
	rm -rf .build/zip dist/$(PLUGIN).zip
	mkdir -p .build/zip/$(PLUGIN) dist
	cp -r $(wildcard $(ZIP_FILES)) .build/zip/$(PLUGIN)/
	find .build/zip -name '__pycache__' -prune -exec rm -rf {} +
	cd .build/zip && python3 -m zipfile -c ../../dist/$(PLUGIN).zip $(PLUGIN)
	@echo "dist/$(PLUGIN).zip: install with Plugins > Manage and Install Plugins > Install from ZIP."

translations:
	python3 tools/i18n.py update
	@command -v lrelease >/dev/null && lrelease i18n/*.ts || echo "lrelease (qttools5-dev-tools) not installed; .qm files left as they are."
	@python3 tools/i18n.py check >/dev/null || echo "Some strings are not translated yet: python3 tools/i18n.py check lists them."

clean:
	rm -rf .build dist .pytest_cache output
