import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/**
 * An Apache ECharts chart. `onPick` receives the category (x value) of a clicked bar or point, so each chart
 * drills down to the cases behind it; the page also lists the figures in a table for keyboards and readers.
 */
export function Chart(props: {
  option: echarts.EChartsCoreOption;
  label: string;
  onPick?: (category: string, series: number) => void;
  testId: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const pick = useRef(props.onPick);
  pick.current = props.onPick;

  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, undefined, { renderer: 'svg' });
    chart.current = c;
    c.on('click', (p) => {
      if (typeof p.name === 'string') pick.current?.(p.name, p.seriesIndex ?? 0);
    });
    const resize = () => c.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    // No animation: figures are read, not watched (and reduced motion is respected).
    chart.current?.setOption({ animation: false, ...props.option }, true);
  }, [props.option]);

  return <div ref={el} className="report-chart" role="img" aria-label={props.label} data-testid={props.testId} />;
}
