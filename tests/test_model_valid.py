"""The shipped graphical model is valid in the Modeler and runs on the sample data."""

from pathlib import Path

import pytest
from carbon_spacetime.sampledata import liaoning

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "resources" / "models" / "emission_study.model3"


@pytest.fixture
def model(carbon_provider):
    from qgis.core import QgsProcessingModelAlgorithm

    model = QgsProcessingModelAlgorithm()
    assert model.fromFile(str(MODEL))
    return model


def test_model_is_valid_in_the_modeler(model):
    ok, problems = model.validate()
    assert ok, problems
    for child_id in model.childAlgorithms():
        ok, problems = model.validateChildAlgorithm(child_id)
        assert ok, (child_id, problems)
    # One Study group in the toolbox: the same group id as carbon:emissionstudy.
    from carbon_spacetime.algorithms.study.algorithm import EmissionStudy

    assert model.groupId() == EmissionStudy.GROUP_ID
    # Inputs in the order they are filled in, not alphabetical.
    names = [p.parameterName() for p in model.orderedParameters()]
    assert [d.name() for d in model.parameterDefinitions()][:len(names)] == names
    assert names.index("regions") < names.index("region_field") < names.index("year")
    assert names[:4] == ["landuse", "light", "population", "totals"]


def test_model_runs_on_sample_data(model, tmp_path):
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProject, QgsRasterLayer

    data = liaoning.generate(tmp_path / "sample", years=(2020,), shrink=20)
    params = {
        "landuse": data["landuse"][2020], "light": data["light"][2020], "population": data["population"][2020],
        "totals": data["totals"], "regions": data["cities"], "region_field": "region", "year": 2020,
        "neighborhood": 3,
    }
    # As the dialog does: every output at its default (a temporary layer).
    for definition in model.destinationParameterDefinitions():
        params[definition.name()] = definition.defaultValue()
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = QgsProcessingFeedback()
    ok, message = model.checkParameterValues(params, context)
    assert ok, message
    results, ok = model.run(params, context, feedback)
    assert ok
    emissions = QgsRasterLayer(results["downscale:Emissions"], "e")
    assert emissions.isValid()
    hot = QgsRasterLayer(results["hotspots:Hot spots"], "h")
    assert hot.isValid() and hot.bandCount() == 3
