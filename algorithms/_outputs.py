"""Outputs are written whole or not at all: staging, writability checks, cancel on Ctrl-C.

Every Carbon Spacetime algorithm runs inside :func:`guarded_run` (installed by
``CarbonAlgorithm`` for each subclass's ``processAlgorithm``). Before the algorithm
starts, each file-based destination (feature sink, raster, vector, file) is

1. checked: its folder must exist or be creatable and be writable, the path must not
   be a folder (or, for a folder destination, not a file), an existing file must be
   replaceable -- otherwise the run is refused with a clear message;
2. redirected into a private staging folder next to it,
   ``.carbon-part-<pid>-<random>/<file name>``, so the algorithm (and Processing's own
   feature sinks, which write directly to their destination) only ever writes there.
   The file name, and hence a GeoPackage's layer name, stays the same.

When ``processAlgorithm`` returns, each staged output (with its side files, e.g. a
shapefile's ``.dbf``) is renamed into place -- a rename within one folder -- and the
results and layers-to-load are pointed at the final paths. When it raises (a refusal,
an error, a cancel), the staging folders are deleted: nothing is left at any output
path and an older file there is untouched. A run that is killed (SIGKILL, SIGTERM,
power loss) leaves only a staging folder, which the next run into that folder removes
(stale: its process is gone, or it is older than a day where processes cannot be
checked).

Ctrl-C (SIGINT) while an algorithm runs in the main thread (``qgis_process``) cancels
the run like the dialog's Cancel button: a handler is installed for the duration of
the run only and the previous handler is restored afterwards.

The folder and file checks themselves are ``_io.prepare_folder`` / ``_io.check_replaceable``,
shared with ``_io``'s writers (one file written atomically); this module stages a whole run.
"""

import gc
import os
import re
import shutil
import signal
import sys
import threading
import time
import uuid
import weakref

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputLayerDefinition,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterVectorDestination,
    QgsProperty,
)

from ._io import PART_INFIX, check_replaceable, prepare_folder, remove_created

PART_PREFIX = ".carbon-part-"
_PART_RE = re.compile(r"^\.carbon-part-(\d+)-[0-9a-f]+$")
# Temporary files of ``_io.atomic_path`` (``.<name>.part-<pid>-<hex><ext>``), same pid test.
_PART_FILE_RE = re.compile(r"^\..+" + re.escape(PART_INFIX) + r"(\d+)-[0-9a-f]{8}(\.[^/]*)?$")
# Temporaries of earlier versions of the plugin (cleaned when stale by age only).
_LEGACY_RE = re.compile(r"^(\..+\.part\.tif|\..+\.part\.html|\.study-partial-\d+-\d+)$")
STALE_AGE_S = 24 * 3600.0


def _pid_alive(pid):
    if pid == os.getpid():
        return True
    if sys.platform.startswith("win"):
        return None  # unknown: fall back on age
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return None
    return True


def clean_stale_temporaries(directory):
    """Remove staging folders of our own naming left in ``directory`` by killed runs.

    Returns the number of entries removed.
    """
    removed = 0
    try:
        names = os.listdir(directory)
    except OSError:
        return 0
    now = time.time()
    for name in names:
        path = os.path.join(directory, name)
        match = _PART_RE.match(name) or _PART_FILE_RE.match(name)
        if match:
            alive = _pid_alive(int(match.group(1)))
            if alive is None:
                try:
                    alive = now - os.path.getmtime(path) < STALE_AGE_S
                except OSError:
                    continue
            if alive:
                continue
        elif _LEGACY_RE.match(name):
            try:
                if now - os.path.getmtime(path) < 3600.0:
                    continue
            except OSError:
                continue
        else:
            continue
        try:
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            else:
                os.remove(path)
            removed += 1
        except OSError:
            pass
    return removed


def _is_file_destination(text):
    """True for a plain file path (not memory:, TEMPORARY_OUTPUT, a provider URI or layer option)."""
    if not text or text == "TEMPORARY_OUTPUT" or "|" in text:
        return False
    return re.match(r"^[A-Za-z][\w-]{2,}:", text) is None


class _Staged:
    def __init__(self, key, final, stage_dir, created_dirs):
        self.key = key
        self.final = final
        self.stage_dir = stage_dir
        self.staged = os.path.join(stage_dir, os.path.basename(final))
        self.created_dirs = created_dirs


