"""Where a weighted point pattern sits and how it is spread: mean centre and ellipse.

All coordinates are planar, in the units of the caller's (projected) coordinate
system; the Processing glue hands in metres. Angles are bearings: degrees
clockwise from grid north.

Examples
--------
>>> import numpy as np
>>> xy = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0], [2.0, 2.0]])
>>> weighted_mean_centre(xy, np.array([1.0, 1.0, 1.0, 5.0]))
MeanCentre(x=1.5, y=1.5, weight_sum=8.0, count=4)
>>> compass_direction(225.0)
'SW'
"""

from dataclasses import dataclass, replace

import numpy as np

from .numerics import FLAT_AXIS_RATIO

#: Correction of the axes for each convention (see ``standard_deviational_ellipse``).
ELLIPSE_METHODS = ("arcgis", "crimestat", "yuill")

_COMPASS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")


@dataclass(frozen=True)
class MeanCentre:
    x: float
    y: float
    weight_sum: float
    count: int


@dataclass(frozen=True)
class Ellipse:
    """A standard deviational ellipse.

    ``x_std``/``y_std`` are ArcGIS's ``XStdDist``/``YStdDist``: the standard
    distances (semi-axis lengths) along the ellipse's own x and y axes, after the
    method's correction and multiplied by the number of standard deviations.
    The ellipse's y axis points at bearing ``theta`` and its x axis at
    ``theta + 90``. ``rotation`` is ArcGIS's ``Rotation``: the bearing of the
    long axis, 0-180 degrees clockwise from north, so here it equals
    ``major_bearing``.
    """

    center_x: float
    center_y: float
    x_std: float
    y_std: float
    theta: float  # degrees, 0 <= theta < 90: bearing of the ellipse's y axis
    rotation: float
    count: int
    weight_sum: float

    @property
    def major(self):
        return max(self.x_std, self.y_std)

    @property
    def minor(self):
        return min(self.x_std, self.y_std)

    @property
    def major_bearing(self):
        return self.rotation

    @property
    def area(self):
        return float(np.pi * self.x_std * self.y_std)

    @property
    def is_flat(self):
        """True when the points lie on one line (or one spot): the ellipse has no width.

        Decided relative to the long axis (:data:`.numerics.FLAT_AXIS_RATIO`): rounding
        leaves a short axis of about 1e-8 of the long one for exactly collinear points.
        """
        return not self.minor > FLAT_AXIS_RATIO * self.major

    @property
    def flattening(self):
        return 1.0 - self.minor / self.major if self.major > 0 else 0.0


def _weights(xy, weights):
    xy = np.asarray(xy, dtype=float)
    if xy.ndim != 2 or xy.shape[1] != 2:
        raise ValueError("Coordinates must be an (n, 2) array.")
    if len(xy) == 0:
        raise ValueError("There are no points: the layer is empty or every feature was skipped.")
    if not np.all(np.isfinite(xy)):
        raise ValueError("Some coordinates are not finite numbers.")
    if weights is None:
        w = np.ones(len(xy))
    else:
        w = np.asarray(weights, dtype=float)
        if w.shape != (len(xy),):
            raise ValueError("There must be one weight per point.")
        if not np.all(np.isfinite(w)):
            raise ValueError("Some weights are not finite numbers (null, NaN or infinite).")
        if np.any(w < 0):
            raise ValueError(
                f"{int(np.sum(w < 0))} weight(s) are negative. Weights must be zero or positive; "
                "filter the features or choose another weight field."
            )
    # Scale by the largest weight before summing or multiplying, so weights near the
    # float limit (1e300) still give finite centres and axes.
    top = float(w.max())
    if not top > 0:
        raise ValueError("All weights are zero, so there is no centre. Choose another weight field.")
    if 1e-100 <= top <= 1e100:
        top = 1.0  # ordinary weights: results unchanged bit for bit
    w = w / top
    scaled_total = float(w.sum())
    total = scaled_total * top
    if not np.isfinite(total):
        raise ValueError(
            f"The weights are too large: their sum exceeds {np.finfo(float).max:.3g}. "
            "Rescale the weight field (e.g. divide it by 1e6) and run again."
        )
    return xy, w, scaled_total, total


def _dot(a, b):
    # einsum, not np.dot: a BLAS call wakes OpenBLAS's thread pool, which costs
    # milliseconds per call between other numpy work on 1-D vectors.
    return np.einsum("i,i->", a, b)


def _centre(x, y, w, total):
    # Shift by a reference point so that large projected coordinates keep precision.
    x0, y0 = x[0], y[0]
    return x0 + _dot(w, x - x0) / total, y0 + _dot(w, y - y0) / total


def weighted_mean_centre(xy, weights=None):
    """Weighted mean centre ``(sum w x / sum w, sum w y / sum w)``.

    Parameters
    ----------
    xy : (n, 2) array of planar coordinates.
    weights : (n,) array of non-negative weights, or None for equal weights.
    """
    xy, w, scaled_total, total = _weights(xy, weights)
    cx, cy = _centre(xy[:, 0], xy[:, 1], w, scaled_total)
    return MeanCentre(float(cx), float(cy), total, int(np.count_nonzero(w)))


