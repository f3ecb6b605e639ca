"""Downscaling regional emission totals to grid cells (METHODS.md section 3, Eq. 1).

For region r, year t and category c, a cell i of that category in that region gets
``C_i = DN_i / sum_{j in r,c} DN_j * C_{r,t,c}``; DN is nighttime light for
categories 1 and 2 and population for category 3. Where the proxy sums to zero
inside a region and category the total is spread by the next proxy
(light -> population -> area), so no emissions vanish.

The allocation works on blocks of rows and uses group sums (``np.bincount`` over
``region * 4 + category`` labels) instead of a loop over regions, so a
10-million-cell grid takes seconds and memory stays bounded by a few block-sized
temporaries besides the input and output arrays.
"""

import re
from dataclasses import dataclass, field

import numpy as np

from .aggregate import block_mean, block_sum
from .landuse import INDUSTRIAL, RURAL, URBAN

LIGHT, POPULATION, AREA, NONE = 0, 1, 2, 3
PROXY_NAMES = {LIGHT: "light", POPULATION: "population", AREA: "area", NONE: "none (no cells)"}
PRIMARY_PROXY = {URBAN: LIGHT, INDUSTRIAL: LIGHT, RURAL: POPULATION}
_BLOCK_CELLS = 1 << 20  # about a million cells per block


# --------------------------------------------------------------------------- totals table

#: Keywords of the CEADs 47-row sector list, in the order they are tried.
_SECTOR_RULES = [
    (3, ("rural household", "rural residents")),
    (1, ("urban household", "urban residents")),
    (3, ("farming", "forestry", "husbandry", "fishery", "agricultur", "water conservancy")),
    (2, ("mining", "dressing", "manufactur", "equipment", "processing", "production", "smelting",
         "pressing", "refining", "coking", "chemical", "textile", "food", "beverage", "tobacco",
         "timber", "logging", "wood", "furniture", "paper", "printing", "leather", "garment",
         "wearing apparel", "petroleum", "rubber", "plastic", "metal", "machinery", "electric",
         "electronic", "instrument", "tap water", "gas", "heat", "scrap", "waste", "cultural",
         "educational", "medicine", "medical", "pharmaceutical", "fiber", "fibre", "nonmetal",
         "non-metal", "coal", "steam", "power")),
    (1, ("construction", "transport", "storage", "post", "telecommunication", "wholesale",
         "retail", "catering", "service", "other", "tertiary")),
]


def sector_category(sector):
    """Emission category (1, 2, 3) of a CEADs sector name, or None if unrecognised.

    Follows METHODS.md: farming/forestry/husbandry/fishery/water conservancy and
    rural households -> 3; the 40 mining, manufacturing and utility sectors -> 2;
    construction, transport/storage/post, wholesale/retail/catering, others and
    urban households -> 1.
    """
    text = re.sub(r"\s+", " ", str(sector).strip().lower())
    if not text or text in ("total", "sum", "totals"):
        return None
    for category, words in _SECTOR_RULES:
        if any(w in text for w in words):
            return category
    return None


