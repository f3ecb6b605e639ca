"""What the emission study hands to its report builder."""

from dataclasses import dataclass


@dataclass
class StudyResults:
    """The finished study, as the report shows it.

    Attributes
    ----------
    years : list of int
        The study years, ascending.
    tables : dict
        Every table of the report by name (as written to ``study_tables.json``).
    findings : list of core.findings.Finding
        Sentences written from the tables.
    maps : list of tuple
        ``(kind, year, file name, caption)`` per rendered map.
    unit : str
        Emission unit of the totals table (e.g. ``Mt CO2``).
    grid_info : dict
        The analysis grid (``cell_size``, ``cells`` per year, ``grids``, ``fields``, ``factor``).
    neighbourhood : str
        Name of the neighbourhood of Moran's I and Gi*.
    elapsed : float
        Run time in seconds.
    out_folder : str
        The output folder (its files are listed in the report).
    """

    years: list
    tables: dict
    findings: list
    maps: list
    unit: str
    grid_info: dict
    neighbourhood: str
    elapsed: float
    out_folder: str
