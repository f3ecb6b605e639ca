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


class Sentence(str):
    """An English sentence (the string itself) that remembers its template and values.

    Core has no Qt: the report translates a finding with :func:`render`, which passes
    the template (and every word or list given as a value) through the caller's ``tr``
    before formatting, so numbers are formatted once, here. ``tools/i18n.py`` extracts
    the literal first argument of :func:`say` and the :data:`WORDS` below.
    """

    def __new__(cls, template, values=None, separator=None, lower=False):
        values = dict(values or {})
        if separator is not None:
            text = str(separator).join(values["items"])
        else:
            text = template.format(**values) if values else template
        obj = super().__new__(cls, text.lower() if lower else text)
        obj.template, obj.values, obj.separator, obj.lower = template, values, separator, lower
        return obj


def say(template, **values):
    """A sentence (or phrase) ``template.format(**values)`` that the report can translate."""
    return Sentence(template, values)


def _w(word, lower=False):
    """A word chosen at run time (one of :data:`WORDS`), translated where it is shown."""
    return Sentence(word, lower=lower)


def _listing(items, separator):
    return Sentence("", {"items": list(items)}, separator=separator)


def render(text, tr):
    """``text`` in the language of ``tr`` (a function str -> str); plain strings are returned as they are."""
    if not isinstance(text, Sentence):
        return str(text)
    if text.separator is not None:
        return render(text.separator, tr).join(render(item, tr) for item in text.values["items"])
    if not text.values:
        return tr(text.template)
    values = {k: render(v, tr) for k, v in text.values.items()}
    try:
        return tr(text.template).format(**values)
    except (KeyError, IndexError, ValueError):  # a translation with broken placeholders: say it in English
        return text.template.format(**values)


