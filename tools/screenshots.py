"""Desktop screenshots of the plugin, run inside QGIS: ``qgis --code tools/screenshots.py``.

Use ``tools/screenshots.sh`` (it prepares a throw-away QGIS profile per language, links
this checkout as the plugin and runs QGIS under Xvfb). Writes, into
``$SCREENSHOT_DIR`` (default ``output/screenshots/<lang>``):

- ``toolbox.png``: the Processing toolbox, Carbon Spacetime expanded;
- ``mgwr_dialog.png``: the MGWR dialog with a point layer chosen (dependent variable empty);
- ``hotspots_dialog.png``: the Gi* dialog with a vector input (no band complaint);
- ``modeler.png``: the Graphical Modeler with the shipped study model (as saved: English);
- ``model_dialog.png``: the shipped model's run dialog from the toolbox (labels and help translated);
- ``study_canvas.png``: the main window after the whole study (layers panel and map);
- ``study_report.png``: the study's report.html at its findings (rendered by QTextBrowser);
- ``standalone_canvas.png``: ellipses, centres and trajectory from the stand-alone tools.
"""

import os
import sys
import traceback

from qgis.core import QgsApplication, QgsProcessingModelAlgorithm, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QEventLoop, QTimer
from qgis.PyQt.QtWidgets import QDockWidget, QTreeView
from qgis.utils import iface

HERE = os.path.dirname(os.path.abspath(__file__)) if "__file__" in globals() else os.getcwd()
ROOT = os.environ.get("SCREENSHOT_ROOT") or os.path.dirname(HERE)
LANG = os.environ.get("SCREENSHOT_LANG", "en")
OUT = os.environ.get("SCREENSHOT_DIR") or os.path.join(ROOT, "output", "screenshots", LANG)
WORK = os.environ.get("SCREENSHOT_WORK") or os.path.join(ROOT, "output", "screenshots", f"work_{LANG}")


def wait(ms):
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def save(widget, name):
    wait(400)
    path = os.path.join(OUT, name)
    widget.grab().save(path)
    print(f"screenshot {path}", flush=True)


def sample_data():
    from carbon_spacetime.sampledata import liaoning

    folder = os.path.join(WORK, "sample")
    data = liaoning.generate(folder, years=(2000, 2010, 2020), shrink=10)
    return folder, data


def toolbox():
    dock = iface.mainWindow().findChild(QDockWidget, "ProcessingToolbox")
    dock.show()
    dock.setFloating(True)
    dock.resize(460, 760)
    tree = dock.findChild(QTreeView)
    model = tree.model()
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if "Carbon" in str(model.data(index)):
            tree.setExpanded(index, True)
            for child in range(model.rowCount(index)):
                tree.setExpanded(model.index(child, 0, index), True)
            tree.scrollTo(index, QTreeView.PositionAtTop)
    save(dock, "toolbox.png")
    dock.setFloating(False)


def dialog(alg_id, params, name):
    import processing

    dlg = processing.createAlgorithmDialog(alg_id, params)
    dlg.resize(1100, 800)
    dlg.show()
    wait(800)
    save(dlg, name)
    dlg.close()


def modeler():
    from processing.modeler.ModelerDialog import ModelerDialog

    model = QgsProcessingModelAlgorithm()
    model.fromFile(os.path.join(ROOT, "resources", "models", "emission_study.model3"))
    dlg = ModelerDialog.create(model)
    dlg.resize(1400, 900)
    dlg.show()
    wait(1500)
    save(dlg, "modeler.png")
    dlg.close()


def study(folder, data):
    import processing

    params = {
        "YEARS": "2000,2010,2020",
        "INPUT_FOLDER": folder,
        "TOTALS": data["totals"],
        "REGIONS": data["cities"],
        "REGION_FIELD": "region",
        "ANALYSIS_CELL_SIZE": 20000,
        "OUTPUT_FOLDER": os.path.join(WORK, "study"),
    }
    processing.runAndLoadResults("carbon:emissionstudy", params)
    canvas = iface.mapCanvas()
    canvas.zoomToFullExtent()
    canvas.refreshAllLayers()
    wait(3000)
    canvas.waitWhileRendering()
    iface.mainWindow().resize(1600, 1000)
    wait(1000)
    save(iface.mainWindow(), "study_canvas.png")


def report():
    from qgis.PyQt.QtCore import QUrl
    from qgis.PyQt.QtWidgets import QTextBrowser

    browser = QTextBrowser()
    browser.resize(1100, 1300)
    browser.setSource(QUrl.fromLocalFile(os.path.join(WORK, "study", "report.html")))
    browser.show()
    wait(800)
    browser.scrollToAnchor("findings")
    save(browser, "study_report.png")
    browser.close()


def standalone():
    import processing

    study_dir = os.path.join(WORK, "study")
    grids = sorted(f for f in os.listdir(study_dir) if f.startswith("emissions_") and f.endswith(".tif"))
    rasters = [os.path.join(study_dir, f) for f in grids]
    years = ",".join(f[len("emissions_"):-4] for f in grids)
    QgsProject.instance().clear()
    cities = QgsVectorLayer(os.path.join(WORK, "sample", "cities.gpkg"), "cities", "ogr")
    if cities.isValid():
        from carbon_spacetime.algorithms._styles.renderers import outline as style_outline

        style_outline(cities)
        QgsProject.instance().addMapLayer(cities)
    processing.runAndLoadResults("carbon:directionaldistribution",
                                 {"RASTERS": rasters, "YEARS": years, "OUTPUT": "TEMPORARY_OUTPUT"})
    processing.runAndLoadResults("carbon:meancentertrajectory",
                                 {"RASTERS": rasters, "YEARS": years, "OUTPUT_CENTERS": "TEMPORARY_OUTPUT",
                                  "OUTPUT_TRAJECTORY": "TEMPORARY_OUTPUT"})
    canvas = iface.mapCanvas()
    canvas.zoomToFullExtent()
    wait(2500)
    canvas.waitWhileRendering()
    save(iface.mainWindow(), "standalone_canvas.png")


def main():
    try:
        os.makedirs(OUT, exist_ok=True)
        os.makedirs(WORK, exist_ok=True)
        iface.mainWindow().resize(1600, 1000)
        iface.mainWindow().showMaximized()
        wait(2000)
        folder, data = sample_data()
        toolbox()
        points = QgsVectorLayer(data["cities"], "cities", "ogr")
        QgsProject.instance().addMapLayer(points)
        dialog("carbon:mgwr", {"INPUT": points}, "mgwr_dialog.png")
        dialog("carbon:hotspots", {"INPUT": points}, "hotspots_dialog.png")
        modeler()
        dialog("carbon:Emission study (one year)", {}, "model_dialog.png")
        QgsProject.instance().clear()
        study(folder, data)
        report()
        standalone()
    except Exception:
        traceback.print_exc()
        sys.stdout.flush()
    finally:
        QgsProject.instance().setDirty(False)
        QTimer.singleShot(500, QgsApplication.instance().exit)


QTimer.singleShot(3000, main)
