"""Sample study data for Carbon Spacetime (generated on demand, never committed).

``sampledata.liaoning.generate(out_dir)`` writes a Liaoning-like study dataset:
province and city polygons, land use, nighttime light, population, an emission
totals table and gridded driving factors. See ``liaoning.py`` for what is real and
what is synthetic.
"""
