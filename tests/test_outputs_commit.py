"""The output guard's commit: a full garbage collection only while a sink is still open."""

import gc
import os

import pytest


def _sink_algorithm(keep_in_cycle):
    """A CarbonAlgorithm that writes three points to a feature sink and returns.

    ``keep_in_cycle``: the sink stays referenced by a reference cycle when the
    algorithm returns (as by a dead frame), so only a garbage collection closes it.
    """
    from carbon_spacetime.algorithms._compat import FieldType, WkbType
    from carbon_spacetime.algorithms.base import CarbonAlgorithm
    from qgis.core import (
        QgsFeature,
        QgsField,
        QgsFields,
        QgsGeometry,
        QgsPointXY,
        QgsProcessingParameterFeatureSink,
    )

    class SinkAlgorithm(CarbonAlgorithm):
        ALG_ID = "test_sink"
        DISPLAY_NAME = "Test sink"

        def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
            self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", "Output"))

        def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API
            fields = QgsFields()
            fields.append(QgsField("value", FieldType.Double))
            sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, fields,
                                              WkbType.Point, context.project().crs())
            for i in range(3):
                feature = QgsFeature(fields)
                feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(i, i)))
                feature.setAttributes([float(i)])
                sink.addFeature(feature)
            if keep_in_cycle:
                holder = {"sink": sink}
                holder["self"] = holder  # unreachable after return, freed by gc only
            return {"OUTPUT": dest}

    return SinkAlgorithm()


@pytest.mark.parametrize("keep_in_cycle", [False, True], ids=["closed", "held-by-a-cycle"])
def test_commit_collects_garbage_only_while_a_sink_is_open(qgis_processing, tmp_path, monkeypatch,
                                                          keep_in_cycle):
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProject, QgsVectorLayer

    collections = []
    collect = gc.collect

    def counting_collect(*args):
        collections.append(args)
        return collect(*args)

    monkeypatch.setattr(gc, "collect", counting_collect)
    alg = _sink_algorithm(keep_in_cycle)
    alg.initAlgorithm()
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    out = str(tmp_path / "points.gpkg")
    enabled = gc.isenabled()
    gc.disable()  # no automatic collection may close the cycle's sink before the commit
    try:
        results, ok = alg.run({"OUTPUT": out}, context, QgsProcessingFeedback())
    finally:
        if enabled:
            gc.enable()
    assert ok
    assert len(collections) == (1 if keep_in_cycle else 0)
    # either way the file is complete and in place, and the staging folder is gone
    layer = QgsVectorLayer(results["OUTPUT"], "points", "ogr")
    assert layer.isValid()
    assert sorted(f["value"] for f in layer.getFeatures()) == [0.0, 1.0, 2.0]
    assert os.listdir(tmp_path) == ["points.gpkg"]
