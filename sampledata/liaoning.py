"""A Liaoning-like study dataset, generated deterministically in a few seconds.

What is real: the province's approximate outline and coast, the 14 prefecture-level
cities with their seats and administrative codes, their approximate 2020 populations,
the provincial CO2 totals of CEADs for 2000, 2010 (approximately) and 2020, the CAS/RESDC
land-use code system and the kinds of data (1 km land use, 500 m nighttime light,
1 km population). What is synthetic: every raster value, the city boundaries
(Voronoi cells of the city seats clipped to the outline), the 2005 and 2015 totals,
the split of totals by city and category, and the driving factors. The data are
plausible, not observed: use them to try the tools, not to draw conclusions.

Usage (from the repository root)::

    python -m sampledata.liaoning OUT_DIR [--shrink K]

or from Python ``generate(out_dir)``; ``shrink=k`` makes a k-times coarser grid
(k km land use, k/2 km light) for fast tests.
"""

import argparse
import csv
import functools
import os
import sys

import numpy as np
from osgeo import gdal, ogr, osr
from scipy import ndimage

SEED = 20260
YEARS = (2000, 2005, 2010, 2015, 2020)

#: China Albers equal-area conic (WGS84), metres.
ALBERS_PROJ4 = (
    "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
)

#: Provincial CO2 totals (Mt). 2000 and 2020 are the CEADs figures; 2010 is CEADs'
#: "about 454 Mt" (taken as 2020 minus 79 Mt); 2005 and 2015 are synthetic.
PROVINCE_TOTALS = {2000: 208.957, 2005: 318.412, 2010: 454.285, 2015: 497.630, 2020: 533.285}

#: name, administrative code, seat (lon, lat), 2020 resident population (millions),
#: urbanisation rate 2020 (%), weight in industrial emissions (synthetic).
CITIES = [
    ("Shenyang", 210100, (123.43, 41.80), 9.07, 84.5, 0.12),
    ("Dalian", 210200, (121.61, 38.91), 7.45, 80.0, 0.14),
    ("Anshan", 210300, (122.99, 41.11), 3.33, 69.0, 0.17),
    ("Fushun", 210400, (123.96, 41.88), 1.85, 77.0, 0.08),
    ("Benxi", 210500, (123.77, 41.29), 1.33, 79.0, 0.09),
    ("Dandong", 210600, (124.38, 40.13), 2.19, 65.0, 0.03),
    ("Jinzhou", 210700, (121.13, 41.10), 2.70, 55.0, 0.05),
    ("Yingkou", 210800, (122.24, 40.67), 2.33, 67.0, 0.07),
    ("Fuxin", 210900, (121.67, 42.02), 1.65, 60.0, 0.04),
    ("Liaoyang", 211000, (123.17, 41.27), 1.60, 62.0, 0.05),
    ("Panjin", 211100, (122.07, 41.12), 1.39, 73.0, 0.06),
    ("Tieling", 211200, (123.84, 42.29), 2.39, 48.0, 0.03),
    ("Chaoyang", 211300, (120.45, 41.57), 2.87, 47.0, 0.03),
    ("Huludao", 211400, (120.84, 40.71), 2.43, 52.0, 0.04),
]

#: Resident population of the province (millions), census-like figures.
PROVINCE_POPULATION = {2000: 41.82, 2005: 42.21, 2010: 43.75, 2015: 43.82, 2020: 42.59}