def _make_stage_dir(directory, what, created):
    stage = os.path.join(directory, f"{PART_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:12]}")
    try:
        os.mkdir(stage)
    except OSError as err:
        remove_created(created)
        raise QgsProcessingException(
            f"Cannot write {what} in '{directory}' ({err.strerror or err}). "
            "Choose a folder you can write to."
        ) from None
    return stage


class StagedFolder:
    """Many outputs of one run for one folder: written into a private staging folder inside it,
    moved into place together by :meth:`commit`, deleted (with anything left in it) on exit.

    Use it as a context manager around the work; a run that raises leaves the folder as it was.
    """

    def __init__(self, folder, what="the output folder"):
        self.folder, self.what, self.path = folder, what, None

    def __enter__(self):
        self.path = _make_stage_dir(self.folder, self.what, [])
        return self

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)
        return False

    def commit(self, skip=()):
        """Move every staged entry but those named in ``skip`` into the folder (replacing older ones)."""
        gc.collect()  # files still referenced by dead frames close here
        for name in sorted(os.listdir(self.path)):
            if name not in skip:
                _move_into_place(os.path.join(self.path, name), os.path.join(self.folder, name))


def _move_into_place(source, target):
    if os.path.isdir(target) and not os.path.isdir(source):
        raise QgsProcessingException(f"Cannot write '{target}': it is a folder. Move it away or choose "
                                     "another output.")
    os.replace(source, target)


def check_folder_output(path, what="the output folder"):
    """Refuse a folder destination that is a file or cannot be created/written."""
    if os.path.exists(path) and not os.path.isdir(path):
        raise QgsProcessingException(
            f"Cannot write {what}: '{path}' exists and is a file, not a folder. "
            "Choose a folder (new or existing)."
        )
    created = prepare_folder(os.path.abspath(path), what)  # creates it (removed again if the run fails)
    clean_stale_temporaries(path)
    return created


def _stage_outputs(alg, parameters, context):
    """Check every file destination and redirect it into a staging folder."""
    params = dict(parameters)
    staged, created_all = [], []
    try:
        for definition in alg.destinationParameterDefinitions():
            key = definition.name()
            if key not in params or params[key] is None:
                continue
            what = f"'{definition.description()}' ({key})"
            if isinstance(definition, QgsProcessingParameterFolderDestination):
                folder = alg.parameterAsFileOutput(params, key, context)
                if folder:
                    created_all += check_folder_output(folder, what)
                continue
            value = params[key]
            if isinstance(value, QgsProcessingOutputLayerDefinition):
                prop = value.sink
                text = prop.staticValue() if prop.propertyType() == QgsProperty.StaticProperty else None
                text = str(text) if text is not None else None
            else:
                text = str(value) if value is not None else None
            if text is None or not _is_file_destination(text):
                continue
            if isinstance(definition, (QgsProcessingParameterFeatureSink, QgsProcessingParameterVectorDestination,
                                       QgsProcessingParameterRasterDestination)):
                final = alg.parameterAsOutputLayer(params, key, context)
            else:
                final = alg.parameterAsFileOutput(params, key, context)
            if not final or not _is_file_destination(final):
                continue
            final = os.path.abspath(final)
            check_replaceable(final, what)
            directory = os.path.dirname(final)
            created = prepare_folder(directory, what)
            created_all += created
            clean_stale_temporaries(directory)
            stage = _make_stage_dir(directory, what, created)
            item = _Staged(key, final, stage, created)
            staged.append(item)
            if isinstance(value, QgsProcessingOutputLayerDefinition):
                new = QgsProcessingOutputLayerDefinition(value)
                new.sink = QgsProperty.fromValue(item.staged)
                params[key] = new
            else:
                params[key] = item.staged
    except BaseException:
        _discard(staged)
        remove_created(created_all)
        raise
    return params, staged, created_all


def _discard(staged):
    for item in staged:
        shutil.rmtree(item.stage_dir, ignore_errors=True)


def track_sink(alg, sink):
    """Remember (weakly) a feature sink that ``alg`` opened during its guarded run.

    A sink closes its file when it is deleted; one still referenced by a dead frame
    (a reference cycle) is deleted only by a garbage collection, which :func:`_commit`
    runs before it moves the staged files, but only then: a full collection of a
    QGIS process takes 40-50 ms.
    """
    sinks = getattr(alg, "_carbon_sinks", None)
    if sinks is None or sink is None:
        return
    try:
        sinks.append(weakref.ref(sink))
    except TypeError:  # no weak reference to this object: always collect
        sinks.append(lambda: True)


