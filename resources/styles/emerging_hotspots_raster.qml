<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.16-Białowieża" minScale="1e+08" hasScaleBasedVisibilityFlag="0" styleCategories="AllStyleCategories" maxScale="0">
  <flags>
    <Identifiable>1</Identifiable>
    <Removable>1</Removable>
    <Searchable>1</Searchable>
    <Private>0</Private>
  </flags>
  <temporal fetchMode="0" mode="0" enabled="0">
    <fixedRange>
      <start></start>
      <end></end>
    </fixedRange>
  </temporal>
  <customproperties>
    <Option type="Map">
      <Option name="identify/format" type="QString" value="Value"/>
    </Option>
  </customproperties>
  <pipe-data-defined-properties>
    <Option type="Map">
      <Option name="name" type="QString" value=""/>
      <Option name="properties"/>
      <Option name="type" type="QString" value="collection"/>
    </Option>
  </pipe-data-defined-properties>
  <pipe>
    <provider>
      <resampling maxOversampling="2" zoomedOutResamplingMethod="nearestNeighbour" zoomedInResamplingMethod="nearestNeighbour" enabled="false"/>
    </provider>
    <rasterrenderer alphaBand="-1" band="1" nodataColor="" opacity="1" type="paletted">
      <minMaxOrigin>
        <limits>None</limits>
        <extent>WholeRaster</extent>
        <statAccuracy>Estimated</statAccuracy>
        <cumulativeCutLower>0.02</cumulativeCutLower>
        <cumulativeCutUpper>0.98</cumulativeCutUpper>
        <stdDevFactor>2</stdDevFactor>
      </minMaxOrigin>
      <colorPalette>
        <paletteEntry alpha="255" color="#e31a1c" label="New Hot Spot" value="1"/>
        <paletteEntry alpha="255" color="#fc4e2a" label="Consecutive Hot Spot" value="2"/>
        <paletteEntry alpha="255" color="#800026" label="Intensifying Hot Spot" value="3"/>
        <paletteEntry alpha="255" color="#bd0026" label="Persistent Hot Spot" value="4"/>
        <paletteEntry alpha="255" color="#fd8d3c" label="Diminishing Hot Spot" value="5"/>
        <paletteEntry alpha="255" color="#feb24c" label="Sporadic Hot Spot" value="6"/>
        <paletteEntry alpha="255" color="#fed976" label="Oscillating Hot Spot" value="7"/>
        <paletteEntry alpha="255" color="#ffeda0" label="Historical Hot Spot" value="8"/>
        <paletteEntry alpha="255" color="#0570b0" label="New Cold Spot" value="9"/>
        <paletteEntry alpha="255" color="#3690c0" label="Consecutive Cold Spot" value="10"/>
        <paletteEntry alpha="255" color="#023858" label="Intensifying Cold Spot" value="11"/>
        <paletteEntry alpha="255" color="#045a8d" label="Persistent Cold Spot" value="12"/>
        <paletteEntry alpha="255" color="#74a9cf" label="Diminishing Cold Spot" value="13"/>
        <paletteEntry alpha="255" color="#a6bddb" label="Sporadic Cold Spot" value="14"/>
        <paletteEntry alpha="255" color="#d0d1e6" label="Oscillating Cold Spot" value="15"/>
        <paletteEntry alpha="255" color="#ece7f2" label="Historical Cold Spot" value="16"/>
        <paletteEntry alpha="255" color="#f0f0f0" label="No Pattern Detected" value="0"/>
      </colorPalette>
    </rasterrenderer>
    <brightnesscontrast brightness="0" gamma="1" contrast="0"/>
    <huesaturation colorizeGreen="128" colorizeRed="255" colorizeStrength="100" saturation="0" invertColors="0" colorizeBlue="128" grayscaleMode="0" colorizeOn="0"/>
    <rasterresampler maxOversampling="2"/>
    <resamplingStage>resamplingFilter</resamplingStage>
  </pipe>
  <blendMode>0</blendMode>
</qgis>