# Approximate outline (lon, lat), clockwise from the Hebei border at the coast.
_OUTLINE = [
    (119.80, 40.02), (119.25, 40.60), (118.90, 41.30), (119.30, 42.10), (119.90, 42.30),
    (120.60, 42.60), (121.50, 42.72), (122.30, 43.30), (123.00, 43.48), (123.60, 43.30),
    (124.30, 42.90), (124.80, 42.60), (125.30, 42.20), (125.55, 41.60), (125.78, 40.90),
    (125.00, 40.30), (124.40, 39.86), (123.50, 39.72), (122.90, 39.52), (122.20, 39.02),
    (121.30, 38.73), (121.00, 39.00), (121.55, 39.50), (121.50, 39.90), (122.00, 40.30),
    (122.20, 40.68), (121.80, 40.92), (121.20, 40.88), (120.80, 40.58), (120.40, 40.22),
    (119.80, 40.02),
]
# The Bohai and Yellow Sea next to the province (shares the coastal vertices).
_SEA = [
    (119.80, 40.02), (120.40, 40.22), (120.80, 40.58), (121.20, 40.88), (121.80, 40.92),
    (122.20, 40.68), (122.00, 40.30), (121.50, 39.90), (121.55, 39.50), (121.00, 39.00),
    (121.30, 38.73), (122.20, 39.02), (122.90, 39.52), (123.50, 39.72), (124.40, 39.86),
    (124.70, 39.30), (124.70, 37.50), (118.50, 37.50), (118.50, 39.40), (119.80, 40.02),
]
# Liao River (lon, lat), from the north-east down to the delta at Panjin/Yingkou.
_LIAO_RIVER = [(123.90, 43.10), (123.60, 42.60), (123.10, 42.30), (122.80, 41.90), (122.55, 41.50),
               (122.30, 41.10), (122.10, 40.85), (122.05, 40.75)]
# Reservoirs (lon, lat, radius km): Dahuofang near Fushun, Biliuhe near Dalian, Shuifeng on the Yalu.
_RESERVOIRS = [(124.10, 41.90, 6.0), (122.50, 39.85, 3.0), (125.20, 40.60, 4.0)]
# Mining and heavy-industry sites (lon, lat, radius km) outside the city cores.
_INDUSTRIAL_SITES = [(123.05, 40.95, 5.0), (123.85, 41.25, 4.0), (124.05, 41.85, 4.0),
                     (121.60, 41.95, 4.0), (121.85, 41.25, 4.0), (122.10, 40.35, 4.0),
                     (121.90, 39.15, 5.0), (120.95, 40.60, 3.0)]

NODATA_BYTE = 0
NODATA_FLOAT = -9999.0

FACTOR_NAMES = ("urbanisation", "energy_structure", "agpp", "electricity", "real_gdp")


def _albers():
    srs = osr.SpatialReference()
    srs.ImportFromProj4(ALBERS_PROJ4)
    srs.SetProjCS("China Albers Equal Area (WGS 84)")
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def _wgs84():
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def _project(lonlat):
    ct = osr.CoordinateTransformation(_wgs84(), _albers())
    return np.array(ct.TransformPoints([(float(a), float(b)) for a, b in lonlat]))[:, :2]


def _polygon(xy):
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in xy:
        ring.AddPoint_2D(float(x), float(y))
    poly = ogr.Geometry(ogr.wkbPolygon)
    poly.AddGeometry(ring)
    return poly


def _city_polygons(province):
    """Voronoi cells of the city seats (intersections of half-planes), clipped to the outline."""
    seats = _project([c[2] for c in CITIES])
    big = 2.0e6
    polygons = []
    for i, pi in enumerate(seats):
        cell = province.Clone()
        for j, pj in enumerate(seats):
            if i == j:
                continue
            mid = (pi + pj) / 2.0
            normal = (pj - pi) / np.hypot(*(pj - pi))
            perp = np.array([-normal[1], normal[0]])
            half = _polygon([mid + perp * big, mid - perp * big, mid - perp * big - normal * big,
                             mid + perp * big - normal * big, mid + perp * big])
            cell = cell.Intersection(half)
        polygons.append(cell)
    return polygons, seats


def _write_vector(path, srs, layer_name, fields, rows):
    if os.path.exists(path):
        os.remove(path)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    layer = ds.CreateLayer(layer_name, srs, ogr.wkbMultiPolygon)
    for name, kind in fields:
        layer.CreateField(ogr.FieldDefn(name, kind))
    for geom, values in rows:
        feature = ogr.Feature(layer.GetLayerDefn())
        for (name, _), value in zip(fields, values):
            feature.SetField(name, value)
        feature.SetGeometry(ogr.ForceToMultiPolygon(geom))
        layer.CreateFeature(feature)
    ds = None