def _as_number(value):
    if value is None:
        return None
    if hasattr(value, "isNull") and value.isNull():
        return None
    try:
        number = float(str(value).strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None


def region_key(value):
    """Normalise a region identifier so that ``210100``, ``210100.0`` and ``"210100"`` match."""
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    try:
        number = float(text)
        if number.is_integer() and re.fullmatch(r"[+-]?\d+(\.0*)?", text):
            return str(int(number))
    except ValueError:
        pass
    return text


#: Largest emission total accepted in one row: sums of a few million such rows stay finite.
MAX_TOTAL = 1e250


@dataclass
class Totals:
    """Emission totals of one year: ``values[(region, category)]`` in the table's units."""

    year: int
    values: dict
    regions: list
    rows_used: int = 0
    sectors: dict = field(default_factory=dict)  # sector -> category when a sector column was used
    duplicates: list = field(default_factory=list)  # (row number, region, category) summed into an earlier row


def totals_table(values, keys=None):
    """Region-by-category totals as the array :func:`downscale` takes.

    Parameters
    ----------
    values : dict
        ``{(region, category): total}`` (:attr:`Totals.values`); repeated
        keys are impossible in a dict, rows were summed when parsed.
    keys : sequence, optional
        Region keys in the order of the region index (region ``keys[i]`` is
        index ``i + 1``). ``None``: one region, every total goes to index 1.

    Returns
    -------
    ndarray, shape (len(keys) + 1, 4)
        ``table[r, c]`` the total of region index ``r`` and category ``c``
        (row 0 and column 0, "no region" and "no category", stay 0).
    """
    table = np.zeros(((len(keys) if keys is not None else 1) + 1, 4))
    position = None if keys is None else {k: i + 1 for i, k in enumerate(keys)}
    for (region, category), value in values.items():
        table[1 if position is None else position[region], category] += value
    return table


def table_total(table):
    """Sum of a :func:`totals_table` over the regions and categories (table units)."""
    return float(np.asarray(table)[1:, 1:].sum())


def single_region_index(valid):
    """Region index for a run without region polygons: 1 on valid cells, 0 elsewhere (int32)."""
    return np.where(valid, 1, 0).astype(np.int32)


def cells_outside_regions(categories, valid, region_index):
    """Number of valid cells of an emission category (1-3) that lie in no region (index 0)."""
    return int(np.count_nonzero((categories > 0) & valid & (region_index == 0)))


def parse_totals(rows, fields, year, use_regions=True):
    """Pick and check one year's totals from table rows.

    Parameters
    ----------
    rows : iterable of dict
        Table rows (field name -> value).
    fields : sequence of str
        Field names of the table (matched case-insensitively).
    year : int
        Year to use.
    use_regions : bool
        Whether a ``region`` column is required.

    Returns
    -------
    Totals

    Raises
    ------
    ValueError
        Missing column, no row for ``year`` (the message lists the years there
        are), negative or non-numeric emissions, a category outside 1-3 or an
        unknown sector.
    """
    lower = {f.lower(): f for f in fields}
    for needed in ("year", "emissions"):
        if needed not in lower:
            raise ValueError(
                f"The totals table has no '{needed}' column (columns: {', '.join(fields)}). "
                "It needs year, category (or sector), emissions and, with regions, region."
            )
    cat_col = lower.get("category")
    sector_col = lower.get("sector")
    if cat_col is None and sector_col is None:
        raise ValueError(
            f"The totals table has neither a 'category' (1 urban, 2 industrial, 3 rural and other) "
            f"nor a 'sector' (CEADs sector names) column (columns: {', '.join(fields)})."
        )
    region_col = lower.get("region")
    if use_regions and region_col is None:
        raise ValueError(
            f"The totals table has no 'region' column (columns: {', '.join(fields)}), "
            "but a region layer was given. Add a region column matching the region field."
        )
    year_col, em_col = lower["year"], lower["emissions"]
    values, years_seen, sectors, unknown_sectors = {}, set(), {}, set()
    duplicates = []
    used = 0
    for n, row in enumerate(rows, start=1):
        y = _as_number(row.get(year_col))
        if y is None:
            raise ValueError(f"Row {n} of the totals table has no valid year ({row.get(year_col)!r}).")
        if not float(y).is_integer():
            raise ValueError(
                f"Row {n} of the totals table has year {row.get(year_col)!r}, not a whole number. "
                "Years must be integers (e.g. 2010)."
            )
        years_seen.add(int(y))
        if int(y) != int(year):
            continue
        e = _as_number(row.get(em_col))
        if e is None:
            raise ValueError(f"Row {n} of the totals table has no numeric emissions ({row.get(em_col)!r}).")
        if abs(e) > MAX_TOTAL:
            raise ValueError(
                f"Row {n} of the totals table has emissions {e:.3g}: values too large to sum and spread "
                f"safely (at most {MAX_TOTAL:.0e}). Express the totals in a larger unit (e.g. Mt instead of t)."
            )
        if e < 0:
            raise ValueError(
                f"Row {n} of the totals table has negative emissions ({e}). Emissions must be >= 0; "
                "net removals cannot be spread with Eq. 1."
            )
        if cat_col is not None and _as_number(row.get(cat_col)) is not None:
            c = _as_number(row.get(cat_col))
            if c not in (1, 2, 3):
                raise ValueError(
                    f"Row {n} of the totals table has category {row.get(cat_col)!r}; "
                    "use 1 (urban), 2 (industrial) or 3 (rural and other)."
                )
            c = int(c)
        elif sector_col is not None:
            name = row.get(sector_col)
            c = sector_category(name)
            if c is None:
                unknown_sectors.add(str(name))
                continue
            sectors[str(name)] = c
        else:
            raise ValueError(f"Row {n} of the totals table has no valid category ({row.get(cat_col)!r}).")
        region = region_key(row.get(region_col)) if region_col is not None else None
        if use_regions and region is None:
            raise ValueError(f"Row {n} of the totals table has no region.")
        key = (region, c)
        if key in values and sector_col is None:
            duplicates.append((n, region, c))
        values[key] = values.get(key, 0.0) + e
        used += 1
    if unknown_sectors:
        raise ValueError(
            "Sector(s) not recognised as a CEADs sector: " + ", ".join(sorted(unknown_sectors)[:10])
            + ". Use a 'category' column (1/2/3) for these rows, and leave out total rows."
        )
    if used == 0:
        raise ValueError(
            f"The totals table has no rows for year {year}. Years in the table: "
            f"{', '.join(map(str, sorted(years_seen))) or 'none'}."
        )
    regions = sorted({r for r, _ in values}, key=lambda r: (r is None, str(r)))
    if not use_regions and len(regions) > 1:
        raise ValueError(
            f"The totals table has {len(regions)} regions for {year} "
            f"({', '.join(map(str, regions[:5]))} ...) but no region layer was given. "
            "Give a region layer or a table for one region."
        )
    return Totals(int(year), values, regions, used, sectors, duplicates)


# --------------------------------------------------------------------------- allocation

@dataclass
class CategoryReport:
    """Allocation of one region and category."""

    region: object
    category: int
    table_total: float
    allocated_total: float
    cells: int
    proxy: str
    fallback: bool


@dataclass
class DownscaleResult:
    """Result of :func:`allocate_emissions`.

    Attributes
    ----------
    emissions : ndarray of float64
        Emissions per cell (table units); NaN outside every region or where land use is nodata.
    report : list of CategoryReport
        One entry per region and category that has a table total or cells.
    max_abs_error : float
        Largest ``|allocated - table|`` over regions and categories that have cells.
    unallocated : float
        Sum of table totals that found no cell (region and category without cells).
    proxy_nodata_cells : int
        Emitting cells whose proxy was nodata or negative (weight 0).
    """

    emissions: np.ndarray
    report: list
    max_abs_error: float
    unallocated: float
    proxy_nodata_cells: int = 0

    @property
    def fallbacks(self):
        return [r for r in self.report if r.fallback]

    @property
    def allocated_total(self):
        """Sum of the emissions placed on cells (table units)."""
        return float(np.nansum(self.emissions))


def _blocks(n_rows, n_cols):
    step = max(1, _BLOCK_CELLS // max(n_cols, 1))
    for start in range(0, n_rows, step):
        yield slice(start, min(start + step, n_rows))


def _clean_proxy(values):
    """Proxy as float64 with nodata/negative -> 0, and the mask of bad cells."""
    v = np.asarray(values, dtype=np.float64)
    bad = ~np.isfinite(v) | (v < 0)
    return np.where(bad, 0.0, v), bad


def allocate_emissions(categories, region_index, totals, light, population, valid=None, progress=None):
    """Spread regional totals over cells with Eq. 1 (per region and category).

    Parameters
    ----------
    categories : ndarray of int, shape (rows, cols)
        Emission categories 0-3 (see :mod:`.landuse`).
    region_index : ndarray of int, shape (rows, cols)
        1..R for cells inside region R, 0 outside every region.
    totals : ndarray, shape (R + 1, 4)
        ``totals[r, c]`` emissions of region r and category c (row 0 and column 0 ignored),
        in any unit (the output has the same unit).
    light, population : ndarray of float, shape (rows, cols)
        Proxies on the same grid; NaN or negative values count as 0 (and are counted).
    valid : ndarray of bool, optional
        Cells with land-use data; others are NaN in the output.
    progress : callable, optional
        ``progress(fraction, message)``.

    Returns
    -------
    DownscaleResult
    """
    categories = np.asarray(categories)
    region_index = np.asarray(region_index)
    shape = categories.shape
    for name, arr in (("region_index", region_index), ("light", light), ("population", population)):
        if np.shape(arr) != shape:
            raise ValueError(
                f"{name} has shape {np.shape(arr)}, the categories {shape}: align the grids first."
            )
    totals = np.asarray(totals, dtype=np.float64)
    n_regions = totals.shape[0] - 1
    if totals.ndim != 2 or totals.shape[1] != 4:
        raise ValueError("totals must have shape (regions + 1, 4)")
    if np.any(~np.isfinite(totals)) or np.any(totals < 0):
        raise ValueError("Emission totals must be finite and non-negative.")
    if region_index.size and (region_index.min() < 0 or region_index.max() > n_regions):
        raise ValueError("region_index has values outside 0..number of regions.")
    n_labels = (n_regions + 1) * 4
    rows, cols = shape

    light_sum = np.zeros(n_labels)
    pop_sum = np.zeros(n_labels)
    count = np.zeros(n_labels)
    bad_cells = 0
    blocks = list(_blocks(rows, cols))
    n_steps = 2 * len(blocks)
    step = 0
    # pass 1: proxy sums per region x category label
    for sl in blocks:
        cat = categories[sl].astype(np.int64)
        reg = region_index[sl].astype(np.int64)
        emitting = (reg > 0) & (cat > 0)
        if valid is not None:
            emitting &= valid[sl]
        labels = (reg * 4 + cat)[emitting]
        li, lbad = _clean_proxy(light[sl])
        po, pbad = _clean_proxy(population[sl])
        li, po = li[emitting], po[emitting]
        primary_bad = np.where(np.isin(cat[emitting], (URBAN, INDUSTRIAL)), lbad[emitting], pbad[emitting])
        bad_cells += int(primary_bad.sum())
        light_sum += np.bincount(labels, weights=li, minlength=n_labels)
        pop_sum += np.bincount(labels, weights=po, minlength=n_labels)
        count += np.bincount(labels, minlength=n_labels)
        step += 1
        if progress is not None:
            progress(step / n_steps, "Summing proxies per region and category")

    # proxy choice and scale factor per label
    label_cat = np.tile(np.arange(4), n_regions + 1)
    table = totals.ravel()
    proxy = np.full(n_labels, NONE, dtype=np.int8)
    primary_light = np.isin(label_cat, (URBAN, INDUSTRIAL))
    proxy[(count > 0)] = AREA
    proxy[(count > 0) & (pop_sum > 0)] = POPULATION
    proxy[(count > 0) & primary_light & (light_sum > 0)] = LIGHT
    denom = np.select([proxy == LIGHT, proxy == POPULATION, proxy == AREA], [light_sum, pop_sum, count], 1.0)
    factor = np.where(proxy == NONE, 0.0, table / np.where(denom > 0, denom, 1.0))
    factor[label_cat == 0] = 0.0

    # pass 2: C_i = DN_i * C_rc / sum DN
    out = np.full(shape, np.nan)
    allocated = np.zeros(n_labels)
    for sl in blocks:
        cat = categories[sl].astype(np.int64)
        reg = region_index[sl].astype(np.int64)
        labels = reg * 4 + cat
        inside = reg > 0
        if valid is not None:
            inside &= valid[sl]
        li, _ = _clean_proxy(light[sl])
        po, _ = _clean_proxy(population[sl])
        kind = proxy[labels]
        dn = np.where(kind == LIGHT, li, np.where(kind == POPULATION, po, 1.0))
        value = np.where(inside, factor[labels] * dn, np.nan)
        value[inside & (cat == 0)] = 0.0
        out[sl] = value
        allocated += np.bincount(labels[inside], weights=value[inside], minlength=n_labels)
        step += 1
        if progress is not None:
            progress(step / n_steps, "Allocating emissions to cells")

    report = []
    max_err = 0.0
    unallocated = 0.0
    for r in range(1, n_regions + 1):
        for c in (URBAN, INDUSTRIAL, RURAL):
            k = r * 4 + c
            if table[k] == 0 and count[k] == 0:
                continue
            kind = int(proxy[k])
            if kind == NONE:
                unallocated += table[k]
            else:
                max_err = max(max_err, abs(allocated[k] - table[k]))
            report.append(CategoryReport(
                region=r, category=c, table_total=float(table[k]), allocated_total=float(allocated[k]),
                cells=int(count[k]), proxy=PROXY_NAMES[kind],
                fallback=kind != NONE and kind != PRIMARY_PROXY[c] and table[k] > 0,
            ))
    return DownscaleResult(out, report, float(max_err), float(unallocated), bad_cells)


def mass_balance_ok(result, totals, rtol=1e-9):
    """Whether every region-category with cells received its table total (to ``rtol``)."""
    scale = max(float(np.max(totals)) if np.size(totals) else 0.0, 1e-300)
    return result.max_abs_error <= rtol * scale


# --------------------------------------------------------------------------- grids

def aggregate_blocks(fine, factor_y, factor_x, how="mean"):
    """Aggregate a grid onto one ``factor`` times coarser (cells nest exactly).

    Parameters
    ----------
    fine : ndarray, shape (rows * factor_y, cols * factor_x)
        Values; NaN is nodata (ignored; an all-NaN block gives NaN).
    factor_y, factor_x : int
        Sub-cells per coarse cell along rows and columns.
    how : {"mean", "sum"}
        Mean of the valid sub-cells (intensities such as light radiance) or their
        sum (counts such as population).

    Returns
    -------
    ndarray of float64, shape (rows, cols)
    """
    fine = np.asarray(fine, dtype=np.float64)
    if fine.shape[0] % factor_y or fine.shape[1] % factor_x:
        raise ValueError("The fine grid's shape is not a multiple of the aggregation factors.")
    if how == "sum":
        return block_sum(fine, (factor_y, factor_x))
    if how == "mean":
        return block_mean(fine, (factor_y, factor_x))
    raise ValueError("how must be 'mean' or 'sum'")


def counts_per_cell(mean_counts, cell_area, source_cell_area):
    """Counts per grid cell from the mean count of the source cells under each grid cell.

    A count raster (people per cell) resampled by averaging gives the mean count of a
    *source* cell; at the same density a grid cell of ``cell_area`` holds
    ``mean_counts * cell_area / source_cell_area`` (areas in the same units).

    Examples
    --------
    >>> counts_per_cell(np.array([10.0, np.nan]), 1_000_000.0, 250_000.0).tolist()
    [40.0, nan]
    """
    return np.asarray(mean_counts, dtype=np.float64) * (float(cell_area) / float(source_cell_area))


def nesting_factors(fine_gt, fine_shape, coarse_gt, coarse_shape, tol=1e-6):
    """If the fine grid nests in the coarse one, return (row0, col0, fy, fx), else None.

    ``row0, col0`` is the fine-grid cell at the coarse grid's origin, ``fy, fx``
    the sub-cells per coarse cell; both grids must be north-up, the fine window
    must cover the coarse grid.
    """
    if fine_gt[2] or fine_gt[4] or coarse_gt[2] or coarse_gt[4]:
        return None
    fx = coarse_gt[1] / fine_gt[1]
    fy = coarse_gt[5] / fine_gt[5]
    if fx < 1 - tol or fy < 1 - tol or abs(fx - round(fx)) > tol or abs(fy - round(fy)) > tol:
        return None
    col0 = (coarse_gt[0] - fine_gt[0]) / fine_gt[1]
    row0 = (coarse_gt[3] - fine_gt[3]) / fine_gt[5]
    if abs(col0 - round(col0)) > tol * max(1, abs(col0)) or abs(row0 - round(row0)) > tol * max(1, abs(row0)):
        return None
    fx, fy, col0, row0 = int(round(fx)), int(round(fy)), int(round(col0)), int(round(row0))
    if row0 < 0 or col0 < 0:
        return None
    if row0 + coarse_shape[0] * fy > fine_shape[0] or col0 + coarse_shape[1] * fx > fine_shape[1]:
        return None
    return row0, col0, fy, fx
