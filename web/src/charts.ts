// SPDX-License-Identifier: Apache-2.0
// ECharts, imported piece by piece so the bundle carries only the charts the command
// center draws (map, heat map, bars, lines, the pin of a case) and the canvas renderer.
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, MapChart, ScatterChart } from 'echarts/charts';
import { GeoComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([MapChart, HeatmapChart, BarChart, LineChart, ScatterChart, GeoComponent, GridComponent, LegendComponent,
  TooltipComponent, VisualMapComponent, CanvasRenderer]);

export { echarts };