def _rasterise(geoms, values, gt, shape, srs):
    """Burn ``values`` of ``geoms`` into an int32 grid (0 where no geometry)."""
    ds = gdal.GetDriverByName("MEM").Create("", shape[1], shape[0], 1, gdal.GDT_Int32)
    ds.SetGeoTransform(gt)
    ds.SetProjection(srs.ExportToWkt())
    vds = ogr.GetDriverByName("Memory").CreateDataSource("")
    layer = vds.CreateLayer("g", srs, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("v", ogr.OFTInteger))
    for geom, value in zip(geoms, values):
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetField("v", int(value))
        f.SetGeometry(geom)
        layer.CreateFeature(f)
    gdal.RasterizeLayer(ds, [1], layer, options=["ATTRIBUTE=v"])
    return ds.GetRasterBand(1).ReadAsArray()


def _write_raster(path, array, gt, srs, dtype, nodata):
    driver = gdal.GetDriverByName("GTiff")
    ds = driver.Create(path, array.shape[1], array.shape[0], 1, dtype,
                       ["COMPRESS=DEFLATE", "PREDICTOR=2" if dtype == gdal.GDT_Byte else "PREDICTOR=3",
                        "TILED=YES"])
    ds.SetGeoTransform(gt)
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(nodata)
    band.WriteArray(array)
    ds.FlushCache()
    ds = None
    return path


def _smooth_noise(rng, shape, sigma):
    """Gaussian random field with unit standard deviation (sigma in cells)."""
    field = ndimage.gaussian_filter(rng.standard_normal(shape), sigma, mode="reflect")
    sd = field.std()
    return field / sd if sd > 0 else field


def _year_fraction(year):
    """0 in 2000, 1 in 2020 (extrapolates linearly outside)."""
    return (year - 2000) / 20.0


def _interp(year, table):
    years = sorted(table)
    return float(np.interp(year, years, [table[y] for y in years]))