#: Words put into the sentences at run time (for translation; see :func:`render`).
WORDS = (
    "rose", "fell", "did not change", "grew", "shrank", "kept its length", "and", "while",
    "rise", "decline", "no change", "hot", "cold", "hot-spot", "cold-spot",
    "were positive everywhere", "were negative everywhere", "changed sign across the area",
    "nearest neighbours", "metres",
    "nonlinear-weaken", "uni-variable weaken", "bi-variable enhance", "independent", "nonlinear-enhance",
    "new hot spot", "consecutive hot spot", "intensifying hot spot", "persistent hot spot",
    "diminishing hot spot", "sporadic hot spot", "oscillating hot spot", "historical hot spot",
    "new cold spot", "consecutive cold spot", "intensifying cold spot", "persistent cold spot",
    "diminishing cold spot", "sporadic cold spot", "oscillating cold spot", "historical cold spot",
)


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
        out.append(say(
            "In {year} total emissions were {total} {unit} over {cells} cells (peak cell {peak}, mean {mean}, "
            "standard deviation {std} {unit} per cell).",
            year=_year(r["year"]), total=fmt(r["total"]), unit=unit, cells=int(r["cells"]), peak=fmt(r["peak"]),
            mean=fmt(r["mean"]), std=fmt(r["std"]),
        ))
        return out
    first, last = rows[0], rows[-1]
    word = _change_word(first["total"], last["total"])
    pct = ""
    if float(first["total"]) != 0 and word != "did not change":
        pct = f" ({(float(last['total']) / float(first['total']) - 1) * 100:+.1f}%)"
    if word == "did not change":
        out.append(say(
            "Total emissions did not change between {first_year} and {last_year} ({total} {unit}).",
            first_year=_year(first["year"]), last_year=_year(last["year"]), total=fmt(first["total"]), unit=unit,
        ))
    else:
        out.append(say(
            "Total emissions {word} from {first} {unit} in {first_year} to {last} {unit} in {last_year}{pct}.",
            word=_w(word), first=fmt(first["total"]), unit=unit, first_year=_year(first["year"]),
            last=fmt(last["total"]), last_year=_year(last["year"]), pct=pct,
        ))
    periods = list(zip(rows[:-1], rows[1:]))
    signs = [_sign(a["total"], b["total"]) for a, b in periods]
    if len(periods) > 1:
        if all(s == "+" for s in signs):
            out.append(say("The total rose in every period."))
        elif all(s == "-" for s in signs):
            out.append(say("The total fell in every period."))
        else:
            falls = [
                f"{_year(a['year'])}–{_year(b['year'])}" for (a, b), s in zip(periods, signs) if s == "-"
            ]
            if falls:
                out.append(say("The total fell in {periods}.", periods=_join(falls)))
    rates = [
        annual_growth_rate(a["total"], b["total"], float(b["year"]) - float(a["year"])) for a, b in periods
    ]
    if len(periods) > 1 and all(r is not None for r in rates):
        fastest = max(range(len(rates)), key=lambda i: rates[i])
        a, b = periods[fastest]
        if rates[fastest] > 0:
            later = rates[fastest + 1 :]
            if all(rates[i] > rates[i + 1] for i in range(len(rates) - 1)):
                out.append(say(
                    "Annual growth slowed in every period, from {first_rate}% a year ({first_period}) to "
                    "{last_rate}% a year ({last_period}).",
                    first_rate=f"{rates[0] * 100:.1f}", first_period=_period(periods[0]),
                    last_rate=f"{rates[-1] * 100:.1f}", last_period=_period(periods[-1]),
                ))
            elif later and all(r < rates[fastest] for r in later):
                out.append(say(
                    "Growth was fastest between {from_year} and {to_year} ({rate}% a year) and slower "
                    "in every later period ({last_rate}% a year in {last_period}).",
                    from_year=_year(a["year"]), to_year=_year(b["year"]), rate=f"{rates[fastest] * 100:.1f}",
                    last_rate=f"{rates[-1] * 100:.1f}", last_period=_period(periods[-1]),
                ))
            elif not later:
                out.append(say(
                    "Growth was fastest in the latest period, {from_year} and {to_year} ({rate}% a year).",
                    from_year=_year(a["year"]), to_year=_year(b["year"]), rate=f"{rates[fastest] * 100:.1f}",
                ))
    peak_word = _change_word(first["peak"], last["peak"])
    mean_word = _change_word(first["mean"], last["mean"])
    joiner = "and" if peak_word == mean_word else "while"
    out.append(say(
        "From {first_year} to {last_year} the peak cell value {peak_word} ({first_peak} to {last_peak}) {joiner} "
        "the mean cell value {mean_word} ({first_mean} to {last_mean} {unit} per cell).",
        first_year=_year(first["year"]), last_year=_year(last["year"]), peak_word=_w(peak_word),
        first_peak=fmt(first["peak"]), last_peak=fmt(last["peak"]), joiner=_w(joiner), mean_word=_w(mean_word),
        first_mean=fmt(first["mean"]), last_mean=fmt(last["mean"]), unit=unit,
    ))
    stds = [float(r["std"]) for r in rows]
    pattern = sign_pattern(stds)
    series = ", ".join(fmt(s) for s in stds)
    if "–" in pattern:
        words = _listing([_w(p) for p in pattern.split("–")], "–")
        out.append(say("The standard deviation of cell values followed a {pattern} pattern ({series}).",
                       pattern=words, series=series))
    else:
        verb = {"rise": "rose", "decline": "fell", "no change": "did not change"}[pattern]
        if len(stds) > 2 and pattern != "no change":
            out.append(say("The standard deviation of cell values {verb} in every period ({series}).",
                           verb=_w(verb), series=series))
        else:
            out.append(say("The standard deviation of cell values {verb} ({series}).", verb=_w(verb), series=series))
    return out


def _period(pair):
    a, b = pair
    return f"{_year(a.get('year', a.get('from_year')))}–{_year(b.get('year', b.get('to_year')))}"