def standard_deviational_ellipse(xy, weights=None, n_std=1.0, method="arcgis"):
    """Standard deviational ellipse of a (weighted) point pattern.

    The rotation follows Yuill (1971) and ArcGIS:
    ``tan(theta) = (A + sqrt(A**2 + 4 B**2)) / (2 B)`` with ``A = sum w x'**2 -
    sum w y'**2`` and ``B = sum w x' y'`` (deviations from the weighted mean
    centre), folded into ``0 <= theta < 90``. The standard distances along the
    rotated axes are ``sqrt(sum w (x' cos - y' sin)**2 / sum w)`` and
    ``sqrt(sum w (x' sin + y' cos)**2 / sum w)``, then corrected:

    - ``"arcgis"`` (ArcGIS Pro): times sqrt(2);
    - ``"crimestat"``: times sqrt(2) * sqrt(N / (N - 2)), N the number of points
      with a positive weight (needs N > 2);
    - ``"yuill"``: no correction;

    and multiplied by ``n_std`` (1, 2 or 3 standard deviations).

    Note: CrimeStat's (and pointpats') formula for the second axis uses
    ``(x' sin - y' cos)``; that is a known error (Wang et al., 2015), so the
    ``crimestat`` method here only takes CrimeStat's correction factor.

    Raises
    ------
    ValueError
        Fewer than 3 points with a positive weight, or invalid weights.
    """
    if method not in ELLIPSE_METHODS:
        raise ValueError(f"Unknown ellipse method {method!r}; use one of {ELLIPSE_METHODS}.")
    xy, w, scaled_total, total = _weights(xy, weights)
    count = int(np.count_nonzero(w))
    if count < 3:
        raise ValueError(
            f"A standard deviational ellipse needs at least 3 points with a positive weight; "
            f"there are {count}."
        )
    x, y = np.ascontiguousarray(xy[:, 0]), np.ascontiguousarray(xy[:, 1])
    cx, cy = _centre(x, y, w, scaled_total)
    dx = x - cx
    dy = y - cy
    wdx = w * dx
    sxx = float(_dot(wdx, dx))
    syy = float(_dot(w * dy, dy))
    sxy = float(_dot(wdx, dy))
    a = sxx - syy
    denom = 2.0 * sxy
    if abs(denom) <= 1e-14 * (sxx + syy):
        theta = 0.0
    else:
        theta = float(np.arctan((a + np.hypot(a, denom)) / denom))
    if theta < 0.0:
        theta += np.pi / 2.0
    s, c = np.sin(theta), np.cos(theta)
    var_x = (sxx * c * c - 2.0 * sxy * s * c + syy * s * s) / scaled_total
    var_y = (sxx * s * s + 2.0 * sxy * s * c + syy * c * c) / scaled_total
    factor = float(n_std)
    if method == "arcgis":
        factor *= np.sqrt(2.0)
    elif method == "crimestat":
        factor *= np.sqrt(2.0) * np.sqrt(count / (count - 2.0))
    x_std = factor * np.sqrt(max(var_x, 0.0))
    y_std = factor * np.sqrt(max(var_y, 0.0))
    theta_deg = float(np.degrees(theta))
    rotation = theta_deg + 90.0 if x_std > y_std else theta_deg
    return Ellipse(
        center_x=float(cx),
        center_y=float(cy),
        x_std=float(x_std),
        y_std=float(y_std),
        theta=theta_deg,
        rotation=rotation % 180.0,
        count=count,
        weight_sum=total,
    )


def ellipse_outline(ellipse, vertices=180):
    """Closed ring of ``vertices + 1`` points (x, y) on the ellipse, clockwise.

    The ellipse's y axis (length ``y_std``) points at bearing ``theta`` and its
    x axis (``x_std``) at ``theta + 90``.
    """
    if vertices < 8:
        raise ValueError("An ellipse outline needs at least 8 vertices.")
    t = np.linspace(0.0, 2.0 * np.pi, vertices + 1)
    t[-1] = 0.0
    u = ellipse.x_std * np.cos(t)  # along the ellipse x axis
    v = -ellipse.y_std * np.sin(t)  # along the ellipse y axis; minus: clockwise ring
    theta = np.radians(ellipse.theta)
    s, c = np.sin(theta), np.cos(theta)
    # x axis unit vector: bearing theta + 90 -> (cos theta, -sin theta); y axis: (sin, cos).
    x = ellipse.center_x + u * c + v * s
    y = ellipse.center_y - u * s + v * c
    return np.column_stack([x, y])


def bearing(dx, dy):
    """Bearing of the vector (dx, dy): degrees clockwise from north, 0 <= b < 360."""
    return bearing_from_radians(np.arctan2(dx, dy))


def bearing_from_radians(radians):
    """A bearing given in radians clockwise from north (e.g. an ellipsoidal one) in degrees, 0 <= b < 360.

    Examples
    --------
    >>> bearing_from_radians(-np.pi / 2)
    270.0
    """
    degrees = float(np.degrees(radians) % 360.0)
    return 0.0 if degrees >= 360.0 else degrees  # (-1e-17) % 360 rounds to 360