def _distance_to_polyline(x, y, line_xy):
    best = np.full(x.shape, np.inf)
    for (x0, y0), (x1, y1) in zip(line_xy[:-1], line_xy[1:]):
        dx, dy = x1 - x0, y1 - y0
        t = np.clip(((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy), 0, 1)
        best = np.minimum(best, np.hypot(x - (x0 + t * dx), y - (y0 + t * dy)))
    return best


class _Study:
    """The static part of the synthetic landscape on a grid of ``cell`` metres."""

    def __init__(self, cell, seed):
        self.cell = float(cell)
        self.seed = seed
        self.srs = _albers()
        self.province = _polygon(_project(_OUTLINE))
        self.sea = _polygon(_project(_SEA))
        self.cities, self.seats = _city_polygons(self.province)
        minx, maxx, miny, maxy = self.province.GetEnvelope()
        margin = 10000.0
        x0 = np.floor((minx - margin) / 1000.0) * 1000.0
        y1 = np.ceil((maxy + margin) / 1000.0) * 1000.0
        nx = int(np.ceil((maxx + margin - x0) / self.cell))
        ny = int(np.ceil((y1 - (miny - margin)) / self.cell))
        self.gt = (x0, self.cell, 0.0, y1, 0.0, -self.cell)
        self.shape = (ny, nx)
        cols = x0 + (np.arange(nx) + 0.5) * self.cell
        rows = y1 - (np.arange(ny) + 0.5) * self.cell
        self.x, self.y = np.meshgrid(cols, rows)
        ct = osr.CoordinateTransformation(self.srs, _wgs84())
        ll = np.array(ct.TransformPoints(np.column_stack([self.x.ravel(), self.y.ravel()])))
        self.lon = ll[:, 0].reshape(self.shape)
        self.lat = ll[:, 1].reshape(self.shape)
        self.city_id = _rasterise(self.cities, range(1, len(CITIES) + 1), self.gt, self.shape, self.srs)
        self.inside = self.city_id > 0
        self.is_sea = (_rasterise([self.sea], [1], self.gt, self.shape, self.srs) > 0) & ~self.inside
        rng = np.random.default_rng([seed, 0])
        k = 1000.0 / self.cell  # cells per km
        self.noise_terrain = _smooth_noise(rng, self.shape, 12 * k)
        self.noise_fine = _smooth_noise(rng, self.shape, max(1.5 * k, 0.6))
        self.noise_industry = _smooth_noise(rng, self.shape, max(2.0 * k, 0.6))
        self.noise_settle = _smooth_noise(rng, self.shape, max(0.8 * k, 0.5))
        self.uniform = rng.random(self.shape)
        # Distance (km) to every city seat, and to the nearest one.
        self.seat_km = np.stack([np.hypot(self.x - sx, self.y - sy) / 1000.0 for sx, sy in self.seats])
        self.river_km = _distance_to_polyline(self.x, self.y, _project(_LIAO_RIVER)) / 1000.0
        coast = ndimage.binary_dilation(self.is_sea, iterations=1) & self.inside
        self.coast = coast
        self.static_landcover = self._static_landcover()

    def _static_landcover(self):
        """Natural and agricultural land cover (CAS codes) before urban growth."""
        lon, lat = self.lon, self.lat
        # Relief: Changbai foothills in the east, Liaoxi hills in the west, plain in the middle.
        east = np.clip((lon - 123.4) / 1.2, 0, 1.5) + np.clip((lat - 42.6) / 0.6, 0, 1) * (lon > 123)
        east += np.clip((lon - 122.6) / 1.2, 0, 1) * (lat < 40.9) * 0.9  # Liaodong peninsula hills
        west = np.clip((121.4 - lon) / 1.2, 0, 1.2)
        relief = 1.1 * east + 0.7 * west + 0.35 * self.noise_terrain
        codes = np.full(self.shape, 12, dtype=np.uint8)  # dry land
        u = self.uniform
        plain = relief < 0.55
        paddy = plain & (self.river_km < 25) & (lat < 41.4) & (self.noise_fine > -0.3)
        codes[paddy] = 11
        forest = relief > 0.85
        codes[forest & (u < 0.70)] = 21
        codes[forest & (u >= 0.70) & (u < 0.85)] = 22
        codes[forest & (u >= 0.85) & (u < 0.95)] = 23
        codes[forest & (u >= 0.95)] = 24
        hills_west = (west > 0.3) & ~forest & (relief > 0.45)
        codes[hills_west & (self.noise_fine > 0.6)] = 31
        codes[hills_west & (self.noise_fine < -0.9)] = 32
        codes[hills_west & (self.noise_fine < -1.6)] = 66
        codes[(west > 0.8) & (self.noise_fine > 1.4)] = 61
        # Liao River delta wetlands and saline land around Panjin.
        delta = (np.hypot(lon - 121.95, lat - 40.95) < 0.28) & ~self.is_sea
        codes[delta & (self.noise_fine > -0.2)] = 64
        codes[delta & (self.noise_fine > 1.2)] = 63
        # Water: the Liao River, reservoirs, tidal flats along the coast.
        codes[self.river_km < 0.6 * max(1.0, self.cell / 1000.0)] = 41
        for rlon, rlat, radius in _RESERVOIRS:
            rx, ry = _project([(rlon, rlat)])[0]
            codes[np.hypot(self.x - rx, self.y - ry) / 1000.0 < radius * (1 + 0.2 * self.noise_fine)] = 43
        codes[self.coast & (self.noise_fine > 0.3)] = 46
        codes[self.coast & (self.noise_fine <= 0.3) & (self.noise_fine > -0.2)] = 45
        # Scattered ponds and lakes.
        codes[(self.noise_settle > 3.0) & ~forest] = 42
        return codes

    def landuse(self, year):
        """CAS land-use codes of ``year`` (0 outside the province except the sea, 99)."""
        rng = np.random.default_rng([self.seed, year])
        f = _year_fraction(year)
        codes = self.static_landcover.copy()
        # Rural settlements: small patches on farmland, a few in the hills.
        farmland = np.isin(codes, (11, 12))
        settle = (self.noise_settle + 0.15 * rng.standard_normal(self.shape)) > 1.55
        codes[settle & farmland] = 52
        codes[(self.noise_settle > 2.2) & np.isin(codes, (21, 22, 31))] = 52
        # Urban cores grow with each city's population and with time.
        jitter = 0.25 * self.noise_fine
        urban = np.zeros(self.shape, dtype=bool)
        industrial = np.zeros(self.shape, dtype=bool)
        for k, (_, _, _, pop, _, ind_weight) in enumerate(CITIES):
            radius = 13.0 * np.sqrt(pop / 9.07) * (0.72 + 0.28 * f) + 1.0
            d = self.seat_km[k] * (1 + jitter)
            urban |= d < radius
            ring = (d >= radius) & (d < radius * (1.9 + 0.3 * f))
            threshold = 0.9 - 2.5 * ind_weight - 0.35 * f
            industrial |= ring & (self.noise_industry > threshold)
            # every city has its core cell urban and a neighbour industrial
            r, c = np.unravel_index(np.argmin(self.seat_km[k]), self.shape)
            urban[r, c] = True
            industrial[r, min(c + int(np.ceil(radius * 1000.0 / self.cell)) + 1, self.shape[1] - 1)] = True
        for slon, slat, radius in _INDUSTRIAL_SITES:
            sx, sy = _project([(slon, slat)])[0]
            d = np.hypot(self.x - sx, self.y - sy) / 1000.0
            industrial |= d < radius * (0.8 + 0.4 * f) * (1 + 0.3 * self.noise_fine)
        # New development zones and scattered industrial parks appear over time.
        industrial |= (self.noise_industry > 2.6 - 0.4 * f) & (self.seat_km.min(axis=0) < 60)
        codes[industrial & (codes != 41)] = 53
        codes[urban] = 51
        codes[~self.inside] = NODATA_BYTE
        codes[self.is_sea] = 99
        return codes

    def population(self, codes, year, cell_area_km2):
        """Resident population per cell (persons), summing to each city's figure."""
        rng = np.random.default_rng([self.seed, year, 1])
        density = np.zeros(self.shape)
        table = {51: 3000.0, 52: 900.0, 53: 600.0, 11: 140.0, 12: 110.0, 21: 15.0, 22: 20.0,
                 23: 25.0, 24: 25.0, 31: 30.0, 32: 25.0, 33: 20.0, 41: 2.0, 42: 2.0, 43: 2.0,
                 45: 10.0, 46: 5.0, 61: 3.0, 63: 10.0, 64: 8.0, 66: 3.0}
        for code, value in table.items():
            density[codes == code] = value
        near = self.seat_km.min(axis=0)
        density *= 1.0 + 1.0 * np.exp(-near / 6.0)
        density *= np.exp(0.35 * rng.standard_normal(self.shape))
        people = density * cell_area_km2
        total = _interp(year, PROVINCE_POPULATION) * 1e6
        shares = np.array([c[3] for c in CITIES])
        shares = shares / shares.sum()
        for k in range(len(CITIES)):
            in_city = self.city_id == k + 1
            s = people[in_city].sum()
            if s > 0:
                people[in_city] *= shares[k] * total / s
        people[~self.inside] = 0.0
        return people

    def light(self, codes, year, fine):
        """Nighttime light (nW cm-2 sr-1) on a grid ``fine`` times finer than ``codes``."""
        rng = np.random.default_rng([self.seed, year, 2])
        base = np.zeros(self.shape)
        for code, value in {51: 38.0, 53: 26.0, 52: 4.0, 11: 0.4, 12: 0.4, 45: 0.3, 46: 0.3}.items():
            base[codes == code] = value
        near = self.seat_km.min(axis=0)
        base += 6.0 * np.exp(-near / 8.0) * self.inside
        up = np.kron(base, np.ones((fine, fine)))
        up *= np.exp(0.3 * rng.standard_normal(up.shape))
        up = ndimage.gaussian_filter(up, 0.7)  # blooming of lit areas
        growth = 0.42 + 0.58 * np.clip(_year_fraction(year), 0, 1.5) ** 0.8
        up *= growth
        sea = np.kron(self.is_sea, np.ones((fine, fine), dtype=bool))
        outside = np.kron(~self.inside & ~self.is_sea, np.ones((fine, fine), dtype=bool))
        up[sea] *= 0.05
        up = np.round(up, 2).astype(np.float32)
        up[outside] = NODATA_FLOAT
        return up

    def factors(self, codes, people, light_coarse, year, cell_area_km2):
        """Gridded driving factors (float32, NODATA_FLOAT outside the province)."""
        rng = np.random.default_rng([self.seed, year, 3])
        f = _year_fraction(year)
        k = max(2.5 * 1000.0 / self.cell, 0.6)
        urban_frac = ndimage.gaussian_filter((codes == 51).astype(float), k)
        ind_frac = ndimage.gaussian_filter((codes == 53).astype(float), k)
        city_rate = np.zeros(self.shape)
        for i, city in enumerate(CITIES):
            city_rate[self.city_id == i + 1] = city[4] - 18.0 * (1 - f)
        noise = _smooth_noise(rng, self.shape, 3 * 1000.0 / self.cell)
        out = {
            # share of urban residents (%)
            "urbanisation": np.clip(0.75 * city_rate + 30 * urban_frac + 4 * noise, 5, 100),
            # coal in total energy consumption (%)
            "energy_structure": np.clip(72 - 12 * f + 14 * ind_frac + 2.5 * noise, 30, 95),
            # annual gross primary productivity (g C m-2 yr-1)
            "agpp": np.zeros(self.shape),
            # electricity consumption (10^4 kWh per cell)
            "electricity": (people / cell_area_km2) ** 0.5 * (1 + 3 * ind_frac) * (0.8 + 0.9 * f)
            * np.exp(0.25 * rng.standard_normal(self.shape)) * cell_area_km2 * 5,
            # real GDP at 2000 prices (10^4 yuan per cell)
            "real_gdp": people * (1.1 + 3.2 * f) * (0.6 + 1.5 * urban_frac + 0.8 * ind_frac)
            * np.exp(0.2 * rng.standard_normal(self.shape)),
        }
        for code, value in {11: 980.0, 12: 860.0, 21: 1350.0, 22: 1150.0, 23: 900.0, 24: 950.0,
                            31: 620.0, 32: 520.0, 33: 450.0, 52: 420.0, 51: 180.0, 53: 150.0,
                            45: 300.0, 46: 150.0, 61: 80.0, 63: 200.0, 64: 700.0, 66: 60.0}.items():
            out["agpp"][codes == code] = value
        out["agpp"] *= (1 + 0.08 * f) * np.exp(0.1 * noise)
        for name in out:
            arr = out[name].astype(np.float32)
            arr[~self.inside] = NODATA_FLOAT
            out[name] = arr
        return out


def _apportion(total, weights, decimals=4):
    """Split ``total`` by ``weights`` into values rounded to ``decimals`` that sum exactly."""
    unit = 10 ** decimals
    units = int(round(total * unit))
    w = np.asarray(weights, float)
    raw = units * w / w.sum()
    base = np.floor(raw).astype(np.int64)
    rest = units - int(base.sum())
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:rest]] += 1
    return base / unit


