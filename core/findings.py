"""Plain-language findings written from the study's numbers.

Every sentence produced here is a direct reading of the numbers passed in: a
trend word ("rose", "fell") is only used when the first and last values differ,
"slowed" only when every later period grew more slowly, "significant" only when
the p-value is under ``alpha``. Nothing is said about a table that is missing or
empty. The functions take plain rows (dicts keyed by the output field names of
the individual algorithms) so they can be tested without QGIS.

Example
-------
>>> rows = [{"from_year": 2015, "to_year": 2020, "dist_km": 35.19, "bearing": 225.0}]
>>> trajectory_findings(rows)[0]
'Between 2015 and 2020 the emission centre moved 35.2 km southwest (bearing 225°, 7.0 km a year).'
"""

import math
from dataclasses import dataclass

from .centrography import compass_direction
from .formatting import format_significant

COMPASS_WORDS = ("north", "northeast", "east", "southeast", "south", "southwest", "west", "northwest")
_COMPASS_CODES = {"N": 0, "NE": 1, "E": 2, "SE": 3, "S": 4, "SW": 5, "W": 6, "NW": 7}

# Relative change below which two values are called unchanged.
SAME_RTOL = 1e-6
# Shifts under this many km are reported as no measurable movement (shown as 0.0 km).
ZERO_SHIFT_KM = 0.05

GI_BIN_CONFIDENCE = {3: 99, 2: 95, 1: 90}


@dataclass
class Finding:
    """One sentence of the findings section and the table it comes from."""

    section: str
    text: str


fmt = format_significant


