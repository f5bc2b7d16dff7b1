// The overview's time-series chart: one metric as a smooth filled line, drawn by uPlot (served locally).
import uPlot from '../uplot.js';

export interface SeriesInput {
  label: string;
  times: number[];
  values: number[];
  hourly: boolean;
}

const ACCENT = '#4f46e5';

function options(input: SeriesInput, width: number): uPlot.Options {
  const axis = {
    stroke: '#6b7280',
    grid: { stroke: '#eef0f4', width: 1 },
    ticks: { show: false },
    font: '12px system-ui, sans-serif',
  };
  return {
    width,
    height: Math.max(180, Math.min(280, Math.round(width * 0.32))),
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { size: 8, fill: ACCENT } },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    axes: [{ ...axis }, { ...axis, size: 50 }],
    series: [
      {},
      {
        label: input.label,
        stroke: ACCENT,
        width: 2,
        fill: 'rgba(79, 70, 229, 0.10)',
        points: { show: input.times.length <= 31, size: 5, fill: '#fff' },
        paths: uPlot.paths.spline?.(),
      },
    ],
  };
}

/** Draws the chart into `el`, redrawing on resize; returns a function that tears it down. */
export function seriesChart(el: HTMLElement, input: SeriesInput): () => void {
  el.replaceChildren();
  const data: uPlot.AlignedData = [input.times.map((t) => t / 1000), input.values];
  const plot = new uPlot(options(input, el.clientWidth || 600), data, el);
  const observer = new ResizeObserver(() => {
    const width = el.clientWidth;
    if (width > 0 && Math.abs(width - plot.width) > 2) plot.setSize({ width, height: options(input, width).height });
  });
  observer.observe(el);
  return () => {
    observer.disconnect();
    plot.destroy();
  };
}