def emission_rows(years=YEARS):
    """Rows (region, year, category, emissions Mt CO2) whose sums match the provincial totals."""
    rows = []
    for year in years:
        total = _interp(year, PROVINCE_TOTALS) if year not in PROVINCE_TOTALS else PROVINCE_TOTALS[year]
        f = _year_fraction(year)
        shares = {1: 0.15 + 0.07 * f, 3: 0.09 - 0.03 * f}
        shares[2] = 1.0 - shares[1] - shares[3]
        weights = []
        keys = []
        for cat in (1, 2, 3):
            for name, _, _, pop, urb, ind in CITIES:
                if cat == 1:
                    w = (pop * urb / 100.0) ** 1.15
                elif cat == 2:
                    w = ind * (1.0 + 0.1 * np.sin(len(name) + year / 5.0))
                else:
                    w = pop * (1 - urb / 100.0)
                weights.append(w)
                keys.append((name, cat))
        # normalise within category, then weight by the category share
        weights = np.array(weights)
        for ci, cat in enumerate((1, 2, 3)):
            block = slice(ci * len(CITIES), (ci + 1) * len(CITIES))
            weights[block] = weights[block] / weights[block].sum() * shares[cat]
        values = _apportion(total, weights)
        for (name, cat), value in zip(keys, values):
            rows.append((name, int(year), cat, float(value)))
    return rows


