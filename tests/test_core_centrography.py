"""Mean centre and standard deviational ellipse against hand-worked cases and pointpats."""

import numpy as np
import pytest
from carbon_spacetime.core.centrography import (
    centre_shifts,
    compass_direction,
    ellipse_outline,
    group_by_time,
    standard_deviational_ellipse,
    weighted_mean_centre,
)
from numpy.testing import assert_allclose


def rotated(points_uv, bearing_of_u, centre=(500_000.0, 4_300_000.0)):
    """Place points given along an axis u (bearing ``bearing_of_u``) and v (u + 90 deg... left)."""
    b = np.radians(bearing_of_u)
    u_dir = np.array([np.sin(b), np.cos(b)])
    v_dir = np.array([np.cos(b), -np.sin(b)])  # bearing + 90
    uv = np.asarray(points_uv, float)
    return np.asarray(centre) + uv[:, :1] * u_dir + uv[:, 1:] * v_dir


# A cross: mean u^2 = 9/2, mean v^2 = 1/2, sum(u v) = 0 -> principal axes known by hand.
CROSS = [[3, 0], [-3, 0], [0, 1], [0, -1]]


@pytest.mark.parametrize("bearing", [0.0, 10.0, 45.0, 60.0, 90.0, 100.0, 135.0, 170.0])
def test_rotated_cross_has_known_axes_and_rotation(bearing):
    xy = rotated(CROSS, bearing)
    e = standard_deviational_ellipse(xy, method="yuill")
    assert_allclose([e.center_x, e.center_y], [500_000.0, 4_300_000.0], atol=1e-8)
    assert_allclose(e.major, np.sqrt(4.5), rtol=1e-9)
    assert_allclose(e.minor, np.sqrt(0.5), rtol=1e-9)
    assert_allclose(e.rotation, bearing % 180.0, atol=1e-7)
    assert e.major_bearing == e.rotation
    arc = standard_deviational_ellipse(xy)  # ArcGIS: sqrt(2)
    assert_allclose([arc.major, arc.minor], [3.0, 1.0], rtol=1e-9)
    three = standard_deviational_ellipse(xy, n_std=3)
    assert_allclose([three.major, three.minor], [9.0, 3.0], rtol=1e-9)
    assert_allclose(arc.area, np.pi * 3.0, rtol=1e-9)
    assert_allclose(arc.flattening, 2.0 / 3.0, rtol=1e-9)


def test_arcgis_xstddist_ystddist_orientation():
    # Long axis at bearing 120: theta folds to 30 (ellipse y axis), the long axis is
    # the ellipse x axis -> XStdDist > YStdDist and Rotation = 30 + 90, as in ArcGIS.
    e = standard_deviational_ellipse(rotated(CROSS, 120.0))
    assert_allclose(e.theta, 30.0, atol=1e-9)
    assert e.x_std > e.y_std
    assert_allclose(e.rotation, 120.0, atol=1e-9)
    # Long axis at bearing 30: ellipse y axis is the long one.
    e = standard_deviational_ellipse(rotated(CROSS, 30.0))
    assert_allclose(e.theta, 30.0, atol=1e-9)
    assert e.y_std > e.x_std


def test_weighted_ellipse_matches_covariance_eigen_decomposition():
    rng = np.random.default_rng(7)
    xy = rng.multivariate_normal([3e5, 4e6], [[9e8, 4e8], [4e8, 3e8]], size=500)
    w = rng.gamma(2.0, 3.0, size=500)
    e = standard_deviational_ellipse(xy, w, method="yuill")
    mean = (w[:, None] * xy).sum(0) / w.sum()
    d = xy - mean
    cov = (w[:, None, None] * d[:, :, None] * d[:, None, :]).sum(0) / w.sum()
    values, vectors = np.linalg.eigh(cov)
    assert_allclose([e.minor**2, e.major**2], values, rtol=1e-10)
    long_axis = vectors[:, 1]
    expected_bearing = np.degrees(np.arctan2(long_axis[0], long_axis[1])) % 180.0
    assert_allclose(e.rotation, expected_bearing, atol=1e-8)
    assert_allclose([e.center_x, e.center_y], mean, rtol=1e-13)


