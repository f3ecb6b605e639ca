"""Interim demo data: weighted points around Liaoning's cities for 2000-2020 (synthetic)."""

import sys

import numpy as np
from osgeo import ogr, osr

CITIES = {  # lon, lat
    "Shenyang": (123.43, 41.80), "Dalian": (121.61, 38.91), "Anshan": (122.99, 41.11),
    "Fushun": (123.96, 41.88), "Benxi": (123.77, 41.29), "Dandong": (124.38, 40.13),
    "Jinzhou": (121.13, 41.10), "Yingkou": (122.24, 40.67), "Fuxin": (121.67, 42.02),
    "Liaoyang": (123.17, 41.27), "Panjin": (122.07, 41.12), "Tieling": (123.84, 42.29),
    "Chaoyang": (120.45, 41.57), "Huludao": (120.84, 40.71),
}


def main(path):
    rng = np.random.default_rng(2020)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32651)
    geo = osr.SpatialReference()
    geo.ImportFromEPSG(4326)
    geo.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_utm = osr.CoordinateTransformation(geo, srs)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    layer = ds.CreateLayer("emission_points", srs, ogr.wkbPoint)
    for name, kind in (("city", ogr.OFTString), ("year", ogr.OFTInteger), ("co2", ogr.OFTReal)):
        layer.CreateField(ogr.FieldDefn(name, kind))
    for k, year in enumerate((2000, 2005, 2010, 2015, 2020)):
        for city, (lon, lat) in CITIES.items():
            x, y, _ = to_utm.TransformPoint(lon, lat)
            growth = 1.0 + 0.25 * k * (1.5 if lat < 40.5 else 1.0)
            for _ in range(20):
                f = ogr.Feature(layer.GetLayerDefn())
                px, py = x + rng.normal(0, 12_000), y + rng.normal(0, 12_000)
                f.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({px} {py})"))
                f.SetField("city", city)
                f.SetField("year", year)
                f.SetField("co2", float(rng.gamma(2.0, 1.0) * growth))
                layer.CreateFeature(f)
    ds = None


if __name__ == "__main__":
    main(sys.argv[1])
