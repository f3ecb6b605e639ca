"""The colours and class labels of every result kind (one palette each, for tools and study).

The static styles in ``resources/styles`` use the same colours (tests compare them);
``tools/make_styles.py`` writes the emerging hot spot styles from :data:`EMERGING_PATTERNS`.
"""

#: Yellow-orange-red, light to dark (ColorBrewer YlOrRd, 7 classes): downscaled emissions.
EMISSION_COLOURS = ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"]

#: "Not significant" in every map of the plugin (hot spots, Local Moran, coefficients; tools and study).
NOT_SIGNIFICANT_COLOUR = "#e6e6e6"

#: Gi_Bin 3..-3 (value, colour, label): the familiar hot/cold spot palette, hot first
#: (the labels are extracted for translation by tools/i18n.py, as all ``*_CLASSES`` rows).
HOTSPOT_CLASSES = [
    (3, "#d62f27", "Hot spot – 99% confidence"),
    (2, "#ed7551", "Hot spot – 95% confidence"),
    (1, "#fab984", "Hot spot – 90% confidence"),
    (0, NOT_SIGNIFICANT_COLOUR, "Not significant"),
    (-1, "#c0ccbe", "Cold spot – 90% confidence"),
    (-2, "#849eba", "Cold spot – 95% confidence"),
    (-3, "#4575b5", "Cold spot – 99% confidence"),
]

#: The 17 emerging hot spot patterns (PATTERN_CODE, label, colour): reds for hot, blues for
#: cold, darkest for intensifying/persistent, lightest for historical (ArcGIS's familiar scheme).
EMERGING_PATTERNS = [
    (1, "New Hot Spot", "#e31a1c"),
    (2, "Consecutive Hot Spot", "#fc4e2a"),
    (3, "Intensifying Hot Spot", "#800026"),
    (4, "Persistent Hot Spot", "#bd0026"),
    (5, "Diminishing Hot Spot", "#fd8d3c"),
    (6, "Sporadic Hot Spot", "#feb24c"),
    (7, "Oscillating Hot Spot", "#fed976"),
    (8, "Historical Hot Spot", "#ffeda0"),
    (9, "New Cold Spot", "#0570b0"),
    (10, "Consecutive Cold Spot", "#3690c0"),
    (11, "Intensifying Cold Spot", "#023858"),
    (12, "Persistent Cold Spot", "#045a8d"),
    (13, "Diminishing Cold Spot", "#74a9cf"),
    (14, "Sporadic Cold Spot", "#a6bddb"),
    (15, "Oscillating Cold Spot", "#d0d1e6"),
    (16, "Historical Cold Spot", "#ece7f2"),
    (0, "No Pattern Detected", "#f0f0f0"),
]

#: Local coefficients: blue (negative) to red (positive), ColorBrewer RdBu 6 classes about 0.
DIVERGING_COLOURS = ["#2166ac", "#67a9cf", "#d1e5f0", "#fddbc7", "#ef8a62", "#b2182b"]

#: Centres, ellipses (Dark2): one colour per year, up to eight years (more: hues around the wheel).
YEAR_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]

#: The centre trajectory and its arrowheads.
TRAJECTORY_COLOUR = "#222222"