def test_against_pointpats():
    import pointpats.centrography as pointpats
    rng = np.random.default_rng(3)
    for cov in ([[4.0, 1.5], [1.5, 1.0]], [[1.0, -0.7], [-0.7, 3.0]], [[2.0, 0.0], [0.0, 1.0]]):
        xy = rng.multivariate_normal([0, 0], cov, size=60) + [1000.0, 2000.0]
        w = rng.uniform(0.5, 2.0, size=60)
        centre = weighted_mean_centre(xy, w)
        assert_allclose([centre.x, centre.y], pointpats.weighted_mean_center(xy, w), rtol=1e-13)
        cases = [
            ("yuill", dict(method="yuill", crimestatCorr=False, degfreedCorr=False)),
            ("arcgis", dict(method="yuill", crimestatCorr=True, degfreedCorr=False)),
            ("crimestat", dict(method="crimestat")),
        ]
        for ours_method, kwargs in cases:
            major, minor, angle = pointpats.ellipse(xy, w, **kwargs)
            ours = standard_deviational_ellipse(xy, w, method=ours_method)
            assert_allclose([ours.major, ours.minor], [major, minor], rtol=1e-11)
            # pointpats gives the long axis as a counter-clockwise angle from east.
            assert_allclose(ours.rotation, (90.0 - np.degrees(angle)) % 180.0, atol=1e-9)


def test_crimestat_correction_factor():
    xy = rotated(CROSS + [[1, 0], [-1, 0]], 40.0)
    yuill = standard_deviational_ellipse(xy, method="yuill")
    crime = standard_deviational_ellipse(xy, method="crimestat")
    n = len(xy)
    assert_allclose(crime.major, yuill.major * np.sqrt(2) * np.sqrt(n / (n - 2)), rtol=1e-12)


def test_collinear_points_have_zero_minor_axis():
    xy = rotated([[-2, 0], [0, 0], [1, 0], [5, 0]], 30.0)
    e = standard_deviational_ellipse(xy, method="yuill")
    assert e.minor == pytest.approx(0.0, abs=1e-6)
    assert_allclose(e.rotation, 30.0, atol=1e-9)
    u = np.array([-2, 0, 1, 5.0])
    assert_allclose(e.major, np.sqrt(((u - u.mean()) ** 2).mean()), rtol=1e-10)


def test_axis_aligned_clouds_fold_like_arcgis():
    east = standard_deviational_ellipse(rotated(CROSS, 90.0))
    assert_allclose(east.rotation, 90.0, atol=1e-12)
    north = standard_deviational_ellipse(rotated(CROSS, 0.0))
    assert_allclose(north.rotation, 0.0, atol=1e-12)


def test_too_few_points_and_bad_weights():
    with pytest.raises(ValueError, match="at least 3"):
        standard_deviational_ellipse([[0, 0], [1, 1]])
    with pytest.raises(ValueError, match="at least 3"):
        standard_deviational_ellipse([[0, 0], [1, 1], [2, 0]], [1, 1, 0])
    with pytest.raises(ValueError, match="All weights are zero"):
        weighted_mean_centre([[0, 0], [1, 1]], [0, 0])
    with pytest.raises(ValueError, match="negative"):
        weighted_mean_centre([[0, 0], [1, 1]], [1, -1])
    with pytest.raises(ValueError, match="no points"):
        weighted_mean_centre(np.empty((0, 2)))