_README = """# Liaoning sample study dataset (synthetic)

Generated by `python -m sampledata.liaoning` (Carbon Spacetime), seed {seed},
cell size {cell:g} m (shrink {shrink}). Coordinate system: China Albers equal-area
conic on WGS 84 (`{proj}`), metres.

| file | content |
|---|---|
| province.gpkg | approximate outline of Liaoning Province (one polygon) |
| cities.gpkg | 14 prefecture-level cities, field `region` (English name) and `code` (administrative code) |
| landuse_<year>.tif | CAS/RESDC land-use codes, {cell:g} m, nodata 0, sea 99 |
| light_<year>.tif | nighttime light (nW cm-2 sr-1), {half:g} m, nodata -9999 |
| population_<year>.tif | resident population per cell (persons), {cell:g} m, nodata -9999 |
| emission_totals.csv | `region,year,category,emissions`, Mt CO2 (1 urban, 2 industrial, 3 rural & other) |
| urbanisation_<year>.tif | share of urban residents (%) |
| energy_structure_<year>.tif | coal share of energy consumption (%) |
| agpp_<year>.tif | annual gross primary productivity (g C m-2 yr-1) |
| electricity_<year>.tif | electricity consumption (10^4 kWh per cell) |
| real_gdp_<year>.tif | real GDP at 2000 prices (10^4 yuan per cell) |

## What is real and what is synthetic
Real (approximately): the province outline and coast, the 14 city seats, their
administrative codes and 2020 populations, the provincial population, the CEADs
provincial CO2 totals for 2000 (208.957 Mt) and 2020 (533.285 Mt) and, about, 2010
(454.285 Mt, "about 454 Mt"). The land-use code system is CAS/RESDC's.

Synthetic: every raster value (land use, light, population, factors), the city
boundaries (Voronoi cells of the city seats clipped to the outline), the totals for
2005 (318.412 Mt) and 2015 (497.630 Mt), and the split of the totals by city and
category. Do not draw conclusions about Liaoning from these data.
"""


