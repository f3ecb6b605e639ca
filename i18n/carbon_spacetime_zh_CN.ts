<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CarbonSpacetime</name>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="52"/>
        <location filename="../resources/models/emission_study.model3" line="643"/>
        <source>Fixed distance band</source>
        <translation>固定距离带</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="53"/>
        <location filename="../resources/models/emission_study.model3" line="644"/>
        <source>Inverse distance</source>
        <translation>反距离</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="54"/>
        <location filename="../resources/models/emission_study.model3" line="645"/>
        <source>K nearest neighbours</source>
        <translation>K 最近邻</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="55"/>
        <location filename="../resources/models/emission_study.model3" line="646"/>
        <source>Queen contiguity</source>
        <translation>Queen 邻接</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="56"/>
        <location filename="../resources/models/emission_study.model3" line="647"/>
        <source>Rook contiguity</source>
        <translation>Rook 邻接</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="58"/>
        <source>Row standardisation</source>
        <translation>行标准化</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="58"/>
        <source>None (binary or raw weights)</source>
        <translation>无（二值或原始权重）</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="99"/>
        <location filename="../algorithms/emerging_hot_spots.py" line="89"/>
        <source>Inverse distance power</source>
        <translation>反距离幂次</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="152"/>
        <source>The input layer could not be opened. Choose a vector or raster layer.</source>
        <translation>无法打开输入图层。请选择矢量或栅格图层。</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="236"/>
        <source>Choose the numeric field to analyse (FIELD).</source>
        <translation>请选择要分析的数值字段（FIELD）。</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="321"/>
        <source>K nearest neighbours is not available for raster cells. Use queen or rook contiguity, or a distance band (in layer units, a multiple of the cell size).</source>
        <translation>栅格像元不支持 K 最近邻。请使用 Queen 或 Rook 邻接，或距离带（图层单位，像元大小的倍数）。</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="342"/>
        <source>The raster is rotated (its geotransform has rotation terms). Warp it to a north-up grid.</source>
        <translation>栅格带有旋转（其地理变换含旋转项）。请将其重投影为正北朝上的栅格。</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="515"/>
        <source>Set the raster output (OUTPUT_RASTER) for a raster input.</source>
        <translation>栅格输入时请设置栅格输出（OUTPUT_RASTER）。</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="77"/>
        <source>A vector layer whose features are the observations, or a raster whose valid cells are.</source>
        <translation>要素作为观测值的矢量图层，或有效像元作为观测值的栅格图层。</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="81"/>
        <source>Numeric field analysed; null values are left out and counted.</source>
        <translation>被分析的数值字段；空值会被排除并计数。</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="87"/>
        <source>Raster band analysed (1 = first band); nodata cells are left out. Ignored for vector input.</source>
        <translation>被分析的栅格波段（1 = 第一个波段）；无数据像元被排除。矢量输入时忽略。</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="90"/>
        <source>How neighbours are defined.</source>
        <translation>邻域的定义方式。</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="94"/>
        <location filename="../algorithms/emerging_hot_spots.py" line="78"/>
        <source>Band radius in the layer's CRS units; 0 picks the smallest band giving everyone a neighbour.</source>
        <translation>距离带半径，单位为图层坐标系单位；0 表示选取使每个要素至少有一个邻居的最小距离带。</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="97"/>
        <source>Used with the k nearest neighbours neighbourhood.</source>
        <translation>用于 K 最近邻邻域。</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="102"/>
        <location filename="../algorithms/emerging_hot_spots.py" line="92"/>
        <source>Weights are distance to the power -POWER (inverse distance only).</source>
        <translation>权重为距离的 -POWER 次幂（仅反距离）。</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="105"/>
        <source>Row standardisation or none (binary / raw weights).</source>
        <translation>行标准化或不标准化（二值/原始权重）。</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="205"/>
        <source>Queen and rook contiguity need a polygon layer. For points use a distance band or k nearest neighbours.</source>
        <translation>Queen 和 Rook 邻接需要面图层。点图层请使用距离带或 K 最近邻。</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="279"/>
        <source>INPUT must be a vector or a raster layer.</source>
        <translation>INPUT 必须是矢量或栅格图层。</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="75"/>
        <source>Input layer (vector features or raster cells)</source>
        <translation>输入图层（矢量要素或栅格像元）</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="79"/>
        <source>Field (vector input)</source>
        <translation>字段（矢量输入）</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="85"/>
        <source>Band number (raster input)</source>
        <translation>波段编号（栅格输入）</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="89"/>
        <location filename="../algorithms/emerging_hot_spots.py" line="72"/>
        <source>Neighbourhood</source>
        <translation>邻域</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="92"/>
        <location filename="../algorithms/emerging_hot_spots.py" line="76"/>
        <source>Distance band (layer units; 0 = default)</source>
        <translation>距离带（图层单位；0 = 默认）</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="96"/>
        <location filename="../algorithms/emerging_hot_spots.py" line="80"/>
        <source>Number of nearest neighbours (K)</source>
        <translation>最近邻数量（K）</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="104"/>
        <source>Standardisation</source>
        <translation>标准化</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="110"/>
        <source>Random permutations for pseudo p-values, e.g. 999.</source>
        <translation>用于伪 p 值的随机置换次数，例如 999。</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="113"/>
        <source>Seed of the permutations: the same seed repeats a run exactly.</source>
        <translation>置换的随机种子：相同的种子可完全重复一次运行。</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="108"/>
        <source>Permutations (0 = analytical inference only)</source>
        <translation>置换次数（0 = 仅解析推断）</translation>
    </message>
    <message>
        <location filename="../algorithms/_clustering_common.py" line="112"/>
        <source>Random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../algorithms/_distribution_common.py" line="48"/>
        <source>Points, or polygons/lines by their centroids. Leave empty when using yearly rasters.</source>
        <translation>点要素，或以质心代表的面/线要素。使用逐年栅格时留空。</translation>
    </message>
    <message>
        <location filename="../algorithms/_distribution_common.py" line="52"/>
        <source>Non-negative weight of each feature (e.g. emissions). Empty: every feature weighs 1.</source>
        <translation>每个要素的非负权重（如排放量）。留空：每个要素权重为 1。</translation>
    </message>
    <message>
        <location filename="../algorithms/_distribution_common.py" line="56"/>
        <source>Field whose distinct values (years, dates or text) each get their own result.</source>
        <translation>按该字段的每个不同取值（年份、日期或文本）分别给出结果。</translation>
    </message>
    <message>
        <location filename="../algorithms/_distribution_common.py" line="60"/>
        <source>Rasters, one per year; cell centres are weighted by cell values; nodata is ignored.</source>
        <translation>逐年栅格，每年一个；以像元值为像元中心加权；忽略 nodata。</translation>
    </message>
    <message>
        <location filename="../algorithms/_distribution_common.py" line="62"/>
        <source>Comma-separated years, one per raster in order (e.g. 2000,2005,2010). Empty: read from the digits in the layer names.</source>
        <translation>逗号分隔的年份，按顺序每个栅格一个（如 2000,2005,2010）。留空：从图层名称中的数字读取。</translation>
    </message>
    <message>
        <location filename="../algorithms/_distribution_common.py" line="47"/>
        <source>Input features</source>
        <translation>输入要素</translation>
    </message>
    <message>
        <location filename="../algorithms/_distribution_common.py" line="50"/>
        <source>Weight field</source>
        <translation>权重字段</translation>
    </message>
    <message>
        <location filename="../algorithms/_distribution_common.py" line="54"/>
        <source>Time field (one result per value)</source>
        <translation>时间字段（每个取值一个结果）</translation>
    </message>
    <message>
        <location filename="../algorithms/_distribution_common.py" line="58"/>
        <location filename="../algorithms/emerging_hot_spots.py" line="65"/>
        <source>Yearly rasters (instead of features)</source>
        <translation>逐年栅格（代替要素）</translation>
    </message>
    <message>
        <location filename="../algorithms/_distribution_common.py" line="61"/>
        <location filename="../algorithms/emerging_hot_spots.py" line="68"/>
        <source>Years of the rasters (comma-separated)</source>
        <translation>栅格年份（逗号分隔）</translation>
    </message>
    <message>
        <location filename="../algorithms/_downscaling_common.py" line="28"/>
        <location filename="../algorithms/study/algorithm.py" line="171"/>
        <source>CAS/RESDC LUCC codes (built-in table)</source>
        <translation>CAS/RESDC 土地利用编码（内置对照表）</translation>
    </message>
    <message>
        <location filename="../algorithms/_downscaling_common.py" line="28"/>
        <location filename="../algorithms/study/algorithm.py" line="171"/>
        <source>Custom reclass table (RECLASS_TABLE)</source>
        <translation>自定义重分类表（RECLASS_TABLE）</translation>
    </message>
    <message>
        <location filename="../algorithms/_downscaling_common.py" line="38"/>
        <source>CAS/RESDC LUCC codes, or a custom code -&gt; category table.</source>
        <translation>CAS/RESDC 土地利用编码，或自定义“编码 -&gt; 类别”表。</translation>
    </message>
    <message>
        <location filename="../algorithms/_downscaling_common.py" line="41"/>
        <source>Table with fields 'code' (land-use code) and 'category' (0 none, 1 urban, 2 industrial, 3 rural and other).</source>
        <translation>含 code（土地利用编码）和 category（0 无，1 城镇，2 工业，3 农村及其他）字段的表。</translation>
    </message>
    <message>
        <location filename="../algorithms/_downscaling_common.py" line="36"/>
        <source>Reclassification scheme</source>
        <translation>重分类方案</translation>
    </message>
    <message>
        <location filename="../algorithms/_downscaling_common.py" line="39"/>
        <source>Reclass table (custom scheme)</source>
        <translation>重分类表（自定义方案）</translation>
    </message>
    <message>
        <location filename="../algorithms/_emerging_common.py" line="320"/>
        <location filename="../algorithms/global_morans_i.py" line="160"/>
        <source>Data and neighbourhood</source>
        <translation>数据与邻域</translation>
    </message>
    <message>
        <location filename="../algorithms/_emerging_common.py" line="323"/>
        <source>Patterns</source>
        <translation>模式</translation>
    </message>
    <message>
        <location filename="../algorithms/_report.py" line="327"/>
        <source>Findings</source>
        <translation>主要发现</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="47"/>
        <source>Downscale emissions to grid</source>
        <translation>将排放降尺度到格网</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="48"/>
        <location filename="../algorithms/emission_statistics.py" line="36"/>
        <location filename="../algorithms/landuse_categories.py" line="23"/>
        <source>Downscaling</source>
        <translation>降尺度</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="72"/>
        <source>Raw land-use codes; defines the output grid (projected CRS).</source>
        <translation>原始土地利用编码；决定输出格网（投影坐标系）。</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="74"/>
        <source>Nighttime light (e.g. NPP-VIIRS, 500 m); proxy for categories 1 and 2.</source>
        <translation>夜间灯光（如 NPP-VIIRS，500 m）；类别 1 和 2 的代理变量。</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="76"/>
        <source>Population counts per cell (e.g. LandScan, WorldPop); proxy for category 3 and fallback.</source>
        <translation>每个像元的人口数（如 LandScan、WorldPop）；类别 3 的代理变量及备用。</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="79"/>
        <source>Fields year, category (1/2/3) or sector (CEADs), emissions, and region when regions are used.</source>
        <translation>字段 year、category（1/2/3）或 sector（CEADs 部门）、emissions，使用区域时还需 region。</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="82"/>
        <source>Region polygons (e.g. cities); without it the whole land-use extent is one region.</source>
        <translation>区域面（如城市）；缺省时整个土地利用范围为一个区域。</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="85"/>
        <source>Field of the region layer matching the table's 'region' column.</source>
        <translation>区域图层中与表的 region 列对应的字段。</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="88"/>
        <source>Which year's totals to downscale (a year present in the totals table).</source>
        <translation>要降尺度的年份（总量表中存在的年份）。</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="93"/>
        <source>Output cell size in metres; 0 keeps the land-use raster's cells.</source>
        <translation>输出像元大小（米）；0 表示沿用土地利用栅格的像元。</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="95"/>
        <location filename="../resources/models/emission_study.model3" line="581"/>
        <source>Emissions per cell, same units as the table.</source>
        <translation>每个像元的排放量，单位与总量表相同。</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="98"/>
        <location filename="../resources/models/emission_study.model3" line="568"/>
        <source>Per region and category: table_total, allocated_total, cells, proxy.</source>
        <translation>按区域和类别：table_total、allocated_total、cells、proxy。</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="112"/>
        <source>Reading the totals table and the land use</source>
        <translation>读取排放总量表和土地利用</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="118"/>
        <source>The emission totals table could not be loaded.</source>
        <translation>无法加载排放总量表。</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="156"/>
        <source>The land-use raster has no data on its grid (every cell is nodata): no emission could be placed. Check its nodata value and that it covers the regions.</source>
        <translation>土地利用栅格在其网格上没有数据（所有像元均为无数据值）：无法分配任何排放。请检查其无数据值，并确认它覆盖各区域。</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="160"/>
        <source>Aligning light and population to the land-use grid</source>
        <translation>将灯光和人口对齐到土地利用格网</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="163"/>
        <location filename="../algorithms/emission_statistics.py" line="96"/>
        <location filename="../algorithms/emission_statistics.py" line="120"/>
        <location filename="../algorithms/landuse_categories.py" line="55"/>
        <location filename="../algorithms/mean_centre_trajectory.py" line="52"/>
        <location filename="../algorithms/standard_deviational_ellipse.py" line="84"/>
        <source>Cancelled by the user.</source>
        <translation>已被用户取消。</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="167"/>
        <source>Rasterising regions</source>
        <translation>区域栅格化</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="198"/>
        <source>Allocating emissions (Eq. 1)</source>
        <translation>分配排放（公式 1）</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="207"/>
        <location filename="../algorithms/emerging_hot_spots.py" line="159"/>
        <location filename="../algorithms/geodetector.py" line="245"/>
        <location filename="../algorithms/global_morans_i.py" line="96"/>
        <location filename="../algorithms/regression.py" line="248"/>
        <source>Writing outputs</source>
        <translation>写出结果</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="102"/>
        <source>Table total</source>
        <translation>总量表合计</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="103"/>
        <source>Allocated total</source>
        <translation>已分配合计</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="105"/>
        <source>Largest |allocated - table| per region and category</source>
        <translation>各区域和类别的最大 |分配量 - 表值|</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="107"/>
        <source>Table total that could not be placed (0 when mass is conserved)</source>
        <translation>未能分配的表格总量（质量守恒时为 0）</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="71"/>
        <location filename="../algorithms/landuse_categories.py" line="35"/>
        <source>Land-use raster</source>
        <translation>土地利用栅格</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="73"/>
        <source>Nighttime light raster</source>
        <translation>夜间灯光栅格</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="75"/>
        <source>Population raster</source>
        <translation>人口栅格</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="77"/>
        <location filename="../algorithms/study/algorithm.py" line="148"/>
        <location filename="../resources/models/emission_study.model3" line="709"/>
        <source>Emission totals table</source>
        <translation>排放总量表</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="80"/>
        <location filename="../algorithms/study/algorithm.py" line="154"/>
        <location filename="../resources/models/emission_study.model3" line="682"/>
        <source>Regions</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="83"/>
        <location filename="../algorithms/study/algorithm.py" line="161"/>
        <location filename="../resources/models/emission_study.model3" line="668"/>
        <source>Region field</source>
        <translation>区域字段</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="86"/>
        <location filename="../algorithms/study/maps.py" line="181"/>
        <location filename="../algorithms/study/maps.py" line="203"/>
        <location filename="../algorithms/study/maps.py" line="229"/>
        <location filename="../algorithms/study/maps.py" line="251"/>
        <location filename="../algorithms/study/maps.py" line="268"/>
        <location filename="../algorithms/study/maps.py" line="281"/>
        <location filename="../algorithms/study/maps.py" line="299"/>
        <location filename="../resources/models/emission_study.model3" line="720"/>
        <source>Year</source>
        <translation>年份</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="90"/>
        <source>Cell size (m, 0 = land-use raster's)</source>
        <translation>像元大小（米，0 = 土地利用栅格的像元）</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="94"/>
        <location filename="../resources/models/emission_study.model3" line="132"/>
        <source>Gridded emissions</source>
        <translation>格网化排放</translation>
    </message>
    <message>
        <location filename="../algorithms/downscale.py" line="96"/>
        <source>Allocation report</source>
        <translation>分配报告</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="28"/>
        <source>Emerging hot spot analysis</source>
        <translation>新兴热点分析</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="29"/>
        <location filename="../algorithms/general_g.py" line="18"/>
        <location filename="../algorithms/global_morans_i.py" line="29"/>
        <location filename="../algorithms/hot_spots.py" line="21"/>
        <location filename="../algorithms/local_moran.py" line="24"/>
        <location filename="../algorithms/study/maps.py" line="274"/>
        <source>Spatial clustering</source>
        <translation>空间聚类</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="50"/>
        <source>Points or polygons; leave empty when using yearly rasters.</source>
        <translation>点或面；使用逐年栅格时留空。</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="54"/>
        <source>Numeric field analysed (e.g. emissions).</source>
        <translation>要分析的数值字段（如排放量）。</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="58"/>
        <source>Whole years (e.g. 2015) or dates.</source>
        <translation>整数年份（如 2015）或日期。</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="63"/>
        <source>Features of the same location in different years share this id.</source>
        <translation>同一位置不同年份的要素共享此标识。</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="67"/>
        <source>One raster per year on one grid (band 1).</source>
        <translation>每年一个栅格，位于同一网格上（波段 1）。</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="70"/>
        <source>One year per raster in order; empty: read from the layer names.</source>
        <translation>按顺序每个栅格一个年份；留空则从图层名称读取。</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="74"/>
        <source>How spatial neighbours are defined (as in Hot spot analysis).</source>
        <translation>空间邻域的定义方式（与热点分析相同）。</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="82"/>
        <source>Used with the k nearest neighbours neighbourhood (vector input).</source>
        <translation>用于 k 最近邻邻域（矢量输入）。</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="86"/>
        <source>Each bin's neighbourhood spans this many earlier years (0 = its own year only).</source>
        <translation>每个时空单元的邻域向前覆盖的年数（0 = 仅本年）。</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="97"/>
        <source>One feature per location with PATTERN, PATTERN_CODE, MK_Z, MK_P, SEN_SLOPE, ...</source>
        <translation>每个位置一个要素，含 PATTERN、PATTERN_CODE、MK_Z、MK_P、SEN_SLOPE 等字段。</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="100"/>
        <source>GeoTIFF: band 1 pattern code, 2 MK z, 3 MK p, 4 Sen's slope.</source>
        <translation>GeoTIFF：波段 1 为模式代码，2 为 MK z，3 为 MK p，4 为 Sen 斜率。</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="104"/>
        <source>Per year and pattern: locations, hot and cold spots that year.</source>
        <translation>按年份和模式：位置数，以及当年的热点与冷点数。</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="108"/>
        <source>Summary, pattern counts and a stacked chart per year.</source>
        <translation>摘要、各模式计数及逐年堆叠图。</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="123"/>
        <source>Give either input features or yearly rasters, not both (clear one of the two).</source>
        <translation>请提供输入要素或逐年栅格之一，不能同时提供（清除其中一个）。</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="125"/>
        <source>Give input features (INPUT) or yearly rasters (RASTERS).</source>
        <translation>请提供输入要素（INPUT）或逐年栅格（RASTERS）。</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="143"/>
        <source>Reading the space-time cube and building weights</source>
        <translation>正在读取时空立方体并构建权重</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="165"/>
        <source>Set the raster output (OUTPUT_RASTER) for yearly raster input.</source>
        <translation>逐年栅格输入时请设置栅格输出（OUTPUT_RASTER）。</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="167"/>
        <location filename="../algorithms/emerging_hot_spots.py" line="174"/>
        <location filename="../core/findings.py" line="754"/>
        <source>Emerging hot spots</source>
        <translation>新兴热点</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="173"/>
        <source>Set the vector output (OUTPUT) for vector input.</source>
        <translation>矢量输入时请设置矢量输出（OUTPUT）。</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="48"/>
        <source>Input features (one per location per year)</source>
        <translation>输入要素（每个位置每年一个）</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="52"/>
        <location filename="../algorithms/emission_statistics.py" line="59"/>
        <source>Value field</source>
        <translation>数值字段</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="56"/>
        <source>Year field</source>
        <translation>年份字段</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="60"/>
        <source>Location id field (empty: match identical geometries)</source>
        <translation>位置标识字段（留空：按相同几何匹配）</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="84"/>
        <source>Earlier years in the neighbourhood (time step)</source>
        <translation>邻域包含的前期年数（时间步长）</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="95"/>
        <source>Emerging hot spots (vector input)</source>
        <translation>新兴热点（矢量输入）</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="99"/>
        <source>Emerging hot spots (raster input)</source>
        <translation>新兴热点（栅格输入）</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="102"/>
        <source>Patterns per year</source>
        <translation>逐年模式统计</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="106"/>
        <location filename="../algorithms/emission_statistics.py" line="69"/>
        <source>HTML report</source>
        <translation>HTML 报告</translation>
    </message>
    <message>
        <location filename="../algorithms/emerging_hot_spots.py" line="106"/>
        <location filename="../algorithms/emission_statistics.py" line="70"/>
        <location filename="../algorithms/general_g.py" line="28"/>
        <location filename="../algorithms/geodetector.py" line="130"/>
        <location filename="../algorithms/global_morans_i.py" line="52"/>
        <location filename="../algorithms/regression.py" line="136"/>
        <source>HTML files (*.html)</source>
        <translation>HTML 文件 (*.html)</translation>
    </message>
    <message>
        <location filename="../algorithms/emission_statistics.py" line="35"/>
        <source>Emission time series statistics</source>
        <translation>排放时间序列统计</translation>
    </message>
    <message>
        <location filename="../algorithms/emission_statistics.py" line="52"/>
        <source>One emission raster per year (band 1).</source>
        <translation>每年一个排放栅格（波段 1）。</translation>
    </message>
    <message>
        <location filename="../algorithms/emission_statistics.py" line="55"/>
        <source>E.g. 2000,2005,2010; empty = the year in each layer name.</source>
        <translation>例如 2000,2005,2010；留空 = 取各图层名称中的年份。</translation>
    </message>
    <message>
        <location filename="../algorithms/emission_statistics.py" line="58"/>
        <source>Features with an emission value and a time value.</source>
        <translation>带有排放值和时间值的要素。</translation>
    </message>
    <message>
        <location filename="../algorithms/emission_statistics.py" line="62"/>
        <source>Emission value of each feature.</source>
        <translation>每个要素的排放值。</translation>
    </message>
    <message>
        <location filename="../algorithms/emission_statistics.py" line="65"/>
        <source>Year (or other time value) of each feature.</source>
        <translation>每个要素的年份（或其他时间值）。</translation>
    </message>
    <message>
        <location filename="../algorithms/emission_statistics.py" line="68"/>
        <location filename="../resources/models/emission_study.model3" line="696"/>
        <source>One row per year: year, total, peak, mean, std, cells, growth, growth_pct.</source>
        <translation>每年一行：year、total、peak、mean、std、cells、growth、growth_pct。</translation>
    </message>
    <message>
        <location filename="../algorithms/emission_statistics.py" line="71"/>
        <source>Table and line chart of the yearly statistics.</source>
        <translation>逐年统计的表格和折线图。</translation>
    </message>
    <message>
        <location filename="../algorithms/emission_statistics.py" line="105"/>
        <source>With an input layer, choose both VALUE_FIELD and TIME_FIELD.</source>
        <translation>使用输入图层时，请同时选择 VALUE_FIELD 和 TIME_FIELD。</translation>
    </message>
    <message>
        <location filename="../algorithms/emission_statistics.py" line="107"/>
        <location filename="../algorithms/regression.py" line="192"/>
        <source>The input layer could not be read.</source>
        <translation>无法读取输入图层。</translation>
    </message>
    <message>
        <location filename="../algorithms/emission_statistics.py" line="143"/>
        <source>Give either yearly emission rasters (RASTERS) or an input layer (INPUT), not both.</source>
        <translation>请给出逐年排放栅格（RASTERS）或输入图层（INPUT）之一，不能同时给出。</translation>
    </message>
    <message>
        <location filename="../algorithms/emission_statistics.py" line="146"/>
        <source>There is nothing to describe: no year with values.</source>
        <translation>没有可描述的内容：没有任何年份有数值。</translation>
    </message>
    <message>
        <location filename="../algorithms/emission_statistics.py" line="165"/>
        <source>Could not create the statistics table.</source>
        <translation>无法创建统计表。</translation>
    </message>
    <message>
        <location filename="../algorithms/emission_statistics.py" line="180"/>
        <source>Writing the HTML report</source>
        <translation>写出 HTML 报告</translation>
    </message>
    <message>
        <location filename="../algorithms/emission_statistics.py" line="50"/>
        <source>Yearly emission rasters</source>
        <translation>逐年排放栅格</translation>
    </message>
    <message>
        <location filename="../algorithms/emission_statistics.py" line="53"/>
        <source>Years (comma-separated, in raster order)</source>
        <translation>年份（逗号分隔，按栅格顺序）</translation>
    </message>
    <message>
        <location filename="../algorithms/emission_statistics.py" line="56"/>
        <source>Input layer (instead of rasters)</source>
        <translation>输入图层（代替栅格）</translation>
    </message>
    <message>
        <location filename="../algorithms/emission_statistics.py" line="63"/>
        <source>Time field</source>
        <translation>时间字段</translation>
    </message>
    <message>
        <location filename="../algorithms/emission_statistics.py" line="66"/>
        <source>Statistics table</source>
        <translation>统计表</translation>
    </message>
    <message>
        <location filename="../algorithms/general_g.py" line="17"/>
        <source>General G (high/low clustering)</source>
        <translation>General G（高/低值聚类）</translation>
    </message>
    <message>
        <location filename="../algorithms/general_g.py" line="28"/>
        <location filename="../algorithms/geodetector.py" line="130"/>
        <location filename="../algorithms/global_morans_i.py" line="52"/>
        <location filename="../algorithms/regression.py" line="136"/>
        <source>Report</source>
        <translation>报告</translation>
    </message>
    <message>
        <location filename="../algorithms/general_g.py" line="30"/>
        <source>Optional HTML report with the statistics.</source>
        <translation>可选的统计 HTML 报告。</translation>
    </message>
    <message>
        <location filename="../algorithms/general_g.py" line="38"/>
        <location filename="../algorithms/global_morans_i.py" line="66"/>
        <location filename="../algorithms/hot_spots.py" line="46"/>
        <location filename="../algorithms/local_moran.py" line="44"/>
        <source>Reading input and building weights</source>
        <translation>读取输入并构建空间权重</translation>
    </message>
    <message>
        <location filename="../algorithms/general_g.py" line="43"/>
        <source>General G</source>
        <translation>General G</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="48"/>
        <source>Geographical detector (q-statistic)</source>
        <translation>地理探测器（q 统计量）</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="49"/>
        <location filename="../algorithms/regression.py" line="53"/>
        <source>Drivers (regression)</source>
        <translation>驱动因素（回归）</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="76"/>
        <source>Features with the dependent and explanatory fields (or use the raster inputs).</source>
        <translation>含因变量和解释变量字段的要素（或使用栅格输入）。</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="80"/>
        <location filename="../algorithms/regression.py" line="88"/>
        <source>The variable to explain, e.g. emissions.</source>
        <translation>要解释的变量，例如排放量。</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="85"/>
        <source>Numeric drivers, classified by METHOD and CLASSES (or OPTIMAL).</source>
        <translation>数值型驱动因子，按 METHOD 和 CLASSES（或 OPTIMAL）分类。</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="90"/>
        <source>Drivers that already are classes (e.g. land-use class, region): each value is a stratum.</source>
        <translation>本身已是类别的驱动因子（如土地利用类型、区域）：每个取值为一层。</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="93"/>
        <source>Instead of a vector layer: the variable to explain as a raster (band 1).</source>
        <translation>代替矢量图层：以栅格表示的被解释变量（波段 1）。</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="97"/>
        <source>Rasters on the dependent raster's grid, discretised like the continuous fields.</source>
        <translation>与因变量栅格同网格的栅格，按连续字段的方式离散化。</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="101"/>
        <source>Rasters of classes (e.g. land use) on the same grid, used as they are.</source>
        <translation>同一网格上的类别栅格（如土地利用），按原样使用。</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="104"/>
        <source>0 equal interval, 1 quantile, 2 natural breaks (Jenks), 3 geometric interval, 4 standard deviation.</source>
        <translation>0 等间距，1 分位数，2 自然断点（Jenks），3 几何间距，4 标准差。</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="108"/>
        <source>Classes of every continuous factor.</source>
        <translation>每个连续因子的分类数。</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="111"/>
        <source>Overrides METHOD and CLASSES, per factor.</source>
        <translation>逐因子覆盖 METHOD 和 CLASSES。</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="115"/>
        <source>p below this is significant.</source>
        <translation>p 值低于此值即为显著。</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="118"/>
        <source>factor, method, classes, strata, q, p, f, ncp.</source>
        <translation>因子、方法、分类数、层数、q、p、f、非中心参数。</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="121"/>
        <source>pair, factor_1, factor_2, q_1, q_2, q, type.</source>
        <translation>因子对、因子 1、因子 2、q_1、q_2、q、类型。</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="125"/>
        <source>Per factor and pair of strata: means, Welch t, df, p, significant.</source>
        <translation>按因子和层对：均值、Welch t、自由度、p、是否显著。</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="128"/>
        <source>Per pair of factors: F, p, significant.</source>
        <translation>按因子对：F、p、是否显著。</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="131"/>
        <source>Tables, a q bar chart and an interaction heat map.</source>
        <translation>表格、q 值条形图和交互作用热图。</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="140"/>
        <source>Give a vector layer (INPUT) or a dependent raster (DEPENDENT_RASTER).</source>
        <translation>请提供矢量图层（INPUT）或因变量栅格（DEPENDENT_RASTER）。</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="143"/>
        <source>Choose the dependent variable field (DEPENDENT).</source>
        <translation>请选择因变量字段（DEPENDENT）。</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="206"/>
        <source>No cell has data in the dependent raster and in every factor raster.</source>
        <translation>没有像元在因变量栅格和所有因子栅格中都有数据。</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="225"/>
        <source>Give either a vector layer (INPUT with DEPENDENT) or rasters (DEPENDENT_RASTER), not both or neither.</source>
        <translation>请提供矢量图层（INPUT 和 DEPENDENT）或栅格（DEPENDENT_RASTER）之一，不能两者都提供或都不提供。</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="228"/>
        <source>Reading input</source>
        <translation>正在读取输入</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="232"/>
        <source>Choose at least one explanatory (continuous or categorical) factor.</source>
        <translation>请至少选择一个解释因子（连续或类别）。</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="75"/>
        <source>Input layer (vector)</source>
        <translation>输入图层（矢量）</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="78"/>
        <location filename="../algorithms/regression.py" line="86"/>
        <source>Dependent variable</source>
        <translation>因变量</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="82"/>
        <source>Continuous explanatory fields (discretised)</source>
        <translation>连续型解释字段（离散化）</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="87"/>
        <source>Categorical explanatory fields (used as they are)</source>
        <translation>类别型解释字段（按原样使用）</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="92"/>
        <source>Dependent raster</source>
        <translation>因变量栅格</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="95"/>
        <source>Continuous explanatory rasters</source>
        <translation>连续型解释栅格</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="99"/>
        <source>Categorical explanatory rasters</source>
        <translation>类别型解释栅格</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="103"/>
        <source>Discretisation method</source>
        <translation>离散化方法</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="107"/>
        <source>Number of classes</source>
        <translation>分类数</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="110"/>
        <source>Optimal discretisation (method x 3-8 classes with the largest q)</source>
        <translation>最优离散化（在方法 × 3–8 类中取 q 最大者）</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="113"/>
        <source>Significance level (risk and ecological detectors)</source>
        <translation>显著性水平（风险探测和生态探测）</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="117"/>
        <source>Factor detector</source>
        <translation>因子探测</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="120"/>
        <source>Interaction detector</source>
        <translation>交互作用探测</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="123"/>
        <source>Risk detector</source>
        <translation>风险探测</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="127"/>
        <source>Ecological detector</source>
        <translation>生态探测</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="134"/>
        <source>q of every factor (JSON)</source>
        <translation>各因子的 q 值（JSON）</translation>
    </message>
    <message>
        <location filename="../algorithms/geodetector.py" line="133"/>
        <source>q of factor {}</source>
        <translation>因子 {} 的 q 值</translation>
    </message>
    <message>
        <location filename="../algorithms/global_morans_i.py" line="28"/>
        <source>Global Moran's I (spatial autocorrelation)</source>
        <translation>全局 Moran's I（空间自相关）</translation>
    </message>
    <message>
        <location filename="../algorithms/global_morans_i.py" line="157"/>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../algorithms/global_morans_i.py" line="42"/>
        <source>Time field (one Moran's I per value; vector only)</source>
        <translation>时间字段（每个取值一个 Moran's I；仅矢量）</translation>
    </message>
    <message>
        <location filename="../algorithms/global_morans_i.py" line="44"/>
        <source>E.g. a year field: one row per distinct value in OUTPUT_TABLE.</source>
        <translation>例如年份字段：OUTPUT_TABLE 中每个不同取值一行。</translation>
    </message>
    <message>
        <location filename="../algorithms/global_morans_i.py" line="47"/>
        <source>Moran's I by time value</source>
        <translation>按时间值的 Moran's I</translation>
    </message>
    <message>
        <location filename="../algorithms/global_morans_i.py" line="49"/>
        <source>Table with year, morans_i, expected_i, variance, z_score, p_value, n.</source>
        <translation>含 year、morans_i、expected_i、variance、z_score、p_value、n 的表。</translation>
    </message>
    <message>
        <location filename="../algorithms/global_morans_i.py" line="54"/>
        <source>HTML report with the statistics and a Moran scatterplot.</source>
        <translation>含统计量和 Moran 散点图的 HTML 报告。</translation>
    </message>
    <message>
        <location filename="../algorithms/global_morans_i.py" line="64"/>
        <source>TIME_FIELD applies to vector input only; leave it empty for a raster.</source>
        <translation>TIME_FIELD 仅适用于矢量输入；栅格输入请留空。</translation>
    </message>
    <message>
        <location filename="../algorithms/global_morans_i.py" line="73"/>
        <source>No feature has a value in both the field and the time field.</source>
        <translation>没有要素同时在分析字段和时间字段中有值。</translation>
    </message>
    <message>
        <location filename="../algorithms/global_morans_i.py" line="91"/>
        <source>Moran's I</source>
        <translation>Moran's I</translation>
    </message>
    <message>
        <location filename="../algorithms/hot_spots.py" line="20"/>
        <source>Hot spot analysis (Getis-Ord Gi*)</source>
        <translation>热点分析（Getis-Ord Gi*）</translation>
    </message>
    <message>
        <location filename="../algorithms/hot_spots.py" line="30"/>
        <source>Apply false discovery rate (FDR) correction</source>
        <translation>应用错误发现率（FDR）校正</translation>
    </message>
    <message>
        <location filename="../algorithms/hot_spots.py" line="32"/>
        <source>Benjamini-Hochberg correction of the confidence bins.</source>
        <translation>对置信度分级进行 Benjamini-Hochberg 校正。</translation>
    </message>
    <message>
        <location filename="../algorithms/hot_spots.py" line="34"/>
        <source>Hot spots (vector input)</source>
        <translation>热点（矢量输入）</translation>
    </message>
    <message>
        <location filename="../algorithms/hot_spots.py" line="36"/>
        <source>Input features with GiZScore, GiPValue, Gi_Bin, NNeighbors.</source>
        <translation>带有 GiZScore、GiPValue、Gi_Bin、NNeighbors 的输入要素。</translation>
    </message>
    <message>
        <location filename="../algorithms/hot_spots.py" line="38"/>
        <source>Hot spots (raster input)</source>
        <translation>热点（栅格输入）</translation>
    </message>
    <message>
        <location filename="../algorithms/hot_spots.py" line="40"/>
        <location filename="../resources/models/emission_study.model3" line="607"/>
        <source>GeoTIFF: band 1 z-score, band 2 p-value, band 3 bin.</source>
        <translation>GeoTIFF：波段 1 为 z 得分，波段 2 为 p 值，波段 3 为分级。</translation>
    </message>
    <message>
        <location filename="../algorithms/hot_spots.py" line="51"/>
        <source>Gi* z-scores</source>
        <translation>Gi* z 得分</translation>
    </message>
    <message>
        <location filename="../algorithms/hot_spots.py" line="63"/>
        <location filename="../algorithms/local_moran.py" line="63"/>
        <source>Writing output</source>
        <translation>写出结果</translation>
    </message>
    <message>
        <location filename="../algorithms/hot_spots.py" line="75"/>
        <location filename="../algorithms/local_moran.py" line="77"/>
        <source>Set the vector output (OUTPUT) for a vector input.</source>
        <translation>矢量输入时请设置矢量输出（OUTPUT）。</translation>
    </message>
    <message>
        <location filename="../algorithms/hot_spots.py" line="76"/>
        <location filename="../algorithms/hot_spots.py" line="67"/>
        <source>Hot spots</source>
        <translation>热点</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_categories.py" line="22"/>
        <source>Land use to emission categories</source>
        <translation>土地利用转排放类别</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_categories.py" line="36"/>
        <source>Land-use codes (band 1).</source>
        <translation>土地利用编码（波段 1）。</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_categories.py" line="39"/>
        <source>Byte raster: 1 urban, 2 industrial, 3 rural and other, 0 no emissions, 255 nodata.</source>
        <translation>字节型栅格：1 城镇，2 工业，3 农村及其他，0 无排放，255 无数据。</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_categories.py" line="48"/>
        <source>The land-use raster could not be loaded.</source>
        <translation>无法加载土地利用栅格。</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_categories.py" line="43"/>
        <source>Cells with unknown codes</source>
        <translation>编码未知的像元</translation>
    </message>
    <message>
        <location filename="../algorithms/landuse_categories.py" line="38"/>
        <source>Emission categories</source>
        <translation>排放类别</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="23"/>
        <source>Cluster and outlier analysis (Anselin Local Moran's I)</source>
        <translation>聚类与异常值分析（Anselin 局部 Moran's I）</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="32"/>
        <source>Clusters and outliers (vector input)</source>
        <translation>聚类与异常值（矢量输入）</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="34"/>
        <source>Input features with LMiIndex, LMiZScore, LMiPValue, COType, NNeighbors.</source>
        <translation>带有 LMiIndex、LMiZScore、LMiPValue、COType、NNeighbors 的输入要素。</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="37"/>
        <source>Clusters and outliers (raster input)</source>
        <translation>聚类与异常值（栅格输入）</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="38"/>
        <source>GeoTIFF: LMiIndex, LMiZScore, LMiPValue, cluster type code.</source>
        <translation>GeoTIFF：LMiIndex、LMiZScore、LMiPValue、聚类类型代码。</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="54"/>
        <source>Local Moran's I</source>
        <translation>局部 Moran's I</translation>
    </message>
    <message>
        <location filename="../algorithms/local_moran.py" line="78"/>
        <location filename="../algorithms/local_moran.py" line="68"/>
        <source>Clusters and outliers</source>
        <translation>聚类与异常值</translation>
    </message>
    <message>
        <location filename="../algorithms/mean_centre_trajectory.py" line="21"/>
        <source>Mean centre trajectory</source>
        <translation>平均中心迁移轨迹</translation>
    </message>
    <message>
        <location filename="../algorithms/mean_centre_trajectory.py" line="22"/>
        <location filename="../algorithms/standard_deviational_ellipse.py" line="26"/>
        <source>Spatial distribution</source>
        <translation>空间分布</translation>
    </message>
    <message>
        <location filename="../algorithms/mean_centre_trajectory.py" line="33"/>
        <location filename="../algorithms/mean_centre_trajectory.py" line="136"/>
        <location filename="../algorithms/study/layers.py" line="63"/>
        <source>Mean centres</source>
        <translation>平均中心</translation>
    </message>
    <message>
        <location filename="../algorithms/mean_centre_trajectory.py" line="36"/>
        <location filename="../resources/models/emission_study.model3" line="554"/>
        <source>One point per time value.</source>
        <translation>每个时间值一个点。</translation>
    </message>
    <message>
        <location filename="../algorithms/mean_centre_trajectory.py" line="40"/>
        <location filename="../algorithms/mean_centre_trajectory.py" line="137"/>
        <location filename="../algorithms/study/layers.py" line="62"/>
        <source>Centre trajectory</source>
        <translation>中心迁移轨迹</translation>
    </message>
    <message>
        <location filename="../algorithms/mean_centre_trajectory.py" line="43"/>
        <source>One line per consecutive pair of time values.</source>
        <translation>每对相邻时间值一条线。</translation>
    </message>
    <message>
        <location filename="../algorithms/mean_centre_trajectory.py" line="64"/>
        <source>No mean centre could be computed: every group has zero total weight. Check the weight field or the rasters.</source>
        <translation>无法计算平均中心：每组的总权重均为零。请检查权重字段或栅格。</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="43"/>
        <source>MGWR</source>
        <translation>MGWR</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="43"/>
        <source>GWR</source>
        <translation>GWR</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="43"/>
        <source>OLS</source>
        <translation>OLS</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="52"/>
        <source>Multiscale geographically weighted regression</source>
        <translation>多尺度地理加权回归</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="487"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="81"/>
        <source>Points or polygons (polygons are represented by their centroid).</source>
        <translation>点或面（面以其质心表示）。</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="92"/>
        <source>One or more numeric fields; an intercept is always added.</source>
        <translation>一个或多个数值字段；总会加入截距项。</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="94"/>
        <source>0 MGWR (a bandwidth per term), 1 GWR (one bandwidth), 2 OLS (global).</source>
        <translation>0 MGWR（每项一个带宽），1 GWR（一个带宽），2 OLS（全局）。</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="96"/>
        <source>0 bisquare, 1 gaussian, 2 exponential.</source>
        <translation>0 bisquare，1 gaussian，2 exponential。</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="100"/>
        <source>Adaptive: neighbours including the location itself; fixed: layer CRS units.</source>
        <translation>自适应：包括位置本身在内的邻居数；固定：图层坐标系单位。</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="105"/>
        <source>How bandwidths are found.</source>
        <translation>带宽的搜索方式。</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="107"/>
        <source>Criterion minimised by the bandwidth search.</source>
        <translation>带宽搜索所最小化的准则。</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="110"/>
        <source>z-score the dependent and explanatory variables first (recommended for MGWR).</source>
        <translation>先对因变量和解释变量做 z 标准化（MGWR 推荐）。</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="113"/>
        <source>Lower bound of the search (neighbours or distance).</source>
        <translation>搜索下限（邻居数或距离）。</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="116"/>
        <source>Upper bound of the search (neighbours or distance).</source>
        <translation>搜索上限（邻居数或距离）。</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="119"/>
        <source>Step of the interval search (SEARCH = 1).</source>
        <translation>区间搜索步长（SEARCH = 1）。</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="122"/>
        <source>SEARCH = 2: one value for all terms, or one per term: Intercept, then the explanatory fields in order.</source>
        <translation>SEARCH = 2：所有项一个值，或每项一个值：先截距，再按顺序为各解释字段。</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="127"/>
        <source>E.g. a year field: one model per distinct value, one summary row per year and term.</source>
        <translation>例如年份字段：每个不同取值一个模型，每年每项一行汇总。</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="130"/>
        <source>Input features with b_, se_, t_, sig_ per term, predicted, residual, std_resid, localR2.</source>
        <translation>带有每项 b_、se_、t_、sig_ 以及 predicted、residual、std_resid、localR2 的输入要素。</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="134"/>
        <source>Per term (and year): variable, bandwidth, enp, adj_t_crit, mean, std, min, median, max.</source>
        <translation>按项（及年份）：variable、bandwidth、enp、adj_t_crit、mean、std、min、median、max。</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="137"/>
        <source>Diagnostics, summary, VIF and local condition numbers.</source>
        <translation>诊断、汇总、VIF 和局部条件数。</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="165"/>
        <source>SEARCH = 2 (user-given) needs BANDWIDTHS, e.g. '120' or '150,90,60'.</source>
        <translation>SEARCH = 2（用户指定）需要 BANDWIDTHS，例如 '120' 或 '150,90,60'。</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="195"/>
        <source>Choose the dependent variable (DEPENDENT): the numeric field to explain, e.g. emissions.</source>
        <translation>请选择因变量（DEPENDENT）：要解释的数值字段，例如排放量。</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="202"/>
        <source>Choose at least one explanatory field.</source>
        <translation>请至少选择一个解释字段。</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="206"/>
        <source>An explanatory field is listed twice.</source>
        <translation>某个解释字段被列出了两次。</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="215"/>
        <source>Reading features</source>
        <translation>读取要素</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="218"/>
        <source>The input layer is empty: there are no features to fit.</source>
        <translation>输入图层为空：没有可拟合的要素。</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="422"/>
        <source>Could not create the output layer.</source>
        <translation>无法创建输出图层。</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="79"/>
        <source>Input layer</source>
        <translation>输入图层</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="90"/>
        <source>Explanatory variables</source>
        <translation>解释变量</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="93"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="95"/>
        <source>Kernel</source>
        <translation>核函数</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="98"/>
        <source>Bandwidth type</source>
        <translation>带宽类型</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="102"/>
        <source>Bandwidth search</source>
        <translation>带宽搜索</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="106"/>
        <source>Criterion</source>
        <translation>准则</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="109"/>
        <source>Standardise variables (z-scores)</source>
        <translation>标准化变量（z 得分）</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="112"/>
        <source>Minimum bandwidth</source>
        <translation>最小带宽</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="115"/>
        <source>Maximum bandwidth</source>
        <translation>最大带宽</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="118"/>
        <source>Interval search step</source>
        <translation>区间搜索步长</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="121"/>
        <source>User-given bandwidths (comma-separated)</source>
        <translation>用户指定带宽（逗号分隔）</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="125"/>
        <source>Time field (one model per value)</source>
        <translation>时间字段（每个取值一个模型）</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="129"/>
        <source>Local coefficients</source>
        <translation>局部系数</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="132"/>
        <source>Coefficient summary</source>
        <translation>系数汇总</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="138"/>
        <source>R squared</source>
        <translation>R 方</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="138"/>
        <source>Adjusted R squared</source>
        <translation>调整 R 方</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="139"/>
        <source>Residual variance</source>
        <translation>残差方差</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="168"/>
        <source>The interval search (SEARCH = 1) needs MIN_BANDWIDTH, MAX_BANDWIDTH and a positive INTERVAL_STEP.</source>
        <translation>区间搜索（SEARCH = 1）需要 MIN_BANDWIDTH、MAX_BANDWIDTH 和正的 INTERVAL_STEP。</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="186"/>
        <source>Choose the dependent variable (the field to explain, e.g. emissions).</source>
        <translation>请选择因变量（要解释的字段，例如排放量）。</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="99"/>
        <source>Adaptive (number of nearest neighbours)</source>
        <translation>自适应（最近邻数量）</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="99"/>
        <source>Fixed (distance)</source>
        <translation>固定（距离）</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="103"/>
        <source>Golden section</source>
        <translation>黄金分割</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="103"/>
        <source>Interval (min, max, step)</source>
        <translation>区间（最小值、最大值、步长）</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="103"/>
        <source>User-given bandwidths</source>
        <translation>用户指定带宽</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="255"/>
        <source>{model} coefficient of {term} (b_{term})</source>
        <translation>{model} 中 {term} 的系数（b_{term}）</translation>
    </message>
    <message>
        <location filename="../algorithms/regression.py" line="351"/>
        <source>GWR uses one bandwidth: give a single value in BANDWIDTHS.</source>
        <translation>GWR 使用一个带宽：请在 BANDWIDTHS 中给出单个值。</translation>
    </message>
    <message>
        <location filename="../algorithms/standard_deviational_ellipse.py" line="19"/>
        <source>1 standard deviation</source>
        <translation>1 倍标准差</translation>
    </message>
    <message>
        <location filename="../algorithms/standard_deviational_ellipse.py" line="19"/>
        <source>2 standard deviations</source>
        <translation>2 倍标准差</translation>
    </message>
    <message>
        <location filename="../algorithms/standard_deviational_ellipse.py" line="19"/>
        <source>3 standard deviations</source>
        <translation>3 倍标准差</translation>
    </message>
    <message>
        <location filename="../algorithms/standard_deviational_ellipse.py" line="20"/>
        <source>ArcGIS Pro (axes × √2)</source>
        <translation>ArcGIS Pro（轴长 × √2）</translation>
    </message>
    <message>
        <location filename="../algorithms/standard_deviational_ellipse.py" line="20"/>
        <source>CrimeStat (axes × √2 × √(N/(N−2)))</source>
        <translation>CrimeStat（轴长 × √2 × √(N/(N−2))）</translation>
    </message>
    <message>
        <location filename="../algorithms/standard_deviational_ellipse.py" line="20"/>
        <source>Yuill (no correction)</source>
        <translation>Yuill（不校正）</translation>
    </message>
    <message>
        <location filename="../algorithms/standard_deviational_ellipse.py" line="25"/>
        <location filename="../resources/models/emission_study.model3" line="219"/>
        <source>Standard deviational ellipse</source>
        <translation>标准差椭圆</translation>
    </message>
    <message>
        <location filename="../algorithms/standard_deviational_ellipse.py" line="38"/>
        <location filename="../algorithms/study/algorithm.py" line="232"/>
        <source>Ellipse size</source>
        <translation>椭圆大小</translation>
    </message>
    <message>
        <location filename="../algorithms/standard_deviational_ellipse.py" line="42"/>
        <source>How many standard deviations the ellipse axes span.</source>
        <translation>椭圆轴跨越的标准差倍数。</translation>
    </message>
    <message>
        <location filename="../algorithms/standard_deviational_ellipse.py" line="46"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../algorithms/standard_deviational_ellipse.py" line="50"/>
        <source>Which convention corrects the axes; see the help.</source>
        <translation>轴长的校正约定；见帮助。</translation>
    </message>
    <message>
        <location filename="../algorithms/standard_deviational_ellipse.py" line="54"/>
        <location filename="../algorithms/standard_deviational_ellipse.py" line="128"/>
        <location filename="../algorithms/study/layers.py" line="59"/>
        <location filename="../algorithms/study/maps.py" line="227"/>
        <source>Standard deviational ellipses</source>
        <translation>标准差椭圆</translation>
    </message>
    <message>
        <location filename="../algorithms/standard_deviational_ellipse.py" line="57"/>
        <location filename="../resources/models/emission_study.model3" line="594"/>
        <source>One ellipse polygon per time value.</source>
        <translation>每个时间值一个椭圆面。</translation>
    </message>
    <message>
        <location filename="../algorithms/standard_deviational_ellipse.py" line="125"/>
        <source>No ellipse could be computed: each group needs at least 3 points with a positive weight that do not all lie on one line.</source>
        <translation>无法计算椭圆：每组至少需要 3 个权重为正且不共线的点。</translation>
    </message>
    <message>
        <location filename="../algorithms/_styles/palettes.py" line="16"/>
        <source>Hot spot – 99% confidence</source>
        <translation>热点 – 99% 置信度</translation>
    </message>
    <message>
        <location filename="../algorithms/_styles/palettes.py" line="17"/>
        <source>Hot spot – 95% confidence</source>
        <translation>热点 – 95% 置信度</translation>
    </message>
    <message>
        <location filename="../algorithms/_styles/palettes.py" line="18"/>
        <source>Hot spot – 90% confidence</source>
        <translation>热点 – 90% 置信度</translation>
    </message>
    <message>
        <location filename="../algorithms/_styles/palettes.py" line="19"/>
        <location filename="../algorithms/_styles/renderers.py" line="266"/>
        <source>Not significant</source>
        <translation>不显著</translation>
    </message>
    <message>
        <location filename="../algorithms/_styles/palettes.py" line="20"/>
        <source>Cold spot – 90% confidence</source>
        <translation>冷点 – 90% 置信度</translation>
    </message>
    <message>
        <location filename="../algorithms/_styles/palettes.py" line="21"/>
        <source>Cold spot – 95% confidence</source>
        <translation>冷点 – 95% 置信度</translation>
    </message>
    <message>
        <location filename="../algorithms/_styles/palettes.py" line="22"/>
        <source>Cold spot – 99% confidence</source>
        <translation>冷点 – 99% 置信度</translation>
    </message>
    <message>
        <location filename="../algorithms/_styles/renderers.py" line="169"/>
        <source>Ellipse</source>
        <translation>椭圆</translation>
    </message>
    <message>
        <location filename="../algorithms/_styles/renderers.py" line="204"/>
        <source>Centre</source>
        <translation>中心</translation>
    </message>
    <message>
        <location filename="../algorithms/_styles/renderers.py" line="262"/>
        <location filename="../core/findings.py" line="482"/>
        <source>{low} to {high}</source>
        <translation>{low} 至 {high}</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="74"/>
        <source>Run emission study</source>
        <translation>运行碳排放研究</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="75"/>
        <location filename="../resources/models/emission_study.model3" line="544"/>
        <source>Study</source>
        <translation>研究</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="114"/>
        <source>The study years, e.g. 2000,2005,2010,2015,2020. Each needs land use, light, population (and factors) and totals.</source>
        <translation>研究年份，例如 2000,2005,2010,2015,2020。每年都需要土地利用、灯光、人口（及驱动因素）和排放总量。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="134"/>
        <source>Folder holding the yearly rasters named by the patterns below.</source>
        <translation>按下方文件名模式存放逐年栅格的文件夹。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="150"/>
        <source>Table (CSV or layer) with year, category (1/2/3), emissions and, with regions, region.</source>
        <translation>含 year、category（1/2/3）、emissions（使用区域时还有 region）的表（CSV 或图层）。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="156"/>
        <source>Optional region polygons (e.g. cities) matching the table's region column; drawn on maps.</source>
        <translation>可选的区域面（如城市），与表的 region 列对应；会绘制在地图上。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="165"/>
        <source>Field of the regions layer that matches the table's region column.</source>
        <translation>区域图层中与表的 region 列对应的字段。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="174"/>
        <source>How land-use codes map to emission categories (see 'Land use to emission categories').</source>
        <translation>土地利用编码如何对应排放类别（见“土地利用转排放类别”）。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="181"/>
        <source>Table with fields code and category, for the custom scheme.</source>
        <translation>含 code 和 category 字段的表，用于自定义方案。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="191"/>
        <source>Names of the explanatory rasters for MGWR; empty skips MGWR.</source>
        <translation>MGWR 解释变量栅格的名称；留空则跳过 MGWR。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="200"/>
        <source>Folder of the factor rasters (default: the input folder).</source>
        <translation>驱动因素栅格所在文件夹（默认：输入文件夹）。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="206"/>
        <source>File name of a factor raster; {factor} and {year} are replaced.</source>
        <translation>驱动因素栅格的文件名；{factor} 和 {year} 会被替换。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="218"/>
        <source>Size of the cells (CRS units, metres for projected data) on which Moran's I, Gi* and MGWR run: emissions summed, factors averaged from the emission grid.</source>
        <translation>运行 Moran's I、Gi* 和 MGWR 的分析像元大小（坐标系单位，投影数据为米）：排放求和，驱动因素由排放格网取平均。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="226"/>
        <source>Spatial weights for the cluster statistics on the analysis cells.</source>
        <translation>分析像元上聚类统计所用的空间权重。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="236"/>
        <source>Size of the standard deviational ellipses.</source>
        <translation>标准差椭圆的大小。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="246"/>
        <source>Axis correction of the ellipses.</source>
        <translation>椭圆轴长的校正方式。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="253"/>
        <source>Unit of the totals table, used in the report text.</source>
        <translation>排放总量表的单位，用于报告文字。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="258"/>
        <source>Folder for every intermediate and final output (created if needed).</source>
        <translation>存放所有中间和最终结果的文件夹（必要时创建）。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="268"/>
        <source>HTML report (default: report.html in the output folder); maps go beside it.</source>
        <translation>HTML 报告（默认：输出文件夹中的 report.html）；地图保存在其旁。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="211"/>
        <source>Analysis cell size</source>
        <translation>分析像元大小</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="284"/>
        <source>Give at least one year (e.g. 2015,2020).</source>
        <translation>请至少给出一个年份（例如 2015,2020）。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="335"/>
        <source>Driving factors are named but there is no factor folder (or input folder) to find them. Set the factor folder, or clear the factor names to skip MGWR.</source>
        <translation>已指定驱动因素，但没有可供查找的驱动因素文件夹（或输入文件夹）。请设置驱动因素文件夹，或清空驱动因素名称以跳过 MGWR。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="348"/>
        <source>Two factor names give the same field name; rename one.</source>
        <translation>两个驱动因素名称得到相同的字段名；请重命名其中一个。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="113"/>
        <source>Years (comma-separated)</source>
        <translation>年份（逗号分隔）</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="118"/>
        <source>Land use per year</source>
        <translation>逐年土地利用</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="119"/>
        <source>One land-use raster per year (raw codes). Leave empty to use the input folder.</source>
        <translation>每年一个土地利用栅格（原始编码）。留空则使用输入文件夹。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="120"/>
        <source>Nighttime light per year</source>
        <translation>逐年夜间灯光</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="121"/>
        <source>One nighttime-light raster per year. Leave empty to use the input folder.</source>
        <translation>每年一个夜间灯光栅格。留空则使用输入文件夹。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="122"/>
        <source>Population per year</source>
        <translation>逐年人口</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="123"/>
        <source>One population raster per year. Leave empty to use the input folder.</source>
        <translation>每年一个人口栅格。留空则使用输入文件夹。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="130"/>
        <source>Input folder (files named by year)</source>
        <translation>输入文件夹（文件按年份命名）</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="137"/>
        <source>Land-use file pattern</source>
        <translation>土地利用文件名模式</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="138"/>
        <source>Light file pattern</source>
        <translation>灯光文件名模式</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="139"/>
        <source>Population file pattern</source>
        <translation>人口文件名模式</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="143"/>
        <source>File name in the input folder; {year} is replaced by each year.</source>
        <translation>输入文件夹中的文件名；{year} 会替换为各年份。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="170"/>
        <source>Land-use scheme</source>
        <translation>土地利用方案</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="179"/>
        <source>Reclass table</source>
        <translation>重分类表</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="187"/>
        <source>Driving factors (comma-separated names)</source>
        <translation>驱动因素（逗号分隔的名称）</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="196"/>
        <source>Factor folder</source>
        <translation>驱动因素文件夹</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="204"/>
        <source>Factor file pattern</source>
        <translation>驱动因素文件名模式</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="223"/>
        <location filename="../resources/models/emission_study.model3" line="637"/>
        <source>Neighbourhood (Moran's I, Gi*)</source>
        <translation>邻域（Moran's I、Gi*）</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="242"/>
        <source>Ellipse method</source>
        <translation>椭圆方法</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="251"/>
        <source>Emission unit (for the report)</source>
        <translation>排放单位（用于报告）</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="257"/>
        <source>Output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <location filename="../algorithms/study/algorithm.py" line="263"/>
        <source>Report (skip: report.html in the output folder)</source>
        <translation>报告（跳过：输出文件夹中的 report.html）</translation>
    </message>
    <message>
        <location filename="../algorithms/study/io.py" line="57"/>
        <source>The emission grid is rotated; rotated rasters are not supported.</source>
        <translation>排放栅格带有旋转；不支持旋转栅格。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/layers.py" line="12"/>
        <source>Emission study</source>
        <translation>碳排放研究</translation>
    </message>
    <message>
        <location filename="../algorithms/study/layers.py" line="49"/>
        <source>Emissions {year} ({unit})</source>
        <translation>排放 {year}（{unit}）</translation>
    </message>
    <message>
        <location filename="../algorithms/study/layers.py" line="51"/>
        <source>Gi* hot spots {year}</source>
        <translation>Gi* 热点 {year}</translation>
    </message>
    <message>
        <location filename="../algorithms/study/layers.py" line="56"/>
        <source>MGWR {year} (b_{term})</source>
        <translation>MGWR {year}（b_{term}）</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="323"/>
        <source>Carbon emission study</source>
        <translation>碳排放研究报告</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="191"/>
        <source>Growth is relative to the previous study year.</source>
        <translation>增长量相对于上一个研究年份。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="195"/>
        <location filename="../core/findings.py" line="749"/>
        <source>Emissions over time</source>
        <translation>排放的时间变化</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="202"/>
        <source>Weighted mean centres (layer CRS units)</source>
        <translation>加权平均中心（图层坐标系单位）</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="245"/>
        <source>Centre and spread</source>
        <translation>中心与离散程度</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="249"/>
        <source>Table 2. Global Moran's I of emissions per year (randomisation)</source>
        <translation>表 2. 各年份排放的全局 Moran's I（随机化假设）</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="267"/>
        <source>Gi* classes per year (number of cells)</source>
        <translation>各年份 Gi* 类别（像元数）</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="314"/>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="179"/>
        <source>Table 1. Yearly emissions ({unit})</source>
        <translation>表 1. 逐年排放（{unit}）</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="182"/>
        <source>Total</source>
        <translation>总量</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="183"/>
        <source>Peak cell</source>
        <translation>最大像元值</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="184"/>
        <location filename="../algorithms/study/maps.py" line="286"/>
        <source>Mean</source>
        <translation>均值</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="185"/>
        <location filename="../algorithms/study/maps.py" line="288"/>
        <source>Std. dev.</source>
        <translation>标准差</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="186"/>
        <location filename="../algorithms/study/maps.py" line="257"/>
        <source>Cells</source>
        <translation>像元数</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="187"/>
        <source>Growth</source>
        <translation>增长量</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="188"/>
        <source>Growth %</source>
        <translation>增长率 %</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="211"/>
        <source>Centre shifts between study years</source>
        <translation>研究年份间的中心迁移</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="279"/>
        <source>Table 3. MGWR local coefficients per year and term</source>
        <translation>表 3. 各年份各项的 MGWR 局部系数</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="297"/>
        <source>MGWR diagnostics per year</source>
        <translation>各年份 MGWR 诊断</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="309"/>
        <source>Drivers: multiscale GWR</source>
        <translation>驱动因素：多尺度地理加权回归</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="203"/>
        <source>X</source>
        <translation>X</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="203"/>
        <source>Y</source>
        <translation>Y</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="203"/>
        <source>Weight sum</source>
        <translation>权重总和</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="221"/>
        <source>Bearing in degrees clockwise from north.</source>
        <translation>方位角为自正北顺时针的度数。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="230"/>
        <source>Centre X</source>
        <translation>中心 X</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="231"/>
        <source>Centre Y</source>
        <translation>中心 Y</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="232"/>
        <source>XStdDist</source>
        <translation>X 标准距离</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="233"/>
        <source>YStdDist</source>
        <translation>Y 标准距离</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="234"/>
        <source>Rotation (°)</source>
        <translation>旋转角（°）</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="235"/>
        <source>Long axis (km)</source>
        <translation>长轴（km）</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="236"/>
        <source>Short axis (km)</source>
        <translation>短轴（km）</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="237"/>
        <source>Long-axis bearing (°)</source>
        <translation>长轴方位角（°）</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="238"/>
        <source>Area (km²)</source>
        <translation>面积（km²）</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="239"/>
        <source>Flattening</source>
        <translation>扁率</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="252"/>
        <source>Index</source>
        <translation>指数</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="253"/>
        <source>Expected index</source>
        <translation>期望指数</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="254"/>
        <source>Variance</source>
        <translation>方差</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="255"/>
        <source>z-score</source>
        <translation>z 得分</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="256"/>
        <source>p-value</source>
        <translation>p 值</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="293"/>
        <source>Variables standardised; adaptive bandwidths count nearest neighbours.</source>
        <translation>变量已标准化；自适应带宽以最近邻数量计。</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="213"/>
        <source>From</source>
        <translation>起</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="214"/>
        <source>To</source>
        <translation>止</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="215"/>
        <source>Distance (km)</source>
        <translation>距离（km）</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="216"/>
        <source>Bearing (°)</source>
        <translation>方位角（°）</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="217"/>
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="218"/>
        <source>km per year</source>
        <translation>每年公里数</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="282"/>
        <source>Term</source>
        <translation>项</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="283"/>
        <source>Bandwidth</source>
        <translation>带宽</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="284"/>
        <source>Max</source>
        <translation>最大值</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="285"/>
        <source>Min</source>
        <translation>最小值</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="287"/>
        <source>Median</source>
        <translation>中位数</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="289"/>
        <source>ENP</source>
        <translation>有效参数数（ENP）</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="290"/>
        <source>Adj. critical t</source>
        <translation>调整后临界 t 值</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="300"/>
        <source>AICc</source>
        <translation>AICc</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="301"/>
        <source>R²</source>
        <translation>R²</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="302"/>
        <source>Adj. R²</source>
        <translation>调整 R²</translation>
    </message>
    <message>
        <location filename="../algorithms/study/maps.py" line="303"/>
        <source>σ²</source>
        <translation>σ²</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="23"/>
        <source>north</source>
        <translation>北</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="23"/>
        <source>northeast</source>
        <translation>东北</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="23"/>
        <source>east</source>
        <translation>东</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="23"/>
        <source>southeast</source>
        <translation>东南</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="23"/>
        <source>south</source>
        <translation>南</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="23"/>
        <source>southwest</source>
        <translation>西南</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="23"/>
        <source>west</source>
        <translation>西</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="23"/>
        <source>northwest</source>
        <translation>西北</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="93"/>
        <source>rose</source>
        <translation>上升</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="93"/>
        <source>fell</source>
        <translation>下降</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="93"/>
        <source>did not change</source>
        <translation>未变化</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="93"/>
        <source>grew</source>
        <translation>增大</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="93"/>
        <source>shrank</source>
        <translation>缩小</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="93"/>
        <source>kept its length</source>
        <translation>长度不变</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="93"/>
        <source>and</source>
        <translation>同时</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="93"/>
        <source>while</source>
        <translation>而</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="94"/>
        <source>rise</source>
        <translation>上升</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="94"/>
        <source>decline</source>
        <translation>下降</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="94"/>
        <source>no change</source>
        <translation>不变</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="94"/>
        <source>hot</source>
        <translation>热</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="94"/>
        <source>cold</source>
        <translation>冷</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="94"/>
        <source>hot-spot</source>
        <translation>热点</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="94"/>
        <source>cold-spot</source>
        <translation>冷点</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="95"/>
        <source>were positive everywhere</source>
        <translation>处处为正</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="95"/>
        <source>were negative everywhere</source>
        <translation>处处为负</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="95"/>
        <source>changed sign across the area</source>
        <translation>在研究区内正负号发生变化</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="96"/>
        <source>nearest neighbours</source>
        <translation>个最近邻</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="96"/>
        <source>metres</source>
        <translation>米</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="97"/>
        <source>nonlinear-weaken</source>
        <translation>非线性减弱</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="97"/>
        <source>uni-variable weaken</source>
        <translation>单因子非线性减弱</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="97"/>
        <source>bi-variable enhance</source>
        <translation>双因子增强</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="97"/>
        <source>independent</source>
        <translation>独立</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="97"/>
        <source>nonlinear-enhance</source>
        <translation>非线性增强</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="98"/>
        <source>new hot spot</source>
        <translation>新增热点</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="98"/>
        <source>consecutive hot spot</source>
        <translation>连续热点</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="98"/>
        <source>intensifying hot spot</source>
        <translation>加强热点</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="98"/>
        <source>persistent hot spot</source>
        <translation>持续热点</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="99"/>
        <source>diminishing hot spot</source>
        <translation>减弱热点</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="99"/>
        <source>sporadic hot spot</source>
        <translation>零星热点</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="99"/>
        <source>oscillating hot spot</source>
        <translation>振荡热点</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="99"/>
        <source>historical hot spot</source>
        <translation>历史热点</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="100"/>
        <source>new cold spot</source>
        <translation>新增冷点</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="100"/>
        <source>consecutive cold spot</source>
        <translation>连续冷点</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="100"/>
        <source>intensifying cold spot</source>
        <translation>加强冷点</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="100"/>
        <source>persistent cold spot</source>
        <translation>持续冷点</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="101"/>
        <source>diminishing cold spot</source>
        <translation>减弱冷点</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="101"/>
        <source>sporadic cold spot</source>
        <translation>零星冷点</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="101"/>
        <source>oscillating cold spot</source>
        <translation>振荡冷点</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="101"/>
        <source>historical cold spot</source>
        <translation>历史冷点</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="147"/>
        <source>north–south</source>
        <translation>南北向</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="147"/>
        <source>north-northeast–south-southwest</source>
        <translation>北东北—南西南向</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="147"/>
        <source>northeast–southwest</source>
        <translation>东北—西南向</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="147"/>
        <source>east-northeast–west-southwest</source>
        <translation>东东北—西西南向</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="148"/>
        <source>east–west</source>
        <translation>东西向</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="148"/>
        <source>east-southeast–west-northwest</source>
        <translation>东东南—西西北向</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="148"/>
        <source>northwest–southeast</source>
        <translation>西北—东南向</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="148"/>
        <source>north-northwest–south-southeast</source>
        <translation>北西北—南东南向</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="750"/>
        <source>Centre of emissions</source>
        <translation>排放中心</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="751"/>
        <source>Spread and orientation</source>
        <translation>离散程度与方向</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="752"/>
        <source>Spatial autocorrelation</source>
        <translation>空间自相关</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="753"/>
        <source>Hot and cold spots</source>
        <translation>冷热点</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="755"/>
        <source>Drivers (MGWR)</source>
        <translation>驱动因素（MGWR）</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="756"/>
        <source>Drivers (geographical detector)</source>
        <translation>驱动因素（地理探测器）</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="323"/>
        <source>{items} and {last}</source>
        <translation>{items} 和 {last}</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="291"/>
        <source>From {first_year} to {last_year} the peak cell value {peak_word} ({first_peak} to {last_peak}) {joiner} the mean cell value {mean_word} ({first_mean} to {last_mean} {unit} per cell).</source>
        <translation>{first_year} 年至 {last_year} 年，像元峰值{peak_word}（{first_peak} 至 {last_peak}），{joiner}像元均值{mean_word}（{first_mean} 至 {last_mean} {unit}/像元）。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="593"/>
        <source>Over the study years {hot} of {cells} cells ({hot_pct}%) showed a hot spot pattern and {cold} ({cold_pct}%) a cold spot pattern.</source>
        <translation>研究期内 {cells} 个像元中有 {hot} 个（{hot_pct}%）呈现热点模式，{cold} 个（{cold_pct}%）呈现冷点模式。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="225"/>
        <source>In {year} total emissions were {total} {unit} over {cells} cells (peak cell {peak}, mean {mean}, standard deviation {std} {unit} per cell).</source>
        <translation>{year} 年 {cells} 个像元的排放总量为 {total} {unit}（像元峰值 {peak}，均值 {mean}，标准差 {std} {unit}/像元）。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="238"/>
        <source>Total emissions did not change between {first_year} and {last_year} ({total} {unit}).</source>
        <translation>{first_year} 年至 {last_year} 年排放总量未变化（{total} {unit}）。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="243"/>
        <source>Total emissions {word} from {first} {unit} in {first_year} to {last} {unit} in {last_year}{pct}.</source>
        <translation>排放总量从 {first_year} 年的 {first} {unit} {word}至 {last_year} 年的 {last} {unit}{pct}。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="302"/>
        <source>The standard deviation of cell values followed a {pattern} pattern ({series}).</source>
        <translation>像元值的标准差呈“{pattern}”变化（{series}）。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="357"/>
        <source> ({details})</source>
        <translation>（{details}）</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="367"/>
        <source>Over {from_year}–{to_year} the centre travelled {total} km in {steps} steps.</source>
        <translation>{from_year}–{to_year} 年间，中心分 {steps} 步共移动 {total} km。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="404"/>
        <source>bearing {low}°–{high}°</source>
        <translation>方位角 {low}°–{high}°</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="406"/>
        <location filename="../core/findings.py" line="351"/>
        <source>bearing {bearing}°</source>
        <translation>方位角 {bearing}°</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="424"/>
        <source>The long axis of the ellipse ran {parts}.</source>
        <translation>椭圆长轴方向：{parts}。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="427"/>
        <source>Its long axis was {major} km and its short axis {minor} km (area {area} km²).</source>
        <translation>长轴为 {major} km，短轴为 {minor} km（面积 {area} km²）。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="492"/>
        <source>Emissions were significantly dispersed (Moran's I below its expectation) in {years} ({level} level).</source>
        <translation>{years} 年排放呈显著的空间离散（Moran's I 低于其期望值；{level} 显著性水平）。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="557"/>
        <source>In {year} there were {hot} and {cold} among {cells} cells.</source>
        <translation>{year} 年 {cells} 个像元中：{hot}；{cold}。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="569"/>
        <source>From {first_year} to {last_year} {hot} and {cold}.</source>
        <translation>{first_year} 年至 {last_year} 年，{hot}，{cold}。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="591"/>
        <source>No cell showed an emerging hot or cold spot pattern over the study years ({cells} cells).</source>
        <translation>研究期内没有像元呈现新兴冷热点模式（共 {cells} 个像元）。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="604"/>
        <source>{cells} cells became or grew hotter towards the final year (new, consecutive or intensifying hot spots).</source>
        <translation>{cells} 个像元在接近最后一年时成为热点或变得更热（新增、连续或加强热点）。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="251"/>
        <source>The total rose in every period.</source>
        <translation>总量在每个时段均上升。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="307"/>
        <source>The standard deviation of cell values {verb} in every period ({series}).</source>
        <translation>像元值的标准差在每个时段均{verb}（{series}）。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="310"/>
        <source>The standard deviation of cell values {verb} ({series}).</source>
        <translation>像元值的标准差{verb}（{series}）。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="323"/>
        <location filename="../core/findings.py" line="497"/>
        <location filename="../core/findings.py" line="550"/>
        <location filename="../core/findings.py" line="357"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="343"/>
        <source>Between {from_year} and {to_year} the emission centre did not move measurably ({dist} km).</source>
        <translation>{from_year} 年至 {to_year} 年，排放中心没有可测量的移动（{dist} km）。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="356"/>
        <source>{speed} km a year</source>
        <translation>每年 {speed} km</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="359"/>
        <source>Between {from_year} and {to_year} the emission centre moved {dist} km {direction}{extra}.</source>
        <translation>{from_year} 年至 {to_year} 年，排放中心向{direction}移动了 {dist} km{extra}。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="362"/>
        <source>Between {from_year} and {to_year} the emission centre moved {dist} km{extra}.</source>
        <translation>{from_year} 年至 {to_year} 年，排放中心移动了 {dist} km{extra}。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="409"/>
        <source>In every year the long axis of the ellipse ran {orientation} ({range}).</source>
        <translation>各年椭圆长轴均呈{orientation}（{range}）。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="412"/>
        <source>In {year} the long axis of the ellipse ran {orientation} ({range}).</source>
        <translation>{year} 年椭圆长轴呈{orientation}（{range}）。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="422"/>
        <source>{orientation} in {years} (bearing {range})</source>
        <translation>{years} 年呈{orientation}（方位角 {range}）</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="441"/>
        <source>Between {from_year} and {to_year} the long axis {major} ({major_a} to {major_b} km), the short axis {minor} ({minor_a} to {minor_b} km) and the area {area} by {area_pct}%; the long axis turned from {bearing_a}° to {bearing_b}°.</source>
        <translation>{from_year} 年至 {to_year} 年，长轴{major}（{major_a} 至 {major_b} km），短轴{minor}（{minor_a} 至 {minor_b} km），面积{area} {area_pct}%；长轴方位角从 {bearing_a}° 转为 {bearing_b}°。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="448"/>
        <source>Between {from_year} and {to_year} the long axis {major} ({major_a} to {major_b} km), the short axis {minor} ({minor_a} to {minor_b} km) and the area {area}; the long axis turned from {bearing_a}° to {bearing_b}°.</source>
        <translation>{from_year} 年至 {to_year} 年，长轴{major}（{major_a} 至 {major_b} km），短轴{minor}（{minor_a} 至 {minor_b} km），面积{area}；长轴方位角从 {bearing_a}° 转为 {bearing_b}°。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="485"/>
        <source>Emissions were significantly spatially clustered in every year (Moran's I {range}, p {p}, {level} level).</source>
        <translation>各年排放均呈显著的空间聚集（Moran's I {range}，p {p}，{level} 显著性水平）。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="488"/>
        <source>Emissions were significantly spatially clustered in {years} (Moran's I {range}, p {p}, {level} level).</source>
        <translation>{years} 年排放呈显著的空间聚集（Moran's I {range}，p {p}，{level} 显著性水平）。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="498"/>
        <source>No year shows significant spatial autocorrelation at the {level} level ({p_values}).</source>
        <translation>在 {level} 显著性水平下，没有任何年份呈现显著的空间自相关（{p_values}）。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="502"/>
        <source>{year} (I = {i}, p {p})</source>
        <translation>{year} 年（I = {i}，p {p}）</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="505"/>
        <source>Moran's I was not significant at the {level} level in {years}.</source>
        <translation>{years}的 Moran's I 在 {level} 显著性水平下不显著。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="511"/>
        <source>Moran's I {word} from {first} in {first_year} to {last} in {last_year}.</source>
        <translation>Moran's I 从 {first_year} 年的 {first} {word}至 {last_year} 年的 {last}。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="514"/>
        <source>Moran's I did not change between {first_year} and {last_year}.</source>
        <translation>{first_year} 年至 {last_year} 年 Moran's I 未变化。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="538"/>
        <source>In {year} no cell was a significant hot or cold spot ({cells} cells tested).</source>
        <translation>{year} 年没有像元是显著的热点或冷点（共检验 {cells} 个像元）。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="600"/>
        <source>The most common {kind} spot pattern was {pattern} ({cells} cells).</source>
        <translation>最常见的{kind}点模式为{pattern}（{cells} 个像元）。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="607"/>
        <source>{cells} cell became or grew hotter towards the final year (new, consecutive or intensifying hot spots).</source>
        <translation>{cells} 个像元在接近最后一年时成为热点或变得更热（新增、连续或加强热点）。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="637"/>
        <source>In {year} every term had the same MGWR bandwidth ({bandwidth} {unit}).</source>
        <translation>{year} 年各项的 MGWR 带宽相同（{bandwidth} {unit}）。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="641"/>
        <source>In {year} the MGWR bandwidths ranged from {low} {unit} ({low_term}, the most local effect) to {high} ({high_term}, the most regional).</source>
        <translation>{year} 年 MGWR 带宽从 {low} {unit}（{low_term}，作用最局部）到 {high}（{high_term}，作用最具区域性）。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="707"/>
        <source>{factor} (q = {q})</source>
        <translation>{factor}（q = {q}）</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="710"/>
        <source>In {year} the geographical detector ranked the factors {ranked}; {weak} not significant at {alpha}.</source>
        <translation>{year} 年地理探测器的因子排序为 {ranked}；{weak} 在 {alpha} 水平下不显著。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="713"/>
        <source>In {year} the geographical detector ranked the factors {ranked}, all significant at {alpha}.</source>
        <translation>{year} 年地理探测器的因子排序为 {ranked}，均在 {alpha} 水平下显著。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="717"/>
        <source>In {year} the strongest interaction was {pair} (q = {q}, {type}).</source>
        <translation>{year} 年最强的交互作用为 {pair}（q = {q}，{type}）。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="253"/>
        <source>The total fell in every period.</source>
        <translation>总量在每个时段均下降。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="270"/>
        <source>Annual growth slowed in every period, from {first_rate}% a year ({first_period}) to {last_rate}% a year ({last_period}).</source>
        <translation>年均增长率在每个时段均放缓，从每年 {first_rate}%（{first_period}）降至每年 {last_rate}%（{last_period}）。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="376"/>
        <source>{count} of its {steps} moves were to the {direction}.</source>
        <translation>其 {steps} 次移动中有 {count} 次向{direction}。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="496"/>
        <source>p {p} in {year}</source>
        <translation>{year} 年 p {p}</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="544"/>
        <source>no {kind} spots</source>
        <translation>没有{kind}点</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="547"/>
        <source>{cells} at {confidence}%</source>
        <translation>置信度 {confidence}%：{cells} 个</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="552"/>
        <source>{count} {kind} spots ({detail} confidence)</source>
        <translation>{count} 个{kind}点（{detail}）</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="555"/>
        <source>{count} {kind} spot ({detail} confidence)</source>
        <translation>{count} 个{kind}点（{detail}）</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="565"/>
        <source>the number of {kind} cells stayed at {count}</source>
        <translation>{kind}像元数保持为 {count}</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="567"/>
        <source>the number of {kind} cells went from {first} to {last}</source>
        <translation>{kind}像元数从 {first} 变为 {last}</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="649"/>
        <source>In {year} {terms} had a bandwidth spanning all {cells} cells, i.e. a global effect.</source>
        <translation>{year} 年 {terms} 的带宽覆盖全部 {cells} 个像元，即全局作用。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="661"/>
        <source>{term} ({low} to {high}, mean {mean})</source>
        <translation>{term}（{low} 至 {high}，均值 {mean}）</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="665"/>
        <source>In {year} the local coefficients of {terms} {words}.</source>
        <translation>{year} 年 {terms}的局部系数{words}。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="672"/>
        <source>In {year} {term} had the largest mean coefficient in absolute value ({mean}).</source>
        <translation>{year} 年 {term} 的平均系数绝对值最大（{mean}）。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="678"/>
        <source>In {year} the model explained R² = {r2} of the variance, AICc {aicc}.</source>
        <translation>{year} 年模型解释了方差的 R² = {r2}，AICc 为 {aicc}。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="681"/>
        <source>In {year} the model explained R² = {r2} of the variance.</source>
        <translation>{year} 年模型解释了方差的 R² = {r2}。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="259"/>
        <source>The total fell in {periods}.</source>
        <translation>总量在 {periods} 下降。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="277"/>
        <source>Growth was fastest between {from_year} and {to_year} ({rate}% a year) and slower in every later period ({last_rate}% a year in {last_period}).</source>
        <translation>{from_year} 年至 {to_year} 年增长最快（每年 {rate}%），之后每个时段均较慢（{last_period} 为每年 {last_rate}%）。</translation>
    </message>
    <message>
        <location filename="../core/findings.py" line="284"/>
        <source>Growth was fastest in the latest period, {from_year} and {to_year} ({rate}% a year).</source>
        <translation>最近一个时段（{from_year} 年至 {to_year} 年）增长最快（每年 {rate}%）。</translation>
    </message>
    <message>
        <location filename="../resources/models/emission_study.model3" line="541"/>
        <source>The Carbon Spacetime emission study for one year, as an editable model: downscale the regional totals to the land-use grid (nighttime light for urban and industrial land, population for the rest), then describe the emission grid: yearly statistics, weighted mean centre, standard deviational ellipse, Global Moran's I and Getis-Ord Gi* hot and cold spots (queen contiguity of the grid cells). For several years with trajectory, Table 2, Table 3 (MGWR) and an HTML report use 'Run emission study' (carbon:emissionstudy).</source>
        <translation>Carbon Spacetime 单一年份的排放研究，作为可编辑的模型：将区域总量降尺度到土地利用网格（城镇和工业用地用夜间灯光，其余用人口），然后描述排放网格：年度统计、加权平均中心、标准差椭圆、全局 Moran's I 以及 Getis-Ord Gi* 冷热点（网格像元的 Queen 邻接）。如需多年的轨迹、表 2、表 3（MGWR）和 HTML 报告，请使用“运行碳排放研究”（carbon:emissionstudy）。</translation>
    </message>
    <message>
        <location filename="../resources/models/emission_study.model3" line="40"/>
        <source>Weighted mean centre</source>
        <translation>加权平均中心</translation>
    </message>
    <message>
        <location filename="../resources/models/emission_study.model3" line="107"/>
        <source>Allocation per region and category</source>
        <translation>按区域和类别的分配</translation>
    </message>
    <message>
        <location filename="../resources/models/emission_study.model3" line="319"/>
        <source>Gi* z-score, p-value and bin</source>
        <translation>Gi* z 得分、p 值和分级</translation>
    </message>
    <message>
        <location filename="../resources/models/emission_study.model3" line="616"/>
        <source>Land use</source>
        <translation>土地利用</translation>
    </message>
    <message>
        <location filename="../resources/models/emission_study.model3" line="618"/>
        <source>Land-use raster (CAS/RESDC codes) of the year.</source>
        <translation>该年份的土地利用栅格（CAS/RESDC 代码）。</translation>
    </message>
    <message>
        <location filename="../resources/models/emission_study.model3" line="626"/>
        <source>Nighttime light</source>
        <translation>夜间灯光</translation>
    </message>
    <message>
        <location filename="../resources/models/emission_study.model3" line="628"/>
        <source>Nighttime-light raster of the year.</source>
        <translation>该年份的夜间灯光栅格。</translation>
    </message>
    <message>
        <location filename="../resources/models/emission_study.model3" line="639"/>
        <source>Spatial weights of the grid cells.</source>
        <translation>网格像元的空间权重。</translation>
    </message>
    <message>
        <location filename="../resources/models/emission_study.model3" line="655"/>
        <source>Population</source>
        <translation>人口</translation>
    </message>
    <message>
        <location filename="../resources/models/emission_study.model3" line="657"/>
        <source>Population raster of the year.</source>
        <translation>该年份的人口栅格。</translation>
    </message>
    <message>
        <location filename="../resources/models/emission_study.model3" line="670"/>
        <source>Field of the regions that matches the table's region column.</source>
        <translation>区域图层中与表的 region 列对应的字段。</translation>
    </message>
    <message>
        <location filename="../resources/models/emission_study.model3" line="684"/>
        <source>Optional region polygons matching the table's region column.</source>
        <translation>可选的区域面图层，与表的 region 列对应。</translation>
    </message>
    <message>
        <location filename="../resources/models/emission_study.model3" line="505"/>
        <source>Total, peak, mean, std of the year</source>
        <translation>该年份的总量、峰值、均值和标准差</translation>
    </message>
    <message>
        <location filename="../resources/models/emission_study.model3" line="711"/>
        <source>Table with region, year, category, emissions.</source>
        <translation>含 region、year、category、emissions 的表。</translation>
    </message>
    <message>
        <location filename="../resources/models/emission_study.model3" line="722"/>
        <source>Which year's totals to downscale.</source>
        <translation>降尺度使用哪一年的总量。</translation>
    </message>
    <message>
        <source>Table with fields 'code' and 'category' (0-3), used with the custom scheme.</source>
        <translation type="vanished">含 code 和 category（0-3）字段的表，用于自定义方案。</translation>
    </message>
    <message>
        <source>No feature has values in all the chosen fields.</source>
        <translation type="vanished">没有要素在所有所选字段中都有值。</translation>
    </message>
</context>
</TS>
