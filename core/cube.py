"""The space-time cube: observations arranged as years x locations.

Emerging hot spot analysis needs every location observed once in every year. From a
layer with one feature per location per year, :func:`space_time_cube` builds the
``T x N`` array (years sorted, locations in order of first appearance) and says which
location-year is duplicated or missing; from yearly rasters on one grid,
:func:`complete_locations` keeps the cells with a value in every year.
"""

from dataclasses import dataclass

import numpy as np

from .grid import complete_cells


class IncompleteCubeError(ValueError):
    """The observations do not fill the cube exactly once.

    Attributes
    ----------
    kind : str
        ``"years"`` (fewer than ``min_years`` distinct years), ``"duplicate"`` (a location
        observed more than once in a year) or ``"missing"`` (location-years without an
        observation).
    years : list
        The distinct years, sorted.
    year, location :
        The first offending year and location key (``None`` for ``"years"``).
    count : int
        Observations of that location in that year (``"duplicate"``), or the number of
        missing location-years (``"missing"``).
    """

    def __init__(self, kind, years, year=None, location=None, count=0):
        self.kind, self.years, self.year, self.location, self.count = kind, years, year, location, count
        super().__init__(f"{kind}: year {year}, location {location!r}, count {count}")


@dataclass
class SpaceTimeCube:
    """Observations as a ``(T, N)`` array of years x locations."""

    years: list  # distinct years, sorted
    locations: list  # location keys, in order of first appearance
    values: np.ndarray  # (T, N)
    final: np.ndarray  # (N,) index of each location's observation in the final year


def space_time_cube(years, locations, values, min_years=1):
    """Arrange observations (one per location per year) as a years x locations array.

    Parameters
    ----------
    years : sequence of int
        Year of each observation.
    locations : sequence of hashable
        Location key of each observation (an id, or a geometry's WKB).
    values : (n,) array_like
        Value of each observation.
    min_years : int
        Fewest distinct years accepted.

    Returns
    -------
    SpaceTimeCube

    Raises
    ------
    IncompleteCubeError
        Fewer than ``min_years`` years, a location observed twice in a year, or a
        location-year without an observation (the first offending one, by year then
        location).

    Examples
    --------
    >>> cube = space_time_cube([2001, 2000, 2000, 2001], ["b", "a", "b", "a"], [4.0, 1.0, 2.0, 3.0])
    >>> cube.years, cube.locations, cube.values.tolist(), cube.final.tolist()
    ([2000, 2001], ['b', 'a'], [[2.0, 1.0], [4.0, 3.0]], [0, 3])
    """
    year_of = np.asarray(years)
    distinct = sorted(set(year_of.tolist()))
    if len(distinct) < min_years:
        raise IncompleteCubeError("years", distinct)
    order = {}
    for key in locations:
        order.setdefault(key, len(order))
    names = list(order)
    loc = np.array([order[key] for key in locations], dtype=np.int64)
    year_index = np.searchsorted(distinct, year_of)
    t, n = len(distinct), len(names)
    counts = np.bincount(year_index * n + loc, minlength=t * n).reshape(t, n)
    if np.any(counts > 1):
        y, i = np.argwhere(counts > 1)[0]
        raise IncompleteCubeError("duplicate", distinct, distinct[y], names[i], int(counts[y, i]))
    if np.any(counts == 0):
        y, i = np.argwhere(counts == 0)[0]
        raise IncompleteCubeError("missing", distinct, distinct[y], names[i], int((counts == 0).sum()))
    cube = np.empty((t, n))
    cube[year_index, loc] = np.asarray(values, dtype=np.float64)
    in_final = year_index == t - 1
    final = np.empty(n, dtype=np.int64)
    final[loc[in_final]] = np.flatnonzero(in_final)
    return SpaceTimeCube(distinct, names, cube, final)


def complete_locations(stack):
    """The columns of a ``(T, N)`` stack with a finite value in every row.

    Returns
    -------
    values : (T, n) array
        ``stack`` itself when every column is complete, else a copy of the complete ones.
    mask : (N,) bool array
        Which columns are complete.

    Examples
    --------
    >>> values, mask = complete_locations(np.array([[1.0, np.nan, 3.0], [4.0, 5.0, 6.0]]))
    >>> values.tolist(), mask.tolist()
    ([[1.0, 3.0], [4.0, 6.0]], [True, False, True])
    """
    mask = complete_cells(*stack)  # row by row: no (T, N) boolean temporary
    return (stack if mask.all() else stack[:, mask]), mask
