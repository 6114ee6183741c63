/**
 * The ranking's pictures, drawn from the same rows as its table: a uPlot bar chart of the
 * scores by rank with the band thresholds as lines, and a canvas heat map of section percents
 * (sections down, units across in rank order). A chunk of its own, loaded with the rankings.
 */
import uPlot from 'uplot';
import uPlotCss from 'uplot/dist/uPlot.min.css?url';
import type { RankingRow } from './api.ts';
import { spreadLabels } from './chart-labels.ts';
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
  /** What the chart writes by the line, in the user's language ("Tốt ≥ 80"). */
  label: string;
}

/** Where a band's label went, in CSS pixels of the chart's canvas (kept on the box for tests). */
export interface PlacedLabel {
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The gutter right of the plot that the band labels are written in (CSS pixels). */
export const labelGutter = 120;
const labelFontPx = 12;
const labelLineHeight = 15;

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
      // The band labels go in a gutter right of the plot, clear of the y axis and of the bars.
      padding: [12, labelGutter, 0, 0],
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
            const ratio = devicePixelRatio;
            ctx.save();
            ctx.setLineDash([6, 4]);
            ctx.lineWidth = 1;
            ctx.strokeStyle = '#b00020';
            const lineYs = thresholds.map((threshold) => u.valToPos(threshold.minScore, 'y', true));
            for (const y of lineYs) {
              ctx.beginPath();
              ctx.moveTo(u.bbox.left, y);
              ctx.lineTo(u.bbox.left + u.bbox.width, y);
              ctx.stroke();
            }
            // Each label in the gutter, level with its line (moved apart when lines are close).
            const plotTop = u.bbox.top / ratio;
            const plotBottom = (u.bbox.top + u.bbox.height) / ratio;
            const centres = spreadLabels(
              lineYs.map((y) => y / ratio),
              labelLineHeight,
              plotTop + labelLineHeight / 2,
              plotBottom - labelLineHeight / 2,
            );
            const left = (u.bbox.left + u.bbox.width) / ratio + 6;
            ctx.setLineDash([]);
            ctx.fillStyle = '#7a4100';
            ctx.font = `${labelFontPx * ratio}px system-ui, sans-serif`;
            ctx.textBaseline = 'middle';
            const placed: PlacedLabel[] = thresholds.map((threshold, index) => {
              const centre = centres[index] as number;
              ctx.fillText(threshold.label, left * ratio, centre * ratio, (labelGutter - 8) * ratio);
              const textWidth = Math.min(ctx.measureText(threshold.label).width / ratio, labelGutter - 8);
              return {
                text: threshold.label,
                left,
                right: left + textWidth,
                top: centre - labelFontPx / 2,
                bottom: centre + labelFontPx / 2,
              };
            });
            ctx.restore();
            target.dataset.bandLabels = JSON.stringify(placed);
            target.dataset.plotLeft = String(u.bbox.left / ratio);
            target.dataset.plotRight = String((u.bbox.left + u.bbox.width) / ratio);
          },
        ],
      },
    },
    [xs, ys],
    target,
  );
  return () => {
    plot.destroy();
    delete target.dataset.bandLabels;
  };
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
