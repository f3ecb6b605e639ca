"""Land use to emission categories (METHODS.md section 2).

Categories: 1 urban, 2 industrial, 3 rural and other, 0 no emissions.
"""

from dataclasses import dataclass, field

import numpy as np

from .grid import nodata_cells

NO_EMISSIONS, URBAN, INDUSTRIAL, RURAL = 0, 1, 2, 3

CATEGORY_NAMES = {
    NO_EMISSIONS: "No emissions",
    URBAN: "Urban",
    INDUSTRIAL: "Industrial",
    RURAL: "Rural & other",
}


def cas_reclass_table():
    """The CAS/RESDC LUCC code -> emission category table of METHODS.md.

    51 urban land -> 1; 53 industrial, mining and transport land -> 2; rural
    settlements (52), cropland (11, 12), forest (21-24), grassland (31-33), water
    (41-46) and unused land (61-67) -> 3; sea (99) -> 0.

    Returns
    -------
    dict
        ``{code: category}``.
    """
    table = {51: URBAN, 53: INDUSTRIAL, 52: RURAL, 99: NO_EMISSIONS}
    for codes in ((11, 12), range(21, 25), range(31, 34), range(41, 47), range(61, 68)):
        for code in codes:
            table[int(code)] = RURAL
    return table


@dataclass
class Reclassified:
    """Result of :func:`reclassify`.

    Attributes
    ----------
    categories : ndarray of uint8
        0 no emissions (also nodata and unknown codes), 1 urban, 2 industrial,
        3 rural and other.
    valid : ndarray of bool
        Cells with a land-use value (not nodata).
    unknown : dict
        ``{code: cell count}`` of valid codes missing from the table (set to 0).
    counts : dict
        ``{category: cell count}`` over valid cells.
    """

    categories: np.ndarray
    valid: np.ndarray
    unknown: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)


def validate_table(table):
    """Check a ``{code: category}`` table (or ``(code, category)`` pairs) and return a clean dict.

    Raises
    ------
    ValueError
        When a code is not a whole number or a category is not 0, 1, 2 or 3.
    """
    clean = {}
    pairs = table.items() if hasattr(table, "items") else table
    for code, category in pairs:
        try:
            code_f = float(code)
            cat_f = float(category)
        except (TypeError, ValueError):
            raise ValueError(f"Reclass table row '{code}' -> '{category}' is not numeric.") from None
        if not np.isfinite(code_f) or code_f != int(code_f):
            raise ValueError(f"Land-use code {code!r} in the reclass table is not a whole number.")
        if cat_f not in (0, 1, 2, 3):
            raise ValueError(
                f"Category {category!r} for land-use code {int(code_f)} is not one of 0 (no emissions), "
                "1 (urban), 2 (industrial), 3 (rural and other)."
            )
        key = int(code_f)
        if key in clean and clean[key] != int(cat_f):
            raise ValueError(
                f"Land-use code {key} appears twice in the reclass table with different categories."
            )
        clean[key] = int(cat_f)
    if not clean:
        raise ValueError("The reclass table is empty.")
    return clean


def reclassify(codes, table=None, nodata=None):
    """Reclassify land-use codes into emission categories.

    Parameters
    ----------
    codes : array_like
        Land-use codes (any numeric dtype); NaN and ``nodata`` are nodata.
    table : dict, optional
        ``{code: category}``; default :func:`cas_reclass_table`.
    nodata : float, optional
        Code meaning "no data" besides NaN.

    Returns
    -------
    Reclassified
        Categories (uint8) and the codes that were not in the table, with their
        cell counts (those cells get category 0 and are reported, not hidden).
    """
    table = validate_table(cas_reclass_table() if table is None else table)
    codes = np.asarray(codes)
    if np.issubdtype(codes.dtype, np.floating):
        valid = np.isfinite(codes)
    else:
        valid = np.ones(codes.shape, dtype=bool)
    missing = nodata_cells(codes, nodata)
    if missing is not None:
        valid &= ~missing
    out = np.zeros(codes.shape, dtype=np.uint8)
    values = codes[valid]
    whole = values == np.round(values) if np.issubdtype(values.dtype, np.floating) else None
    ints = np.round(values).astype(np.int64) if whole is not None else values.astype(np.int64)
    unknown = {}
    if ints.size:
        lo, hi = int(ints.min()), int(ints.max())
        keys = np.array(sorted(table), dtype=np.int64)
        cats = np.array([table[k] for k in keys], dtype=np.uint8)
        if hi - lo < 5_000_000:
            # dense lookup table: one indexing pass, no sort
            lut = np.full(hi - lo + 1, 255, dtype=np.uint8)
            inside = (keys >= lo) & (keys <= hi)
            lut[keys[inside] - lo] = cats[inside]
            mapped = lut[ints - lo]
        else:
            pos = np.clip(np.searchsorted(keys, ints), 0, len(keys) - 1)
            mapped = np.where(keys[pos] == ints, cats[pos], 255).astype(np.uint8)
        if whole is not None:
            mapped[~whole] = 255
        missing = mapped == 255
        if missing.any():
            bad_values = values[missing]
            uniq, cnt = np.unique(bad_values, return_counts=True)
            unknown = {(int(u) if float(u).is_integer() else float(u)): int(c) for u, c in zip(uniq, cnt)}
            mapped[missing] = NO_EMISSIONS
        out[valid] = mapped
    counts = {c: int(n) for c, n in enumerate(np.bincount(out[valid], minlength=4)[:4])}
    return Reclassified(out, valid, unknown, counts)


def describe_unknown(unknown, limit=12):
    """A short text listing unknown codes and their cell counts."""
    items = sorted(unknown.items(), key=lambda kv: -kv[1])
    text = ", ".join(f"{code} ({n} cells)" for code, n in items[:limit])
    if len(items) > limit:
        text += f" and {len(items) - limit} more"
    return text