def compass_direction(bearing_deg):
    """8-point compass word (N, NE, E, SE, S, SW, W, NW) for a bearing in degrees."""
    return _COMPASS[int(np.floor(((bearing_deg % 360.0) + 22.5) / 45.0)) % 8]


@dataclass(frozen=True)
class Shift:
    """The move of the centre between two consecutive time values."""

    from_time: object
    to_time: object
    from_xy: tuple
    to_xy: tuple
    distance: float  # in the coordinate units (times ``unit_to_km`` gives km)
    bearing: float
    direction: str
    distance_km: float
    km_per_year: float  # NaN when the time values are not years or dates

    def remeasured(self, distance_km, bearing_deg):
        """This shift with its length (km) and bearing measured otherwise, e.g. on the ellipsoid.

        The speed is scaled by the same ratio as the length and the compass
        direction follows the new bearing; ``distance`` (planar units) is kept.
        """
        km_per_year = self.km_per_year
        if np.isfinite(km_per_year):
            km_per_year = km_per_year * distance_km / self.distance_km
        return replace(self, distance_km=distance_km, bearing=bearing_deg,
                       direction=compass_direction(bearing_deg), km_per_year=km_per_year)


def time_span_years(a, b):
    """Years between two time values: numbers are years, dates count days/365.25.

    Returns NaN where the span cannot be expressed in years (text values).
    """
    try:
        return float(b) - float(a)
    except (TypeError, ValueError):
        pass
    try:
        return (b - a).total_seconds() / (365.25 * 86400.0)
    except (TypeError, AttributeError):
        pass
    try:
        return (b - a).days / 365.25
    except (TypeError, AttributeError):
        return float("nan")


def centre_shifts(times, centres, unit_to_km=0.001):
    """Shifts between consecutive centres (``times`` sorted as given).

    Parameters
    ----------
    times : sequence of time values, one per centre, in time order.
    centres : (m, 2) array of centre coordinates in a planar CRS.
    unit_to_km : factor from coordinate units to kilometres (0.001 for metres).
    """
    centres = np.asarray(centres, dtype=float)
    shifts = []
    for i in range(len(centres) - 1):
        dx, dy = centres[i + 1] - centres[i]
        dist = float(np.hypot(dx, dy))
        b = bearing(dx, dy) if dist > 0 else float("nan")
        span = time_span_years(times[i], times[i + 1])
        km = dist * unit_to_km
        shifts.append(
            Shift(
                from_time=times[i],
                to_time=times[i + 1],
                from_xy=tuple(centres[i]),
                to_xy=tuple(centres[i + 1]),
                distance=dist,
                bearing=b,
                direction=compass_direction(b) if dist > 0 else "",
                distance_km=km,
                km_per_year=km / span if span and np.isfinite(span) and span != 0 else float("nan"),
            )
        )
    return shifts


def circular_mean_longitude(lon):
    """Mean of longitudes (degrees) on the circle, in [-180, 180).

    Points straddling the antimeridian (179.5 and -179.5) have their centre at 180,
    not at 0 as the arithmetic mean (or the midpoint of the extent) would say.
    """
    lon = np.radians(np.asarray(lon, dtype=float))
    lon = lon[np.isfinite(lon)]
    if lon.size == 0:
        return 0.0
    s, c = np.sin(lon).mean(), np.cos(lon).mean()
    if np.hypot(s, c) < 1e-12:
        return float(np.degrees(lon[0]))
    return float(np.degrees(np.arctan2(s, c)))


def projection_centre(lonlat):
    """Centre of a local projection for geographic points: ``(lon0, lat0)`` in degrees.

    ``lon0`` is the circular mean longitude (:func:`circular_mean_longitude`, right across
    the antimeridian), ``lat0`` the middle of the latitude range; ``(0, 0)`` without a
    finite point.

    Examples
    --------
    >>> projection_centre([[179.5, 40.0], [-179.5, 44.0]])
    (180.0, 42.0)
    """
    xy = np.asarray(lonlat, dtype=float).reshape(-1, 2)
    xy = xy[np.isfinite(xy).all(axis=1)]
    if len(xy) == 0:
        return 0.0, 0.0
    lon0 = circular_mean_longitude(xy[:, 0])
    return lon0, float((xy[:, 1].min() + xy[:, 1].max()) / 2)


def group_by_time(times):
    """Sorted distinct time values and, for each, the indices of its observations.

    Values that cannot be compared with each other (mixed types) are ordered by
    their text.
    """
    times = list(times)
    distinct = list(dict.fromkeys(times))
    try:
        distinct.sort()
    except TypeError:
        distinct.sort(key=str)
    index = {value: i for i, value in enumerate(distinct)}
    codes = np.fromiter((index[t] for t in times), dtype=np.int64, count=len(times))
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(distinct) + 1))
    return distinct, [order[bounds[i]:bounds[i + 1]] for i in range(len(distinct))]
