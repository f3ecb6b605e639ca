"""Shared base class and helpers for every Carbon Spacetime algorithm."""

import os

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterDefinition,
)
from qgis.PyQt.QtGui import QIcon

from . import _i18n
from ._outputs import guarded_run, track_sink

PLUGIN_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESOURCES_DIR = os.path.join(PLUGIN_DIR, "resources")


def icon_path(name):
    return os.path.join(RESOURCES_DIR, "icons", name)


def style_path(name):
    """Absolute path of a ``.qml`` style shipped in ``resources/styles``."""
    if not name.endswith(".qml"):
        name += ".qml"
    return os.path.join(RESOURCES_DIR, "styles", name)


class CarbonAlgorithm(QgsProcessingAlgorithm):
    """Base of all algorithms: id, name, group, icon, help and ``tr`` in one place.

    Subclasses set the class attributes below and implement
    ``initAlgorithm`` and ``processAlgorithm``.
    """

    ALG_ID = ""  # e.g. "meancentertrajectory" -> "carbon:meancentertrajectory"
    DISPLAY_NAME = ""
    GROUP = ""
    GROUP_ID = ""
    ICON = "carbon.svg"

    def __init_subclass__(cls, **kwargs):
        """Run every subclass's ``processAlgorithm`` inside the output guard (``_outputs``).

        Outputs are checked for writability up front, written to a staging folder and
        moved into place only when the run succeeds; Ctrl-C cancels. One place for all tools.
        """
        super().__init_subclass__(**kwargs)
        process = cls.__dict__.get("processAlgorithm")
        if process is None or getattr(process, "_carbon_guarded", False):
            return

        def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API
            return guarded_run(
                lambda p, c, f: process(self, p, c, f), self, parameters, context, feedback
            )

        processAlgorithm._carbon_guarded = True
        processAlgorithm.__doc__ = process.__doc__
        cls.processAlgorithm = processAlgorithm

    def createInstance(self):  # noqa: N802 - QGIS API
        return type(self)()

    def parameterAsSink(self, parameters, name, context, *args, **kwargs):  # noqa: N802 - QGIS API
        """QGIS's ``parameterAsSink``; the output guard keeps track of the sink (see ``_outputs``)."""
        sink, dest = super().parameterAsSink(parameters, name, context, *args, **kwargs)
        track_sink(self, sink)
        return sink, dest

    def name(self):
        return self.ALG_ID

    def displayName(self):  # noqa: N802 - QGIS API
        return self.tr(self.DISPLAY_NAME)

    def group(self):
        return self.tr(self.GROUP)

    def groupId(self):  # noqa: N802 - QGIS API
        return self.GROUP_ID

    def icon(self):
        path = icon_path(self.ICON)
        if not os.path.exists(path):
            path = icon_path("carbon.svg")
        return QIcon(path)

    def shortHelpString(self):  # noqa: N802 - QGIS API
        # resources/help/<id>.html (or its translation). The help panel turns every line break
        # into a paragraph: the HTML is one line.
        return " ".join(_i18n.help_text(self.ALG_ID).split())

    def tr(self, text):
        """``text`` translated (one context for the whole plugin, see ``_i18n``)."""
        return _i18n.tr(text)

    def fail(self, text):
        """Raise a user-facing error (``text`` says what is wrong and what to do)."""
        raise QgsProcessingException(self.tr(text))

    def add_parameter(self, param, help_text, advanced=False):
        """Add ``param`` with its tooltip ``help_text`` (translated); ``advanced``: under *Advanced parameters*.

        The help text is given as a literal (``add_parameter(param, "...")``, or the second item of
        ``(param, "...")`` pairs in a list named ``params``) so that ``tools/i18n.py`` extracts it.
        """
        param.setHelp(self.tr(help_text))
        if advanced:
            param.setFlags(param.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
        self.addParameter(param)
        return param


def progress_callback(feedback, start=0.0, end=100.0):
    """A ``progress(fraction, message=None)`` callable for ``core`` functions.

    Core functions take such a callable (never QGIS objects): it maps ``fraction``
    (0..1) onto ``start``..``end`` percent of ``feedback`` and raises a
    ``QgsProcessingException`` as soon as the user cancels, which unwinds the
    computation promptly.
    """

    def callback(fraction, message=None):
        if feedback is None:
            return
        if feedback.isCanceled():
            raise QgsProcessingException("Cancelled by the user.")
        feedback.setProgress(start + (end - start) * min(max(float(fraction), 0.0), 1.0))
        if message:
            feedback.setProgressText(message)

    return callback


class WeightedSteps:
    """Progress of a run made of stages of unequal expected cost.

    ``QgsProcessingMultiStepFeedback`` gives every step the same share of the bar, so a
    study whose last stages (MGWR) take most of the time reached 75 % in seconds and then
    crawled. Here each stage gets ``weight / total`` of the bar; ``feedback_for(weight)``
    returns the feedback to hand the stage (messages go to the parent unchanged, its
    0-100 % progress maps onto the stage's share, cancelling the parent cancels it).
    """

    def __init__(self, feedback, total_weight):
        self.feedback = feedback
        self.total = float(total_weight) or 1.0
        self.done = 0.0
        self._current = None

    def feedback_for(self, weight):
        start = 100.0 * self.done / self.total
        self.done = min(self.done + weight, self.total)
        end = 100.0 * self.done / self.total
        self._current = _StageFeedback(self.feedback, start, end)
        self.feedback.setProgress(start)
        return self._current

    def finish(self):
        self.feedback.setProgress(100.0)


class _StageFeedback(QgsProcessingFeedback):
    """Forwards messages to ``parent`` and maps its progress onto ``start``..``end`` percent."""

    def __init__(self, parent, start, end):
        super().__init__()
        self._parent = parent
        self._start, self._end = start, end
        self.progressChanged.connect(self._forward_progress)
        parent.canceled.connect(self.cancel)
        if parent.isCanceled():
            self.cancel()

    def _forward_progress(self, progress):
        self._parent.setProgress(self._start + (self._end - self._start) * min(max(progress, 0.0), 100.0) / 100.0)

    def setProgressText(self, text):  # noqa: N802 - QGIS API
        self._parent.setProgressText(text)

    def pushInfo(self, info):  # noqa: N802 - QGIS API
        self._parent.pushInfo(info)

    def pushWarning(self, warning):  # noqa: N802 - QGIS API
        self._parent.pushWarning(warning)

    def reportError(self, error, fatalError=False):  # noqa: N802, N803 - QGIS API
        self._parent.reportError(error, fatalError)

    def pushCommandInfo(self, info):  # noqa: N802 - QGIS API
        self._parent.pushCommandInfo(info)

    def pushDebugInfo(self, info):  # noqa: N802 - QGIS API
        self._parent.pushDebugInfo(info)

    def pushConsoleInfo(self, info):  # noqa: N802 - QGIS API
        self._parent.pushConsoleInfo(info)
