"""Test-data helpers shared by the algorithm tests."""

import numpy as np
from osgeo import ogr, osr


def write_points(path, xy, fields, epsg, null_rows=(), layer="points"):
    """A point GeoPackage with numeric (or integer) fields; ``null_rows`` get NULL in the first field."""
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    lyr = ds.CreateLayer(layer, srs, ogr.wkbPoint)
    for name, values in fields.items():
        kind = ogr.OFTInteger if np.issubdtype(np.asarray(values).dtype, np.integer) else ogr.OFTReal
        lyr.CreateField(ogr.FieldDefn(name, kind))
    first = next(iter(fields))
    for i, (x, y) in enumerate(xy):
        f = ogr.Feature(lyr.GetLayerDefn())
        for name, values in fields.items():
            if name == first and i in null_rows:
                f.SetFieldNull(name)
            else:
                v = values[i]
                f.SetField(name, int(v) if isinstance(v, (np.integer, int)) else float(v))
        g = ogr.Geometry(ogr.wkbPoint)
        g.AddPoint_2D(float(x), float(y))
        f.SetGeometry(g)
        lyr.CreateFeature(f)
    ds = None
    return str(path)