def _commit(staged, results, context, sinks=()):
    """Move staged outputs into place and point results/layers-to-load at them."""
    if staged and any(alive() is not None for alive in sinks):
        gc.collect()  # sinks still referenced by dead frames close their files here
    renames = {}
    for item in staged:
        stem = os.path.splitext(os.path.basename(item.final))[0]
        for name in sorted(os.listdir(item.stage_dir)):
            source = os.path.join(item.stage_dir, name)
            if name == os.path.basename(item.final):
                target = item.final
            elif name.startswith(stem):
                target = os.path.join(os.path.dirname(item.final), name)
            else:
                continue
            _move_into_place(source, target)
        shutil.rmtree(item.stage_dir, ignore_errors=True)
        renames[item.staged] = item.final
        renames[os.path.normpath(item.staged)] = item.final
    if not renames:
        return results
    out = {}
    for key, value in (results or {}).items():
        if isinstance(value, str):
            for staged_path, final in renames.items():
                if value == staged_path or value.startswith(staged_path + "|"):
                    value = final + value[len(staged_path):]
                    break
        out[key] = value
    layers = context.layersToLoadOnCompletion()
    changed = False
    remapped = {}
    # The copies in ``layers`` lose their post-processors (styles), and QGIS deletes the
    # originals with the replaced details: hand each remapped entry a clone of its processor.
    processors = {}
    for layer_id, details in layers.items():
        new_id = layer_id
        for staged_path, final in renames.items():
            if layer_id == staged_path or layer_id.startswith(staged_path + "|"):
                new_id = final + layer_id[len(staged_path):]
                changed = True
                break
        remapped[new_id] = details
        processor = context.layerToLoadOnCompletionDetails(layer_id).postProcessor()
        if processor is not None and hasattr(processor, "clone"):
            processors[new_id] = processor.clone()
    if changed:
        from ._styles import keep_alive  # the one keep-alive registry (imported here: no import cycle)

        context.setLayersToLoadOnCompletion(remapped)
        for new_id, processor in processors.items():
            keep_alive(new_id, processor)  # QGIS keeps only a raw pointer
            context.layerToLoadOnCompletionDetails(new_id).setPostProcessor(processor)
    return out


class _InterruptToCancel:
    """Ctrl-C cancels the run (main thread only); the previous handler comes back after."""

    def __init__(self, feedback):
        self.feedback = feedback
        self.previous = None
        self.installed = False

    def __enter__(self):
        if self.feedback is None or threading.current_thread() is not threading.main_thread():
            return self
        try:
            self.previous = signal.getsignal(signal.SIGINT)
            signal.signal(signal.SIGINT, self._handle)
            self.installed = True
        except (ValueError, OSError, TypeError):
            self.installed = False
        return self

    def _handle(self, signum, frame):
        self.feedback.reportError("Interrupted (Ctrl-C): cancelling, no partial output will be left.")
        self.feedback.cancel()

    def __exit__(self, *exc):
        if self.installed:
            try:
                signal.signal(signal.SIGINT, self.previous if self.previous is not None else signal.SIG_DFL)
            except (ValueError, OSError, TypeError):
                pass
        return False


def guarded_run(process, alg, parameters, context, feedback):
    """Run ``process(parameters, context, feedback)`` with staged, all-or-nothing outputs."""
    params, staged, created = _stage_outputs(alg, parameters, context)
    alg._carbon_sinks = []  # filled by track_sink (CarbonAlgorithm.parameterAsSink)
    ok = False
    try:
        with _InterruptToCancel(feedback):
            results = process(params, context, feedback)
            if feedback is not None and feedback.isCanceled():
                raise QgsProcessingException("Cancelled by the user: no output was written.")
        results = _commit(staged, results, context, alg._carbon_sinks)
        ok = True
        return results
    except MemoryError as error:
        raise QgsProcessingException(
            f"{alg.displayName()} ran out of memory: close other programs, or make the input "
            "smaller (clip or aggregate it); no output was written.") from error
    finally:
        if not ok:
            _discard(staged)
            remove_created(created)