def _gdal_exceptions(func):
    """Run ``func`` with GDAL/OGR/OSR exceptions on and give the caller its modes back after.

    The generator runs inside test and QGIS processes too: it must not change their
    process-wide GDAL error mode (the plugin itself uses ``algorithms._compat.gdal_exceptions``;
    this standalone package cannot import it).
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        saved = [(m, m.GetUseExceptions()) for m in (gdal, ogr, osr)]
        for m, _ in saved:
            m.UseExceptions()
        try:
            return func(*args, **kwargs)
        finally:
            for m, was in reversed(saved):  # GDAL's handler stack: last in, first out
                if not was:
                    m.DontUseExceptions()

    return wrapper


@_gdal_exceptions
def generate(out_dir, years=YEARS, cell_size=1000, shrink=1, seed=SEED):
    """Write the sample study dataset into ``out_dir`` and return the paths.

    Parameters
    ----------
    out_dir : str or path
        Folder to write into (created if needed; existing files are overwritten).
    years : sequence of int
        Years to generate (default 2000, 2005, 2010, 2015, 2020).
    cell_size : float
        Land-use, population and factor cell size in metres (light is half of it).
    shrink : int
        Make the grid ``shrink`` times coarser (for fast tests).
    seed : int
        Seed of the random generator; the same seed gives the same files.

    Returns
    -------
    dict
        ``province``, ``cities``, ``totals``, ``readme`` paths; ``landuse``,
        ``light``, ``population`` map year -> path; ``factors`` maps factor name ->
        year -> path; ``cell_size`` the land-use cell size (m).
    """
    shrink = int(shrink)
    if shrink < 1:
        raise ValueError("shrink must be a positive integer")
    out_dir = os.fspath(out_dir)
    os.makedirs(out_dir, exist_ok=True)
    cell = float(cell_size) * shrink
    study = _Study(cell, seed)
    srs = study.srs
    paths = {"landuse": {}, "light": {}, "population": {}, "factors": {n: {} for n in FACTOR_NAMES},
             "cell_size": cell}

    paths["province"] = os.path.join(out_dir, "province.gpkg")
    _write_vector(paths["province"], srs, "province", [("name", ogr.OFTString), ("code", ogr.OFTInteger)],
                  [(study.province, ("Liaoning", 210000))])
    paths["cities"] = os.path.join(out_dir, "cities.gpkg")
    _write_vector(paths["cities"], srs, "cities",
                  [("region", ogr.OFTString), ("code", ogr.OFTInteger), ("population_2020", ogr.OFTReal)],
                  [(geom, (c[0], c[1], c[3] * 1e6)) for geom, c in zip(study.cities, CITIES)])

    area_km2 = (cell / 1000.0) ** 2
    half_gt = (study.gt[0], cell / 2.0, 0.0, study.gt[3], 0.0, -cell / 2.0)
    for year in years:
        year = int(year)
        codes = study.landuse(year)
        people = study.population(codes, year, area_km2)
        light = study.light(codes, year, 2)
        light_coarse = np.where(light < 0, 0, light)
        light_coarse = light_coarse.reshape(study.shape[0], 2, study.shape[1], 2).mean((1, 3))
        paths["landuse"][year] = _write_raster(os.path.join(out_dir, f"landuse_{year}.tif"), codes,
                                               study.gt, srs, gdal.GDT_Byte, NODATA_BYTE)
        paths["light"][year] = _write_raster(os.path.join(out_dir, f"light_{year}.tif"), light,
                                             half_gt, srs, gdal.GDT_Float32, NODATA_FLOAT)
        pop = np.round(people, 1).astype(np.float32)
        pop[~study.inside & ~study.is_sea] = NODATA_FLOAT
        paths["population"][year] = _write_raster(os.path.join(out_dir, f"population_{year}.tif"), pop,
                                                  study.gt, srs, gdal.GDT_Float32, NODATA_FLOAT)
        for name, arr in study.factors(codes, people, light_coarse, year, area_km2).items():
            paths["factors"][name][year] = _write_raster(os.path.join(out_dir, f"{name}_{year}.tif"), arr,
                                                         study.gt, srs, gdal.GDT_Float32, NODATA_FLOAT)

    paths["totals"] = os.path.join(out_dir, "emission_totals.csv")
    with open(paths["totals"], "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["region", "year", "category", "emissions"])
        for region, year, cat, value in emission_rows(years):
            writer.writerow([region, year, cat, f"{value:.4f}"])

    paths["readme"] = os.path.join(out_dir, "README.md")
    with open(paths["readme"], "w", encoding="utf-8") as fh:
        fh.write(_README.format(seed=seed, cell=cell, half=cell / 2, shrink=shrink, proj=ALBERS_PROJ4))
    return paths


def main(argv=None):
    parser = argparse.ArgumentParser(description="Generate the synthetic Liaoning sample study dataset.")
    parser.add_argument("out_dir")
    parser.add_argument("--shrink", type=int, default=1, help="k-times coarser grid (fast tests)")
    parser.add_argument("--years", default=",".join(map(str, YEARS)), help="comma-separated years")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    years = [int(y) for y in args.years.split(",") if y.strip()]
    paths = generate(args.out_dir, years=years, shrink=args.shrink, seed=args.seed)
    print(f"Sample data written to {args.out_dir} ({len(years)} years, cell {paths['cell_size']:g} m)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
