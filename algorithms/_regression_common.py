"""QGIS glue shared by the regression algorithm: number formatting of its tables and report.

The coefficient style lives with every other style (``_styles``, result kind ``coefficients``).
"""

from ..core.formatting import format_fixed

fmt = format_fixed