def _join(items):
    items = list(items)
    if len(items) <= 1:
        return items[0] if items else ""
    return say("{items} and {last}", items=_listing(items[:-1], say(", ")), last=items[-1])


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
        years = {"from_year": _year(r["from_year"]), "to_year": _year(r["to_year"])}
        if dist < ZERO_SHIFT_KM:
            out.append(say("Between {from_year} and {to_year} the emission centre did not move measurably "
                           "({dist} km).", dist=f"{dist:.1f}", **years))
            continue
        word = compass_word(r.get("bearing"), r.get("direction"))
        moves.append(word)
        bearing = r.get("bearing")
        details = []
        if bearing is not None and math.isfinite(float(bearing)):
            details.append(say("bearing {bearing}°", bearing=f"{float(bearing):.0f}"))
        speed = r.get("km_per_year")
        if speed is None and float(r["to_year"]) != float(r["from_year"]):
            speed = dist / (float(r["to_year"]) - float(r["from_year"]))
        if speed is not None:
            details.append(say("{speed} km a year", speed=f"{float(speed):.1f}"))
        extra = say(" ({details})", details=_listing(details, say(", "))) if details else ""
        if word:
            out.append(say("Between {from_year} and {to_year} the emission centre moved {dist} km {direction}{extra}.",
                           dist=f"{dist:.1f}", direction=_w(word), extra=extra, **years))
        else:
            out.append(say("Between {from_year} and {to_year} the emission centre moved {dist} km{extra}.",
                           dist=f"{dist:.1f}", extra=extra, **years))
    if len(rows) > 1:
        total = sum(float(r["dist_km"]) for r in rows)
        out.append(say(
            "Over {from_year}–{to_year} the centre travelled {total} km in {steps} steps.",
            from_year=_year(rows[0]["from_year"]), to_year=_year(rows[-1]["to_year"]), total=f"{total:.1f}",
            steps=len(rows),
        ))
        words = [w for w in moves if w]
        if words:
            common = max(set(words), key=words.count)
            count = words.count(common)
            if count * 2 > len(rows):
                out.append(say("{count} of its {steps} moves were to the {direction}.", count=count,
                               steps=len(rows), direction=_w(common)))
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
        rng = (
            say("bearing {low}°–{high}°", low=f"{low:.0f}", high=f"{high:.0f}")
            if len(rows) > 1 and round(low) != round(high)
            else say("bearing {bearing}°", bearing=f"{bearings[0]:.0f}")
        )
        if len(rows) > 1:
            out.append(say("In every year the long axis of the ellipse ran {orientation} ({range}).",
                           orientation=_w(orientations[0]), range=rng))
        else:
            out.append(say("In {year} the long axis of the ellipse ran {orientation} ({range}).",
                           year=_year(rows[0]["year"]), orientation=_w(orientations[0]), range=rng))
    else:
        groups = {}
        for o, r in zip(orientations, rows):
            groups.setdefault(o, []).append(r)
        parts = []
        for o, members in groups.items():
            bs = [float(r["major_bearing"]) for r in members]
            rng = f"{bs[0]:.1f}°" if len(bs) == 1 else f"{min(bs):.1f}°–{max(bs):.1f}°"
            parts.append(say("{orientation} in {years} (bearing {range})", orientation=_w(o),
                             years=_join([_year(r["year"]) for r in members]), range=rng))
        out.append(say("The long axis of the ellipse ran {parts}.", parts=_join(parts)))
    if len(rows) == 1:
        r = rows[0]
        out.append(say("Its long axis was {major} km and its short axis {minor} km (area {area} km²).",
                       major=fmt(r["major_km"]), minor=fmt(r["minor_km"]), area=fmt(r["area_km2"])))
        return out
    for a, b in zip(rows[:-1], rows[1:]):
        major = _change_word(a["major_km"], b["major_km"], "grew", "shrank", "kept its length")
        minor = _change_word(a["minor_km"], b["minor_km"], "grew", "shrank", "kept its length")
        area = _change_word(a["area_km2"], b["area_km2"], "grew", "shrank", "did not change")
        values = dict(
            from_year=_year(a["year"]), to_year=_year(b["year"]), major=_w(major), major_a=fmt(a["major_km"]),
            major_b=fmt(b["major_km"]), minor=_w(minor), minor_a=fmt(a["minor_km"]), minor_b=fmt(b["minor_km"]),
            area=_w(area), bearing_a=f"{float(a['major_bearing']):.1f}", bearing_b=f"{float(b['major_bearing']):.1f}",
        )
        if float(a["area_km2"]) > 0 and area != "did not change":
            out.append(say(
                "Between {from_year} and {to_year} the long axis {major} ({major_a} to {major_b} km), the short axis "
                "{minor} ({minor_a} to {minor_b} km) and the area {area} by {area_pct}%; the long axis turned from "
                "{bearing_a}° to {bearing_b}°.",
                area_pct=f"{abs(float(b['area_km2']) / float(a['area_km2']) - 1) * 100:.1f}", **values,
            ))
        else:
            out.append(say(
                "Between {from_year} and {to_year} the long axis {major} ({major_a} to {major_b} km), the short axis "
                "{minor} ({minor_a} to {minor_b} km) and the area {area}; the long axis turned from "
                "{bearing_a}° to {bearing_b}°.",
                **values,
            ))
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
        rng = (fmt(values[0]) if len(values) == 1
               else say("{low} to {high}", low=fmt(min(values)), high=fmt(max(values))))
        years = _join([_year(r["year"]) for r in clustered])
        if len(clustered) == len(rows) and len(rows) > 1:
            out.append(say("Emissions were significantly spatially clustered in every year (Moran's I {range}, "
                           "p {p}, {level} level).", range=rng, p=pmax, level=level))
        else:
            out.append(say("Emissions were significantly spatially clustered in {years} (Moran's I {range}, "
                           "p {p}, {level} level).", years=years, range=rng, p=pmax, level=level))
    if dispersed:
        years = _join([_year(r["year"]) for r in dispersed])
        out.append(say("Emissions were significantly dispersed (Moran's I below its expectation) in {years} "
                       "({level} level).", years=years, level=level))
    if random_:
        if len(random_) == len(rows):
            ps = _listing([say("p {p} in {year}", p=fmt_p(r["p_value"]), year=_year(r["year"])) for r in random_],
                          say(", "))
            out.append(say("No year shows significant spatial autocorrelation at the {level} level ({p_values}).",
                           level=level, p_values=ps))
        else:
            parts = [
                say("{year} (I = {i}, p {p})", year=_year(r["year"]), i=fmt(r["morans_i"]), p=fmt_p(r["p_value"]))
                for r in random_
            ]
            out.append(say("Moran's I was not significant at the {level} level in {years}.", level=level,
                           years=_join(parts)))
    if len(rows) > 1:
        word = _change_word(rows[0]["morans_i"], rows[-1]["morans_i"])
        years = {"first_year": _year(rows[0]["year"]), "last_year": _year(rows[-1]["year"])}
        out.append(
            say("Moran's I {word} from {first} in {first_year} to {last} in {last_year}.", word=_w(word),
                first=fmt(rows[0]["morans_i"]), last=fmt(rows[-1]["morans_i"]), **years)
            if word != "did not change"
            else say("Moran's I did not change between {first_year} and {last_year}.", **years)
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
            out.append(say("In {year} no cell was a significant hot or cold spot ({cells} cells tested).",
                           year=_year(year), cells=n))
            continue
        parts = []
        for label, count, sign in (("hot", hot, 1), ("cold", cold, -1)):
            if count == 0:
                parts.append(say("no {kind} spots", kind=_w(label)))
                continue
            detail = _listing([
                say("{cells} at {confidence}%", cells=bins.get(sign * b, 0), confidence=GI_BIN_CONFIDENCE[b])
                for b in (3, 2, 1)
                if bins.get(sign * b, 0)
            ], say(", "))
            if count != 1:
                parts.append(say("{count} {kind} spots ({detail} confidence)", count=count, kind=_w(label),
                                 detail=detail))
            else:
                parts.append(say("{count} {kind} spot ({detail} confidence)", count=count, kind=_w(label),
                                 detail=detail))
        out.append(say("In {year} there were {hot} and {cold} among {cells} cells.", year=_year(year),
                       hot=parts[0], cold=parts[1], cells=n))
    if len(years) > 1:
        (h0, c0), (h1, c1) = totals[years[0]], totals[years[-1]]
        first, last = _year(years[0]), _year(years[-1])
        parts = []
        for label, a, b in (("hot-spot", h0, h1), ("cold-spot", c0, c1)):
            if a == b:
                parts.append(say("the number of {kind} cells stayed at {count}", kind=_w(label), count=a))
            else:
                parts.append(say("the number of {kind} cells went from {first} to {last}", kind=_w(label),
                                 first=a, last=b))
        out.append(say("From {first_year} to {last_year} {hot} and {cold}.", first_year=first, last_year=last,
                       hot=parts[0], cold=parts[1]))
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
        return [say("No cell showed an emerging hot or cold spot pattern over the study years ({cells} cells).",
                    cells=total)]
    out = [say("Over the study years {hot} of {cells} cells ({hot_pct}%) showed a hot spot pattern and {cold} "
               "({cold_pct}%) a cold spot pattern.", hot=hot, cells=total, hot_pct=f"{100.0 * hot / total:.1f}",
               cold=cold, cold_pct=f"{100.0 * cold / total:.1f}")]
    for lo, hi, label in ((1, 8, "hot"), (9, 16, "cold")):
        present = sorted((k for k in counts if lo <= k <= hi and counts[k]), key=lambda k: (-counts[k], k))
        if present:
            top = present[0]
            out.append(say("The most common {kind} spot pattern was {pattern} ({cells} cells).", kind=_w(label),
                           pattern=_w(names[top].lower()), cells=counts[top]))
    rising = counts.get(3, 0) + counts.get(1, 0) + counts.get(2, 0)
    if rising > 1:
        out.append(say("{cells} cells became or grew hotter towards the final year "
                       "(new, consecutive or intensifying hot spots).", cells=rising))
    elif rising == 1:
        out.append(say("{cells} cell became or grew hotter towards the final year "
                       "(new, consecutive or intensifying hot spots).", cells=rising))
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
    unit = _w(bandwidth_unit)
    by_year = {}
    for r in rows:
        by_year.setdefault(r["year"], []).append(r)
    for year in sorted(by_year, key=float):
        terms = by_year[year]
        bws = [(float(t["bandwidth"]), t["variable"]) for t in terms]
        lo, hi = min(bws), max(bws)
        y = _year(year)
        if lo[0] == hi[0]:
            out.append(say("In {year} every term had the same MGWR bandwidth ({bandwidth} {unit}).", year=y,
                           bandwidth=fmt(lo[0]), unit=unit))
        else:
            out.append(say(
                "In {year} the MGWR bandwidths ranged from {low} {unit} ({low_term}, the most local effect) to "
                "{high} ({high_term}, the most regional).",
                year=y, low=fmt(lo[0]), unit=unit, low_term=lo[1], high=fmt(hi[0]), high_term=hi[1],
            ))
        n = (n_obs or {}).get(year)
        if n:
            wide = [t["variable"] for t in terms if float(t["bandwidth"]) >= n]
            if wide:
                out.append(say("In {year} {terms} had a bandwidth spanning all {cells} cells, i.e. a global effect.",
                               year=y, terms=_join(wide), cells=n))
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
                    say("{term} ({low} to {high}, mean {mean})", term=t["variable"], low=fmt(t["min"]),
                        high=fmt(t["max"]), mean=fmt(t["mean"]))
                    for t in group
                ]
                out.append(say("In {year} the local coefficients of {terms} {words}.", year=y, terms=_join(parts),
                               words=_w(words)))
        explanatory = [t for t in terms if t["variable"] != "Intercept"]
        if len(explanatory) > 1:
            strongest = max(explanatory, key=lambda t: abs(float(t["mean"])))
            others = [abs(float(t["mean"])) for t in explanatory if t is not strongest]
            if abs(float(strongest["mean"])) > max(others):
                out.append(say("In {year} {term} had the largest mean coefficient in absolute value ({mean}).",
                               year=y, term=strongest["variable"], mean=fmt(strongest["mean"])))
        diag = (diagnostics or {}).get(year)
        if diag and diag.get("R2") is not None:
            r2 = f"{float(diag['R2']):.3f}"
            if diag.get("AICC") is not None:
                out.append(say("In {year} the model explained R² = {r2} of the variance, AICc {aicc}.", year=y,
                               r2=r2, aicc=fmt(diag["AICC"], 6)))
            else:
                out.append(say("In {year} the model explained R² = {r2} of the variance.", year=y, r2=r2))
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
        ranked = _join([say("{factor} (q = {q})", factor=t["factor"], q=f"{float(t['q']):.3f}") for t in terms])
        weak = [t["factor"] for t in terms if t.get("p") is None or float(t["p"]) >= alpha]
        if weak:
            out.append(say("In {year} the geographical detector ranked the factors {ranked}; {weak} not significant "
                           "at {alpha}.", year=y, ranked=ranked, weak=_join(weak), alpha=f"{alpha:g}"))
        else:
            out.append(say("In {year} the geographical detector ranked the factors {ranked}, all significant at "
                           "{alpha}.", year=y, ranked=ranked, alpha=f"{alpha:g}"))
        if pairs.get(year):
            best = max(pairs[year], key=lambda r: float(r["q"]))
            out.append(say("In {year} the strongest interaction was {pair} (q = {q}, {type}).", year=y,
                           pair=best["pair"], q=f"{float(best['q']):.3f}", type=_w(str(best["type"]))))
    return out


#: The tables :func:`study_findings` takes by name; ``carbon:emissionstudy`` keeps its tables under
#: the same names (``study_tables.json``) and passes them on as they are.
STUDY_TABLES = ("statistics", "trajectory", "ellipses", "moran", "emerging", "mgwr", "geodetector",
                "geodetector_interactions")


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
