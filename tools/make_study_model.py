"""Write ``resources/models/emission_study.model3`` with the QGIS model API.

The model is the study for ONE year, chained from the individual Carbon
Spacetime algorithms so analysts can open it in the Graphical Modeler, see the
chain and change it:

    carbon:downscale -> emission raster (1 km)
        -> carbon:emissionstatistics  (total, peak, mean, std of the year)
        -> carbon:directionaldistribution (standard deviational ellipse)
        -> carbon:meancentertrajectory (the year's weighted mean centre)
        -> carbon:globalmoransi (Moran's I of the grid cells)
        -> carbon:hotspots (Gi* hot/cold spot raster: z, p, bin)

Run with QGIS's Python (``/usr/bin/python3 tools/make_study_model.py``) from
the repository root. The model is built through QgsProcessingModelAlgorithm,
so the file is exactly what the modeler itself would save.
"""

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402 - environment first
    QgsApplication,
    QgsProcessing,
    QgsProcessingModelAlgorithm,
    QgsProcessingModelChildAlgorithm,
    QgsProcessingModelChildParameterSource,
    QgsProcessingModelOutput,
    QgsProcessingModelParameter,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterVectorLayer,
)
from qgis.PyQt.QtCore import QPointF  # noqa: E402

#: The group of carbon:emissionstudy (algorithms/study/algorithm.py). A .model3 file stores only the
#: group name, which QGIS also uses as the model's group id, so the algorithm's GROUP_ID is "Study"
#: too and the toolbox shows one Study group.
STUDY_GROUP_ID = "Study"
#: Model inputs in the order an analyst fills them in (the modeler otherwise sorts them by name).
PARAMETER_ORDER = ["landuse", "light", "population", "totals", "regions", "region_field", "year", "neighborhood"]

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.path.join(ROOT, "resources", "models", "emission_study.model3")

HELP = (
    "The Carbon Spacetime emission study for one year, as an editable model: downscale the regional "
    "totals to the land-use grid (nighttime light for urban and industrial land, population for the "
    "rest), then describe the emission grid: yearly statistics, weighted mean centre, standard "
    "deviational ellipse, Global Moran's I and Getis-Ord Gi* hot and cold spots (queen contiguity of "
    "the grid cells). For several years with trajectory, Table 2, Table 3 (MGWR) and an HTML report "
    "use 'Run emission study' (carbon:emissionstudy)."
)


def _param(model, definition, position, help_text):
    definition.setHelp(help_text)
    model.addModelParameter(definition, QgsProcessingModelParameter(definition.name()))
    component = model.parameterComponent(definition.name())
    component.setPosition(position)
    model.setParameterComponent(component)


def _src_param(name):
    return [QgsProcessingModelChildParameterSource.fromModelParameter(name)]


def _src_static(value):
    return [QgsProcessingModelChildParameterSource.fromStaticValue(value)]


def _src_child(child_id, output):
    return [QgsProcessingModelChildParameterSource.fromChildOutput(child_id, output)]


def _child(model, alg_id, child_id, description, position, sources, outputs):
    child = QgsProcessingModelChildAlgorithm(alg_id)
    child.setChildId(child_id)
    child.setDescription(description)
    child.setPosition(position)
    for key, source in sources.items():
        child.addParameterSources(key, source)
    model_outputs = {}
    for key, (name, description_text) in outputs.items():
        output = QgsProcessingModelOutput(name, description_text)
        output.setChildId(child_id)
        output.setChildOutputName(key)
        output.setPosition(position + QPointF(220, 0))
        # Optional with a temporary default, so the model runs with only its inputs given.
        output.setMandatory(False)
        output.setDefaultValue("TEMPORARY_OUTPUT")
        model_outputs[name] = output
    child.setModelOutputs(model_outputs)
    model.addChildAlgorithm(child)
    return child


