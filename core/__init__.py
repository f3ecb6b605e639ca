"""Pure numpy/scipy computations of Carbon Spacetime.

Nothing below this package imports QGIS or Qt, so every statistic can be used
and tested on its own.
"""