def test_one_and_two_points_mean_centre():
    assert weighted_mean_centre([[5.0, 7.0]]) == weighted_mean_centre([[5.0, 7.0]], [2.0]).__class__(
        5.0, 7.0, 1.0, 1
    )
    c = weighted_mean_centre([[0.0, 0.0], [10.0, 0.0]], [1.0, 3.0])
    assert (c.x, c.y, c.weight_sum, c.count) == (7.5, 0.0, 4.0, 2)


def test_zero_weight_points_do_not_move_the_ellipse():
    xy = rotated(CROSS, 75.0)
    far = np.vstack([xy, [[9e6, 9e6]]])
    a = standard_deviational_ellipse(xy)
    b = standard_deviational_ellipse(far, [1, 1, 1, 1, 0])
    assert_allclose([a.major, a.minor, a.rotation], [b.major, b.minor, b.rotation], rtol=1e-9)


def test_outline_lies_on_the_ellipse():
    e = standard_deviational_ellipse(rotated(CROSS, 62.0))
    ring = ellipse_outline(e, 180)
    assert ring.shape == (181, 2)
    assert_allclose(ring[0], ring[-1])
    b = np.radians(e.rotation)
    long_dir = np.array([np.sin(b), np.cos(b)])
    short_dir = np.array([np.cos(b), -np.sin(b)])
    d = ring - [e.center_x, e.center_y]
    u, v = d @ long_dir, d @ short_dir
    assert_allclose((u / e.major) ** 2 + (v / e.minor) ** 2, 1.0, rtol=1e-8)
    # Clockwise ring (negative shoelace area), area close to pi a b.
    area = 0.5 * np.sum(ring[:-1, 0] * ring[1:, 1] - ring[1:, 0] * ring[:-1, 1])
    assert area < 0
    assert_allclose(-area, e.area, rtol=1e-3)


def test_centre_shift_distance_and_compass():
    # The paper's "22.24 km southwest": a shift of 22.24 km at bearing 225.
    d = 22_240.0 / np.sqrt(2.0)
    shifts = centre_shifts([2000, 2005], [[0.0, 0.0], [-d, -d]])
    s = shifts[0]
    assert_allclose(s.distance_km, 22.24, rtol=1e-12)
    assert_allclose(s.bearing, 225.0, atol=1e-12)
    assert s.direction == "SW"
    assert_allclose(s.km_per_year, 22.24 / 5, rtol=1e-12)
    assert centre_shifts([2000, 2005], [[0, 0], [0, 0]])[0].direction == ""
    assert np.isnan(centre_shifts(["a", "b"], [[0, 0], [3, 4]])[0].km_per_year)


@pytest.mark.parametrize(
    "bearing,word",
    [(0, "N"), (22.4, "N"), (22.5, "NE"), (67.4, "NE"), (90, "E"), (135, "SE"), (180, "S"),
     (202.4, "S"), (225, "SW"), (270, "W"), (315, "NW"), (337.5, "N"), (359.9, "N")],
)
def test_compass_words(bearing, word):
    assert compass_direction(bearing) == word


def test_group_by_time_sorts_values():
    times = [2010, 2000, 2010, 2005, 2000]
    values, groups = group_by_time(times)
    assert values == [2000, 2005, 2010]
    assert [sorted(g.tolist()) for g in groups] == [[1, 4], [3], [0, 2]]


def test_bearing_from_radians_is_clockwise_from_north_in_0_360():
    from carbon_spacetime.core.centrography import bearing_from_radians

    assert bearing_from_radians(0.0) == pytest.approx(0.0)
    assert bearing_from_radians(np.pi / 2) == pytest.approx(90.0)
    assert bearing_from_radians(-np.pi / 2) == pytest.approx(270.0)
    assert bearing_from_radians(np.pi) == pytest.approx(180.0)


def test_bearings_stay_below_360_for_tiny_negative_angles():
    from carbon_spacetime.core.centrography import bearing, bearing_from_radians

    assert bearing_from_radians(-1e-17) == 0.0
    assert bearing(-1e-300, 1.0) == 0.0
