/**
 * The ranking's pictures, drawn from the same rows as its table: a uPlot bar chart of the
 * scores by rank with the band thresholds as lines, and a canvas heat map of section percents
 * (sections down, units across in rank order). A chunk of its own, loaded with the rankings.
 */
import uPlot from 'uplot';
import uPlotCss from 'uplot/dist/uPlot.min.css?url';
import type { RankingRow } from './api.ts';
import { columnPercents, paintBands } from './heat.ts';

export { heatColour } from './heat.ts';

if (document.querySelector('link[data-uplot-css]') === null) {
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = uPlotCss;
  link.dataset.uplotCss = '';
  document.head.append(link);
}

export interface Threshold {
  minScore: number;
  label: string;
}

/** Draws the bar chart into `target`; returns a function that removes it. */
export function drawScoreChart(
  target: HTMLElement,
  rows: readonly RankingRow[],
  thresholds: readonly Threshold[],
  width: number,
): () => void {
  const scored = rows.filter((row) => row.score !== null);
  const xs = scored.map((_, index) => index + 1);
  const ys = scored.map((row) => row.score);
  const bars = uPlot.paths.bars?.({ size: [0.8, 40], align: 0 });
  const plot = new uPlot(
    {
      width,
      height: 280,
      legend: { show: false },
      cursor: { show: false },
      // Ranks are whole numbers: one slot per unit, ticks only on ranks.
      scales: { x: { time: false, range: [0.5, Math.max(xs.length, 1) + 0.5] }, y: { range: [0, 100] } },
      axes: [
        { stroke: '#4a4a4a', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000] },
        { stroke: '#4a4a4a' },
      ],
      series: [
        {},
        {
          stroke: '#0b5394',
          fill: '#0b539499',
          ...(bars !== undefined ? { paths: bars } : {}),
          points: { show: false },
        },
      ],
      hooks: {
        draw: [
          (u) => {
            const ctx = u.ctx;
            ctx.save();
            ctx.strokeStyle = '#b00020';
            ctx.fillStyle = '#7a4100';
            ctx.setLineDash([6, 4]);
            ctx.lineWidth = 1;
            ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
            for (const threshold of thresholds) {
              const y = u.valToPos(threshold.minScore, 'y', true);
              ctx.beginPath();
              ctx.moveTo(u.bbox.left, y);
              ctx.lineTo(u.bbox.left + u.bbox.width, y);
              ctx.stroke();
              ctx.fillText(`${threshold.label} ≥ ${threshold.minScore}`, u.bbox.left + 4, y - 4);
            }
            ctx.restore();
          },
        ],
      },
    },
    [xs, ys],
    target,
  );
  return () => plot.destroy();
}

/**
 * Draws the heat map on `canvas`: one band per section, units across in rank order, its pixels
 * computed in one buffer (./heat.ts) and put at once.
 */
export function drawHeatMap(
  canvas: HTMLCanvasElement,
  rows: readonly RankingRow[],
  sectionCodes: readonly string[],
  width: number,
): void {
  const labelWidth = 40;
  const rowHeight = 22;
  const height = rowHeight * sectionCodes.length + 4;
  const ratio = devicePixelRatio;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext('2d');
  if (ctx === null) return;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const left = Math.round(labelWidth * ratio);
  const plotWidth = canvas.width - left;
  if (plotWidth > 0 && sectionCodes.length > 0) {
    const image = ctx.createImageData(plotWidth, canvas.height);
    const bands = sectionCodes.map((code) =>
      columnPercents(
        rows.map((row) => row.sections.find((s) => s.code === code)?.percent ?? null),
        plotWidth,
        Math.max(1, Math.round(ratio)),
      ),
    );
    paintBands(
      image.data,
      plotWidth,
      bands,
      (band) => Math.round((band * rowHeight + 1) * ratio),
      Math.round((rowHeight - 2) * ratio),
    );
    ctx.putImageData(image, left, 0);
  }
  ctx.scale(ratio, ratio);
  ctx.font = '12px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = '#1a1a1a';
  sectionCodes.forEach((code, r) => {
    ctx.fillText(code, 4, r * rowHeight + rowHeight / 2);
  });
}