def build_model():
    model = QgsProcessingModelAlgorithm("Emission study (one year)", STUDY_GROUP_ID, STUDY_GROUP_ID)
    model.setHelpContent({"ALG_DESC": HELP, "ALG_CREATOR": "Carbon Spacetime"})
    x = 120.0
    _param(
        model,
        QgsProcessingParameterRasterLayer("landuse", "Land use"),
        QPointF(x, 60),
        "Land-use raster (CAS/RESDC codes) of the year.",
    )
    _param(
        model,
        QgsProcessingParameterRasterLayer("light", "Nighttime light"),
        QPointF(x, 120),
        "Nighttime-light raster of the year.",
    )
    _param(
        model,
        QgsProcessingParameterRasterLayer("population", "Population"),
        QPointF(x, 180),
        "Population raster of the year.",
    )
    _param(
        model,
        QgsProcessingParameterVectorLayer("totals", "Emission totals table", [QgsProcessing.SourceType.TypeVector]),
        QPointF(x, 240),
        "Table with region, year, category, emissions.",
    )
    _param(
        model,
        QgsProcessingParameterFeatureSource(
            "regions", "Regions", [QgsProcessing.SourceType.TypeVectorPolygon], optional=True
        ),
        QPointF(x, 300),
        "Optional region polygons matching the table's region column.",
    )
    _param(
        model,
        QgsProcessingParameterField(
            "region_field", "Region field", parentLayerParameterName="regions", optional=True
        ),
        QPointF(x, 360),
        "Field of the regions that matches the table's region column.",
    )
    _param(
        model,
        QgsProcessingParameterNumber("year", "Year", QgsProcessingParameterNumber.Type.Integer, defaultValue=2020),
        QPointF(x, 420),
        "Which year's totals to downscale.",
    )
    _param(
        model,
        QgsProcessingParameterEnum(
            "neighborhood",
            "Neighbourhood (Moran's I, Gi*)",
            [
                "Fixed distance band",
                "Inverse distance",
                "K nearest neighbours",
                "Queen contiguity",
                "Rook contiguity",
            ],
            defaultValue=3,
        ),
        QPointF(x, 480),
        "Spatial weights of the grid cells.",
    )

    _child(
        model,
        "carbon:downscale",
        "downscale",
        "Downscale emissions to grid",
        QPointF(420, 200),
        {
            "LANDUSE": _src_param("landuse"),
            "LIGHT": _src_param("light"),
            "POPULATION": _src_param("population"),
            "TOTALS": _src_param("totals"),
            "REGIONS": _src_param("regions"),
            "REGION_FIELD": _src_param("region_field"),
            "YEAR": _src_param("year"),
            "SCHEME": _src_static(0),
        },
        {
            "OUTPUT": ("Emissions", "Gridded emissions"),
            "OUTPUT_REPORT": ("Downscaling report", "Allocation per region and category"),
        },
    )
    emissions = _src_child("downscale", "OUTPUT")
    _child(
        model,
        "carbon:emissionstatistics",
        "statistics",
        "Emission statistics",
        QPointF(720, 60),
        {
            "RASTERS": emissions,
            "YEARS": _src_param("year"),
        },
        {"OUTPUT": ("Statistics", "Total, peak, mean, std of the year")},
    )
    _child(
        model,
        "carbon:meancentertrajectory",
        "centre",
        "Mean centre",
        QPointF(720, 160),
        {
            "RASTERS": emissions,
            "YEARS": _src_param("year"),
        },
        {"OUTPUT_CENTERS": ("Mean centre", "Weighted mean centre")},
    )
    _child(
        model,
        "carbon:directionaldistribution",
        "ellipse",
        "Standard deviational ellipse",
        QPointF(720, 260),
        {
            "RASTERS": emissions,
            "YEARS": _src_param("year"),
            "ELLIPSE_SIZE": _src_static(0),
            "METHOD": _src_static(0),
        },
        {"OUTPUT": ("Ellipse", "Standard deviational ellipse")},
    )
    _child(
        model,
        "carbon:globalmoransi",
        "moran",
        "Global Moran's I",
        QPointF(720, 360),
        {
            "INPUT": emissions,
            "BAND": _src_static(1),
            "NEIGHBORHOOD": _src_param("neighborhood"),
        },
        {},
    )
    _child(
        model,
        "carbon:hotspots",
        "hotspots",
        "Gi* hot spots",
        QPointF(720, 460),
        {
            "INPUT": emissions,
            "BAND": _src_static(1),
            "NEIGHBORHOOD": _src_param("neighborhood"),
        },
        {"OUTPUT_RASTER": ("Hot spots", "Gi* z-score, p-value and bin")},
    )
    _complete_child_parameters(model)
    model.setParameterOrder(PARAMETER_ORDER)
    return model


def _complete_child_parameters(model):
    """Give every child parameter the model does not set its algorithm's default (a static value).

    Without this the Modeler marks the children invalid ("Parameter DISTANCE is mandatory")
    even though ``processing.run`` would fall back to the defaults. Needs the ``carbon``
    provider registered, so the child algorithms and their parameters are known.
    """
    for child_id, child in model.childAlgorithms().items():
        child.reattach()
        alg = child.algorithm()
        if alg is None:
            raise RuntimeError(f"{child.algorithmId()} is not registered: is the carbon provider loaded?")
        sources = child.parameterSources()
        for definition in alg.parameterDefinitions():
            if definition.isDestination() or definition.name() in sources:
                continue
            default = definition.defaultValue()
            if default is None:
                if not definition.flags() & QgsProcessingParameterDefinition.Flag.FlagOptional:
                    raise RuntimeError(f"{child_id}: {definition.name()} has no default; set it in the model.")
                continue
            child.addParameterSources(definition.name(), _src_static(default))
        model.setChildAlgorithm(child)


def _register_provider():
    """Register this checkout's ``carbon`` provider (imported as ``carbon_spacetime``)."""
    plugins = os.path.join(ROOT, ".build", "plugins")
    os.makedirs(plugins, exist_ok=True)
    link = os.path.join(plugins, "carbon_spacetime")
    if not os.path.exists(link):
        os.symlink(ROOT, link, target_is_directory=True)
    sys.path.insert(0, plugins)
    from carbon_spacetime.algorithms.provider import CarbonProvider

    provider = CarbonProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    return provider


def main(target=TARGET):
    app = QgsApplication([], False)
    app.initQgis()
    provider = _register_provider()  # noqa: F841 - keep the provider alive while the model is built
    model = build_model()
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if not model.toFile(target):
        print(f"could not write {target}", file=sys.stderr)
        return 1
    check = QgsProcessingModelAlgorithm()
    if not check.fromFile(target) or len(check.childAlgorithms()) != 6:
        print(f"{target} does not load back", file=sys.stderr)
        return 1
    ok, problems = check.validate()
    if not ok:
        print(f"{target} is not valid: {problems}", file=sys.stderr)
        return 1
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
