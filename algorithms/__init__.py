"""QGIS Processing glue: one module per algorithm, no math here (that is ``core``)."""
