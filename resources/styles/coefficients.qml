<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<!-- Coefficient map of carbon:mgwr (polygons). The mapped term is the layer variable
     "coefficient_term" (e.g. Intercept or a field name): the fill is grey where sig_<term> = 0,
     else a red-white-blue ramp centred on 0 and symmetric (+-max |b_<term>|): red positive,
     blue negative. Change the variable in Layer Properties > Variables to map another term. -->
<qgis version="3.22.16-Białowieża" styleCategories="Symbology|CustomProperties">
  <renderer-v2 type="singleSymbol" forceraster="0" symbollevels="0" enableorderby="0" referencescale="-1">
    <symbols>
      <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <data_defined_properties>
          <Option type="Map">
            <Option type="QString" name="name" value=""/>
            <Option name="properties"/>
            <Option type="QString" name="type" value="collection"/>
          </Option>
        </data_defined_properties>
        <layer class="SimpleFill" enabled="1" pass="0" locked="0">
          <Option type="Map">
            <Option type="QString" name="border_width_map_unit_scale" value="3x:0,0,0,0,0,0"/>
            <Option type="QString" name="color" value="230,230,230,255"/>
            <Option type="QString" name="joinstyle" value="bevel"/>
            <Option type="QString" name="offset" value="0,0"/>
            <Option type="QString" name="offset_map_unit_scale" value="3x:0,0,0,0,0,0"/>
            <Option type="QString" name="offset_unit" value="MM"/>
            <Option type="QString" name="outline_color" value="120,120,120,255"/>
            <Option type="QString" name="outline_style" value="solid"/>
            <Option type="QString" name="outline_width" value="0.1"/>
            <Option type="QString" name="outline_width_unit" value="MM"/>
            <Option type="QString" name="style" value="solid"/>
          </Option>
          <data_defined_properties>
            <Option type="Map">
              <Option type="QString" name="name" value=""/>
              <Option type="Map" name="properties">
                <Option type="Map" name="fillColor">
                  <Option type="bool" name="active" value="true"/>
                  <Option type="QString" name="expression" value="CASE WHEN attribute(concat('sig_', @coefficient_term)) IS NULL THEN color_rgba(0,0,0,0) WHEN attribute(concat('sig_', @coefficient_term)) = 0 THEN color_rgb(230,230,230) ELSE ramp_color('RdBu', scale_linear(attribute(concat('b_', @coefficient_term)), -maximum(abs(attribute(concat('b_', @coefficient_term)))), maximum(abs(attribute(concat('b_', @coefficient_term)))), 1, 0)) END"/>
                  <Option type="int" name="type" value="3"/>
                </Option>
              </Option>
              <Option type="QString" name="type" value="collection"/>
            </Option>
          </data_defined_properties>
        </layer>
      </symbol>
    </symbols>
    <rotation/>
    <sizescale/>
  </renderer-v2>
  <customproperties>
    <Option type="Map">
      <Option type="List" name="variableNames">
        <Option type="QString" value="coefficient_term"/>
      </Option>
      <Option type="List" name="variableValues">
        <Option type="QString" value="Intercept"/>
      </Option>
    </Option>
  </customproperties>
  <layerGeometryType>2</layerGeometryType>
</qgis>
