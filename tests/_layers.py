"""Test-data helpers shared by the algorithm tests."""

import numpy as np
from osgeo import gdal, ogr, osr


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


def write_raster(path, data, origin=(500_000.0, 4_500_000.0), cell=1000.0, crs=3857, nodata=-9999.0,
                 dtype=gdal.GDT_Float64):
    """A one-band north-up GeoTIFF of ``data`` (rows from the top) and its path.

    ``origin`` is the top-left corner and ``cell`` the square cell size, in CRS units; ``crs`` an
    EPSG code or a PROJ string. NaN and infinite values are written as ``nodata``.
    """
    data = np.asarray(data, dtype=float)
    rows, cols = data.shape
    ds = gdal.GetDriverByName("GTiff").Create(str(path), cols, rows, 1, dtype)
    ds.SetGeoTransform((origin[0], cell, 0, origin[1], 0, -cell))
    srs = osr.SpatialReference()
    if isinstance(crs, str):
        srs.ImportFromProj4(crs)
    else:
        srs.ImportFromEPSG(crs)
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(nodata)
    band.WriteArray(np.where(np.isfinite(data), data, nodata))
    ds = None
    return str(path)