def fmt_p(p):
    """A p-value as analysts write it: ``"< 0.001"`` or ``"= 0.034"``."""
    p = float(p)
    if not math.isfinite(p):
        return "= n/a"
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def _year(value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return str(int(number)) if number.is_integer() else fmt(number)


def _change_word(first, last, up="rose", down="fell", same="did not change"):
    first, last = float(first), float(last)
    scale = max(abs(first), abs(last))
    if scale == 0 or abs(last - first) <= SAME_RTOL * scale:
        return same
    return up if last > first else down


def _sign(first, last):
    word = _change_word(first, last, "+", "-", "0")
    return word


def compass_word(bearing=None, code=None):
    """8-point compass word for a bearing (degrees clockwise from north) or a code like "SW"."""
    if bearing is not None and math.isfinite(float(bearing)):
        return COMPASS_WORDS[_COMPASS_CODES[compass_direction(float(bearing))]]
    if code is not None and str(code).upper() in _COMPASS_CODES:
        return COMPASS_WORDS[_COMPASS_CODES[str(code).upper()]]
    return None


_AXES = (
    "north–south", "north-northeast–south-southwest", "northeast–southwest", "east-northeast–west-southwest",
    "east–west", "east-southeast–west-northwest", "northwest–southeast", "north-northwest–south-southeast",
)


def axis_orientation(bearing):
    """Orientation of an undirected axis given its bearing (0-180, clockwise from north).

    Eight axial sectors of 22.5 degrees (16 compass points folded onto axes).
    """
    b = float(bearing) % 180.0
    return _AXES[int(math.floor(b / 22.5 + 0.5)) % 8]


def _axial_spread(bearings):
    """Angle between the outermost axes (degrees), their mean bearing, first and last bearing.

    Bearings of axes are taken modulo 180, so 178 and 3 degrees are 5 degrees apart.
    """
    ref = bearings[0]
    offsets = [((b - ref + 90.0) % 180.0) - 90.0 for b in bearings]
    mean = (ref + sum(offsets) / len(offsets)) % 180.0
    return max(offsets) - min(offsets), mean, (ref + min(offsets)) % 180.0, (ref + max(offsets)) % 180.0


def sign_pattern(values):
    """Run-length pattern of consecutive changes, e.g. ``"decline–rise–decline"``.

    Parameters
    ----------
    values : sequence of float
        A series in time order (at least two values).

    Returns
    -------
    str or None
        Words "rise", "decline", "no change" joined by en dashes, consecutive
        repeats merged; ``None`` for fewer than two values.
    """
    words = {"+": "rise", "-": "decline", "0": "no change"}
    pattern = []
    for a, b in zip(values[:-1], values[1:]):
        word = words[_sign(a, b)]
        if not pattern or pattern[-1] != word:
            pattern.append(word)
    return "–".join(pattern) if pattern else None


def _sorted(rows, key="year"):
    return sorted(rows, key=lambda r: float(r[key]))


def annual_growth_rate(first, last, years):
    """Compound annual growth rate (fraction per year) between two positive totals."""
    first, last, years = float(first), float(last), float(years)
    if first <= 0 or last <= 0 or years <= 0:
        return None
    return (last / first) ** (1.0 / years) - 1.0


def statistics_findings(rows, unit="Mt CO2"):
    """Findings from the yearly statistics table.

    Parameters
    ----------
    rows : list of dict
        Rows with ``year``, ``total``, ``peak``, ``mean``, ``std``, ``cells``
        (the ``carbon:emissionstatistics`` table).
    unit : str
        Unit of the totals (cell values are in the same unit per cell).
    """
    rows = _sorted([r for r in rows if r.get("total") is not None])
    if not rows:
        return []
    out = []
    if len(rows) == 1:
        r = rows[0]
        out.append(
            f"In {_year(r['year'])} total emissions were {fmt(r['total'])} {unit} over "
            f"{int(r['cells'])} cells (peak cell {fmt(r['peak'])}, mean {fmt(r['mean'])}, "
            f"standard deviation {fmt(r['std'])} {unit} per cell)."
        )
        return out
    first, last = rows[0], rows[-1]
    word = _change_word(first["total"], last["total"])
    pct = ""
    if float(first["total"]) != 0 and word != "did not change":
        pct = f" ({(float(last['total']) / float(first['total']) - 1) * 100:+.1f}%)"
    if word == "did not change":
        out.append(
            f"Total emissions did not change between {_year(first['year'])} and {_year(last['year'])} "
            f"({fmt(first['total'])} {unit})."
        )
    else:
        out.append(
            f"Total emissions {word} from {fmt(first['total'])} {unit} in {_year(first['year'])} to "
            f"{fmt(last['total'])} {unit} in {_year(last['year'])}{pct}."
        )
    periods = list(zip(rows[:-1], rows[1:]))
    signs = [_sign(a["total"], b["total"]) for a, b in periods]
    if len(periods) > 1:
        if all(s == "+" for s in signs):
            out.append("The total rose in every period.")
        elif all(s == "-" for s in signs):
            out.append("The total fell in every period.")
        else:
            falls = [
                f"{_year(a['year'])}–{_year(b['year'])}" for (a, b), s in zip(periods, signs) if s == "-"
            ]
            if falls:
                out.append(f"The total fell in {_join(falls)}.")
    rates = [
        annual_growth_rate(a["total"], b["total"], float(b["year"]) - float(a["year"])) for a, b in periods
    ]
    if len(periods) > 1 and all(r is not None for r in rates):
        fastest = max(range(len(rates)), key=lambda i: rates[i])
        a, b = periods[fastest]
        span = f"{_year(a['year'])} and {_year(b['year'])}"
        if rates[fastest] > 0:
            later = rates[fastest + 1 :]
            if all(rates[i] > rates[i + 1] for i in range(len(rates) - 1)):
                out.append(
                    f"Annual growth slowed in every period, from {rates[0] * 100:.1f}% a year "
                    f"({_period(periods[0])}) to {rates[-1] * 100:.1f}% a year ({_period(periods[-1])})."
                )
            elif later and all(r < rates[fastest] for r in later):
                out.append(
                    f"Growth was fastest between {span} ({rates[fastest] * 100:.1f}% a year) and slower "
                    f"in every later period ({rates[-1] * 100:.1f}% a year in {_period(periods[-1])})."
                )
            elif not later:
                out.append(
                    f"Growth was fastest in the latest period, {span} ({rates[fastest] * 100:.1f}% a year)."
                )
    peak_word = _change_word(first["peak"], last["peak"])
    mean_word = _change_word(first["mean"], last["mean"])
    joiner = "and" if peak_word == mean_word else "while"
    out.append(
        f"From {_year(first['year'])} to {_year(last['year'])} the peak cell value {peak_word} "
        f"({fmt(first['peak'])} to {fmt(last['peak'])}) {joiner} the mean cell value {mean_word} "
        f"({fmt(first['mean'])} to {fmt(last['mean'])} {unit} per cell)."
    )
    stds = [float(r["std"]) for r in rows]
    pattern = sign_pattern(stds)
    series = ", ".join(fmt(s) for s in stds)
    if "–" in pattern:
        out.append(f"The standard deviation of cell values followed a {pattern} pattern ({series}).")
    else:
        verb = {"rise": "rose", "decline": "fell", "no change": "did not change"}[pattern]
        qualifier = " in every period" if len(stds) > 2 and pattern != "no change" else ""
        out.append(f"The standard deviation of cell values {verb}{qualifier} ({series}).")
    return out


def _period(pair):
    a, b = pair
    return f"{_year(a.get('year', a.get('from_year')))}–{_year(b.get('year', b.get('to_year')))}"


def _join(items):
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def trajectory_findings(rows):
    """Findings from the mean-centre trajectory table.

    Parameters
    ----------
    rows : list of dict
        Rows with ``from_year``, ``to_year``, ``dist_km`` and ``bearing``
        (degrees clockwise from north) or ``direction`` (N, NE, ...), and
        optionally ``km_per_year`` (the ``carbon:meancentertrajectory`` lines).
    """
    rows = _sorted(rows, "from_year")
    out = []
    moves = []
    for r in rows:
        dist = float(r["dist_km"])
        span = f"{_year(r['from_year'])} and {_year(r['to_year'])}"
        if dist < ZERO_SHIFT_KM:
            out.append(f"Between {span} the emission centre did not move measurably ({dist:.1f} km).")
            continue
        word = compass_word(r.get("bearing"), r.get("direction"))
        moves.append(word)
        bearing = r.get("bearing")
        details = []
        if bearing is not None and math.isfinite(float(bearing)):
            details.append(f"bearing {float(bearing):.0f}°")
        speed = r.get("km_per_year")
        if speed is None and float(r["to_year"]) != float(r["from_year"]):
            speed = dist / (float(r["to_year"]) - float(r["from_year"]))
        if speed is not None:
            details.append(f"{float(speed):.1f} km a year")
        extra = f" ({', '.join(details)})" if details else ""
        where = f" {word}" if word else ""
        out.append(f"Between {span} the emission centre moved {dist:.1f} km{where}{extra}.")
    if len(rows) > 1:
        total = sum(float(r["dist_km"]) for r in rows)
        out.append(
            f"Over {_year(rows[0]['from_year'])}–{_year(rows[-1]['to_year'])} the centre travelled "
            f"{total:.1f} km in {len(rows)} steps."
        )
        words = [w for w in moves if w]
        if words:
            common = max(set(words), key=words.count)
            count = words.count(common)
            if count * 2 > len(rows):
                out.append(f"{count} of its {len(rows)} moves were to the {common}.")
    return out


def ellipse_findings(rows):
    """Findings from the standard deviational ellipse table.

    Parameters
    ----------
    rows : list of dict
        Rows with ``year``, ``major_km``, ``minor_km``, ``major_bearing``
        (bearing of the long axis, 0-180 degrees) and ``area_km2``
        (the ``carbon:directionaldistribution`` output).
    """
    rows = _sorted(rows)
    if not rows:
        return []
    out = []
    orientations = [axis_orientation(r["major_bearing"]) for r in rows]
    bearings = [float(r["major_bearing"]) for r in rows]
    spread, mean_bearing, low, high = _axial_spread(bearings)
    if spread < 10.0:
        # Axes within a few degrees of each other: one orientation, even if the bearings
        # straddle a sector boundary (22.4 and 22.6 degrees are not a change of direction).
        orientations = [axis_orientation(mean_bearing)] * len(rows)
    if len(set(orientations)) == 1:
        when = "In every year the" if len(rows) > 1 else f"In {_year(rows[0]['year'])} the"
        rng = (
            f"bearing {low:.0f}°–{high:.0f}°"
            if len(rows) > 1 and round(low) != round(high)
            else f"bearing {bearings[0]:.0f}°"
        )
        out.append(f"{when} long axis of the ellipse ran {orientations[0]} ({rng}).")
    else:
        groups = {}
        for o, r in zip(orientations, rows):
            groups.setdefault(o, []).append(r)
        parts = []
        for o, members in groups.items():
            bs = [float(r["major_bearing"]) for r in members]
            rng = f"{bs[0]:.1f}°" if len(bs) == 1 else f"{min(bs):.1f}°–{max(bs):.1f}°"
            parts.append(f"{o} in {_join([_year(r['year']) for r in members])} (bearing {rng})")
        out.append(f"The long axis of the ellipse ran {_join(parts)}.")
    if len(rows) == 1:
        r = rows[0]
        out.append(
            f"Its long axis was {fmt(r['major_km'])} km and its short axis {fmt(r['minor_km'])} km "
            f"(area {fmt(r['area_km2'])} km²)."
        )
        return out
    for a, b in zip(rows[:-1], rows[1:]):
        span = f"{_year(a['year'])} and {_year(b['year'])}"
        major = _change_word(a["major_km"], b["major_km"], "grew", "shrank", "kept its length")
        minor = _change_word(a["minor_km"], b["minor_km"], "grew", "shrank", "kept its length")
        area = _change_word(a["area_km2"], b["area_km2"], "grew", "shrank", "did not change")
        area_pct = ""
        if float(a["area_km2"]) > 0 and area != "did not change":
            area_pct = f" by {abs(float(b['area_km2']) / float(a['area_km2']) - 1) * 100:.1f}%"
        out.append(
            f"Between {span} the long axis {major} ({fmt(a['major_km'])} to {fmt(b['major_km'])} km), "
            f"the short axis {minor} ({fmt(a['minor_km'])} to {fmt(b['minor_km'])} km) and the area "
            f"{area}{area_pct}; the long axis turned from {float(a['major_bearing']):.1f}° to "
            f"{float(b['major_bearing']):.1f}°."
        )
    return out


def moran_findings(rows, alpha=0.05):
    """Findings from the yearly Global Moran's I table (Table 2).

    Parameters
    ----------
    rows : list of dict
        Rows with ``year``, ``morans_i``, ``expected_i``, ``z_score``, ``p_value``.
    alpha : float
        Significance level.
    """
    rows = _sorted(rows)
    if not rows:
        return []
    out = []
    clustered = [
        r for r in rows if float(r["p_value"]) < alpha and float(r["morans_i"]) > float(r["expected_i"])
    ]
    dispersed = [
        r for r in rows if float(r["p_value"]) < alpha and float(r["morans_i"]) < float(r["expected_i"])
    ]
    random_ = [r for r in rows if float(r["p_value"]) >= alpha]
    level = f"{alpha * 100:g}%"
    if clustered:
        values = [float(r["morans_i"]) for r in clustered]
        pmax = fmt_p(max(float(r["p_value"]) for r in clustered)).replace("=", "≤")
        rng = fmt(values[0]) if len(values) == 1 else f"{fmt(min(values))} to {fmt(max(values))}"
        years = _join([_year(r["year"]) for r in clustered])
        if len(clustered) == len(rows) and len(rows) > 1:
            out.append(
                f"Emissions were significantly spatially clustered in every year (Moran's I {rng}, "
                f"p {pmax}, {level} level)."
            )
        else:
            out.append(
                f"Emissions were significantly spatially clustered in {years} (Moran's I {rng}, "
                f"p {pmax}, {level} level)."
            )
    if dispersed:
        years = _join([_year(r["year"]) for r in dispersed])
        out.append(
            f"Emissions were significantly dispersed (Moran's I below its expectation) in {years} "
            f"({level} level)."
        )
    if random_:
        if len(random_) == len(rows):
            ps = ", ".join(f"p {fmt_p(r['p_value'])} in {_year(r['year'])}" for r in random_)
            out.append(f"No year shows significant spatial autocorrelation at the {level} level ({ps}).")
        else:
            parts = [
                f"{_year(r['year'])} (I = {fmt(r['morans_i'])}, p {fmt_p(r['p_value'])})" for r in random_
            ]
            out.append(f"Moran's I was not significant at the {level} level in {_join(parts)}.")
    if len(rows) > 1:
        word = _change_word(rows[0]["morans_i"], rows[-1]["morans_i"])
        out.append(
            f"Moran's I {word} from {fmt(rows[0]['morans_i'])} in {_year(rows[0]['year'])} to "
            f"{fmt(rows[-1]['morans_i'])} in {_year(rows[-1]['year'])}."
            if word != "did not change"
            else f"Moran's I did not change between {_year(rows[0]['year'])} and {_year(rows[-1]['year'])}."
        )
    return out


def hotspot_findings(counts):
    """Findings from Gi* hot/cold spot counts.

    Parameters
    ----------
    counts : dict
        ``{year: {gi_bin: number_of_cells}}`` with ``gi_bin`` in -3..3
        (3 = hot spot at 99% confidence, 0 = not significant).
    """
    out = []
    years = sorted(counts, key=float)
    totals = {}
    for year in years:
        bins = {int(k): int(v) for k, v in counts[year].items()}
        n = sum(bins.values())
        hot = sum(bins.get(b, 0) for b in (1, 2, 3))
        cold = sum(bins.get(-b, 0) for b in (1, 2, 3))
        totals[year] = (hot, cold)
        if hot == 0 and cold == 0:
            out.append(f"In {_year(year)} no cell was a significant hot or cold spot ({n} cells tested).")
            continue
        parts = []
        for label, count, sign in (("hot", hot, 1), ("cold", cold, -1)):
            if count == 0:
                parts.append(f"no {label} spots")
                continue
            detail = ", ".join(
                f"{bins.get(sign * b, 0)} at {GI_BIN_CONFIDENCE[b]}%"
                for b in (3, 2, 1)
                if bins.get(sign * b, 0)
            )
            parts.append(f"{count} {label} spot{'s' if count != 1 else ''} ({detail} confidence)")
        out.append(f"In {_year(year)} there were {parts[0]} and {parts[1]} among {n} cells.")
    if len(years) > 1:
        (h0, c0), (h1, c1) = totals[years[0]], totals[years[-1]]
        first, last = _year(years[0]), _year(years[-1])
        parts = []
        for label, a, b in (("hot-spot", h0, h1), ("cold-spot", c0, c1)):
            if a == b:
                parts.append(f"the number of {label} cells stayed at {a}")
            else:
                parts.append(f"the number of {label} cells went from {a} to {b}")
        out.append(f"From {first} to {last} {parts[0]} and {parts[1]}.")
    return out


def emerging_findings(rows):
    """Findings from emerging hot spot pattern counts.

    Parameters
    ----------
    rows : list of dict
        ``{"code", "pattern", "cells"}`` per pattern present (code 0 = no
        pattern, 1-8 hot, 9-16 cold, as ``carbon:emerginghotspots``).
    """
    counts = {int(r["code"]): int(r["cells"]) for r in rows or []}
    names = {int(r["code"]): str(r["pattern"]) for r in rows or []}
    total = sum(counts.values())
    if not total:
        return []
    hot = sum(v for k, v in counts.items() if 1 <= k <= 8)
    cold = sum(v for k, v in counts.items() if 9 <= k <= 16)
    if not hot and not cold:
        return [f"No cell showed an emerging hot or cold spot pattern over the study years ({total} cells)."]
    out = [f"Over the study years {hot} of {total} cells ({100.0 * hot / total:.1f}%) showed a hot spot "
           f"pattern and {cold} ({100.0 * cold / total:.1f}%) a cold spot pattern."]
    for lo, hi, label in ((1, 8, "hot"), (9, 16, "cold")):
        present = sorted((k for k in counts if lo <= k <= hi and counts[k]), key=lambda k: (-counts[k], k))
        if present:
            top = present[0]
            out.append(f"The most common {label} spot pattern was {names[top].lower()} ({counts[top]} cells).")
    rising = counts.get(3, 0) + counts.get(1, 0) + counts.get(2, 0)
    if rising:
        out.append(f"{rising} cell{'s' if rising != 1 else ''} became or grew hotter towards the final year "
                   "(new, consecutive or intensifying hot spots).")
    return out


def mgwr_findings(rows, diagnostics=None, bandwidth_unit="nearest neighbours", n_obs=None):
    """Findings from the MGWR summary (Table 3) per year and term.

    Parameters
    ----------
    rows : list of dict
        Rows with ``year``, ``variable``, ``bandwidth``, ``mean``, ``min``, ``max``.
    diagnostics : dict, optional
        ``{year: {"R2": ..., "AICC": ...}}``.
    bandwidth_unit : str
        What a bandwidth counts (adaptive: nearest neighbours; fixed: metres).
    n_obs : dict, optional
        ``{year: number of observations}``; a bandwidth reaching it is called global.
    """
    out = []
    by_year = {}
    for r in rows:
        by_year.setdefault(r["year"], []).append(r)
    for year in sorted(by_year, key=float):
        terms = by_year[year]
        bws = [(float(t["bandwidth"]), t["variable"]) for t in terms]
        lo, hi = min(bws), max(bws)
        y = _year(year)
        if lo[0] == hi[0]:
            out.append(f"In {y} every term had the same MGWR bandwidth ({fmt(lo[0])} {bandwidth_unit}).")
        else:
            out.append(
                f"In {y} the MGWR bandwidths ranged from {fmt(lo[0])} {bandwidth_unit} ({lo[1]}, the most "
                f"local effect) to {fmt(hi[0])} ({hi[1]}, the most regional)."
            )
        n = (n_obs or {}).get(year)
        if n:
            wide = [t["variable"] for t in terms if float(t["bandwidth"]) >= n]
            if wide:
                out.append(
                    f"In {y} {_join(wide)} had a bandwidth spanning all {n} cells, i.e. a global effect."
                )
        positive = [t for t in terms if t["variable"] != "Intercept" and float(t["min"]) > 0]
        negative = [t for t in terms if t["variable"] != "Intercept" and float(t["max"]) < 0]
        mixed = [t for t in terms if t["variable"] != "Intercept" and float(t["min"]) <= 0 <= float(t["max"])]
        for group, words in (
            (positive, "were positive everywhere"),
            (negative, "were negative everywhere"),
            (mixed, "changed sign across the area"),
        ):
            if group:
                parts = [
                    f"{t['variable']} ({fmt(t['min'])} to {fmt(t['max'])}, mean {fmt(t['mean'])})"
                    for t in group
                ]
                out.append(f"In {y} the local coefficients of {_join(parts)} {words}.")
        explanatory = [t for t in terms if t["variable"] != "Intercept"]
        if len(explanatory) > 1:
            strongest = max(explanatory, key=lambda t: abs(float(t["mean"])))
            others = [abs(float(t["mean"])) for t in explanatory if t is not strongest]
            if abs(float(strongest["mean"])) > max(others):
                out.append(
                    f"In {y} {strongest['variable']} had the largest mean coefficient in absolute value "
                    f"({fmt(strongest['mean'])})."
                )
        diag = (diagnostics or {}).get(year)
        if diag and diag.get("R2") is not None:
            aicc = f", AICc {fmt(diag['AICC'], 6)}" if diag.get("AICC") is not None else ""
            out.append(f"In {y} the model explained R² = {float(diag['R2']):.3f} of the variance{aicc}.")
    return out


def geodetector_findings(rows, interactions=None, alpha=0.05):
    """Findings from the geographical detector per year.

    Parameters
    ----------
    rows : list of dict
        Factor detector rows with ``year``, ``factor``, ``q``, ``p``.
    interactions : list of dict, optional
        Rows with ``year``, ``pair``, ``q``, ``type``.
    """
    out = []
    by_year = {}
    for r in rows:
        if r.get("q") is not None:
            by_year.setdefault(r["year"], []).append(r)
    pairs = {}
    for r in interactions or []:
        if r.get("q") is not None:
            pairs.setdefault(r["year"], []).append(r)
    for year in sorted(by_year, key=float):
        terms = sorted(by_year[year], key=lambda t: -float(t["q"]))
        y = _year(year)
        ranked = [f"{t['factor']} (q = {float(t['q']):.3f})" for t in terms]
        weak = [t["factor"] for t in terms if t.get("p") is None or float(t["p"]) >= alpha]
        text = f"In {y} the geographical detector ranked the factors {_join(ranked)}"
        text += (f"; {_join(weak)} not significant at {alpha:g}." if weak
                 else f", all significant at {alpha:g}.")
        out.append(text)
        if pairs.get(year):
            best = max(pairs[year], key=lambda r: float(r["q"]))
            out.append(f"In {y} the strongest interaction was {best['pair']} (q = {float(best['q']):.3f}, "
                       f"{best['type']}).")
    return out


def study_findings(
    statistics=None,
    trajectory=None,
    ellipses=None,
    moran=None,
    hotspots=None,
    emerging=None,
    mgwr=None,
    mgwr_diagnostics=None,
    geodetector=None,
    geodetector_interactions=None,
    unit="Mt CO2",
    alpha=0.05,
    bandwidth_unit="nearest neighbours",
    n_obs=None,
):
    """All findings of a study, as a list of :class:`Finding` in report order.

    Any table may be omitted (``None`` or empty): its section is left out.
    """
    sections = [
        ("Emissions over time", statistics_findings(statistics or [], unit)),
        ("Centre of emissions", trajectory_findings(trajectory or [])),
        ("Spread and orientation", ellipse_findings(ellipses or [])),
        ("Spatial autocorrelation", moran_findings(moran or [], alpha)),
        ("Hot and cold spots", hotspot_findings(hotspots or {})),
        ("Emerging hot spots", emerging_findings(emerging or [])),
        ("Drivers (MGWR)", mgwr_findings(mgwr or [], mgwr_diagnostics, bandwidth_unit, n_obs)),
        ("Drivers (geographical detector)", geodetector_findings(geodetector or [], geodetector_interactions, alpha)),
    ]
    return [Finding(section, text) for section, texts in sections for text in texts]
