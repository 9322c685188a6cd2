/**
 * Small inline SVG charts for the assessment report (ASSESS-2): no script, no external file, no network, so
 * the HTML report stays one self-contained, printable file. Every text is escaped.
 */
import { escapeHtml } from '../server/data-rights/history-export.js';

/** One bar or point: its label on the x axis and its value (`null`: no data, drawn as a gap). */
export interface ChartPoint {
  readonly label: string;
  readonly value: number | null;
}

/** A horizontal reference line, e.g. the 100,000 monthly actives of ASSESS-1. */
export interface ChartThreshold {
  readonly value: number;
  readonly label: string;
}

export interface ChartSpec {
  /** What the chart shows (the SVG's accessible name). */
  readonly title: string;
  readonly points: readonly ChartPoint[];
  readonly threshold?: ChartThreshold | undefined;
  /** Formats a value for the labels (default: thousands separators). */
  readonly format?: ((value: number) => string) | undefined;
}

const width = 640;
const height = 220;
const pad = { left: 64, right: 16, top: 18, bottom: 46 };
const plotW = width - pad.left - pad.right;
const plotH = height - pad.top - pad.bottom;
/** A threshold further above the data than this factor is named, not drawn (it would flatten the data). */
const thresholdReach = 4;

const group = (n: number) => Math.round(n).toLocaleString('en-US');

/** The top of the scale and whether the threshold is drawn on it. */
function scale(points: readonly ChartPoint[], threshold: ChartThreshold | undefined) {
  const dataMax = Math.max(0, ...points.map((p) => p.value ?? 0));
  const drawThreshold = threshold !== undefined && threshold.value <= Math.max(dataMax, 1) * thresholdReach;
  // At least 2, so the middle tick of a small count is a whole number.
  const top = Math.max(dataMax, drawThreshold ? (threshold?.value ?? 0) : 0, 2);
  return { top: niceCeil(top), drawThreshold };
}

/** 1, 2 or 5 times a power of ten, at least `n`. */
function niceCeil(n: number): number {
  const power = 10 ** Math.floor(Math.log10(n));
  return ([1, 2, 5, 10].map((m) => m * power).find((v) => v >= n) ?? 10 * power) as number;
}

function frame(spec: ChartSpec, kind: string, body: string): string {
  const { top, drawThreshold } = scale(spec.points, spec.threshold);
  const format = spec.format ?? group;
  const y = (v: number) => pad.top + plotH - (v / top) * plotH;
  const ticks = [0, top / 2, top]
    .map(
      (v) =>
        `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(v)}" y2="${y(v)}" class="grid"/>` +
        `<text x="${pad.left - 6}" y="${y(v) + 4}" text-anchor="end">${escapeHtml(format(v))}</text>`,
    )
    .join('');
  const step = plotW / Math.max(spec.points.length, 1);
  // At most ~12 labels on the axis.
  const every = Math.ceil(spec.points.length / 12);
  const labels = spec.points
    .map((p, i) =>
      i % every === 0
        ? `<text x="${pad.left + step * (i + 0.5)}" y="${height - pad.bottom + 16}" text-anchor="middle">${escapeHtml(p.label)}</text>`
        : '',
    )
    .join('');
  let threshold = '';
  if (spec.threshold && drawThreshold) {
    const ty = y(spec.threshold.value);
    threshold =
      `<line x1="${pad.left}" x2="${width - pad.right}" y1="${ty}" y2="${ty}" class="threshold"/>` +
      `<text x="${width - pad.right}" y="${ty - 4}" text-anchor="end" class="threshold-label">${escapeHtml(spec.threshold.label)}</text>`;
  } else if (spec.threshold) {
    threshold = `<text x="${width - pad.right}" y="${pad.top - 4}" text-anchor="end" class="threshold-label">${escapeHtml(spec.threshold.label)} ↑ 高于图表范围 / above the chart</text>`;
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" class="chart ${kind}" aria-label="${escapeHtml(spec.title)}">` +
    `<title>${escapeHtml(spec.title)}</title>${ticks}${body}${threshold}${labels}</svg>`
  );
}

function geometry(spec: ChartSpec) {
  const { top } = scale(spec.points, spec.threshold);
  const step = plotW / Math.max(spec.points.length, 1);
  return {
    step,
    x: (i: number) => pad.left + step * (i + 0.5),
    y: (v: number) => pad.top + plotH - (v / top) * plotH,
  };
}

/** Vertical bars, one per point, with the value above each. */
export function barChartSvg(spec: ChartSpec): string {
  const { step, x, y } = geometry(spec);
  const format = spec.format ?? group;
  const barW = Math.min(40, step * 0.7);
  const bars = spec.points
    .map((p, i) => {
      if (p.value === null) return '';
      const top = y(p.value);
      return (
        `<rect x="${x(i) - barW / 2}" y="${top}" width="${barW}" height="${pad.top + plotH - top}" class="bar"><title>${escapeHtml(`${p.label}: ${format(p.value)}`)}</title></rect>` +
        (spec.points.length <= 16
          ? `<text x="${x(i)}" y="${top - 3}" text-anchor="middle" class="value">${escapeHtml(format(p.value))}</text>`
          : '')
      );
    })
    .join('');
  return frame(spec, 'bar-chart', bars);
}

/** A line through the points (gaps where a value is null), with a dot at each. */
export function lineChartSvg(spec: ChartSpec): string {
  const { x, y } = geometry(spec);
  const format = spec.format ?? group;
  const segments: string[][] = [[]];
  spec.points.forEach((p, i) => {
    if (p.value === null) segments.push([]);
    else segments[segments.length - 1]?.push(`${x(i)},${y(p.value)}`);
  });
  const lines = segments
    .filter((s) => s.length > 1)
    .map((s) => `<polyline points="${s.join(' ')}" class="line"/>`)
    .join('');
  const dots = spec.points
    .map((p, i) =>
      p.value === null
        ? ''
        : `<circle cx="${x(i)}" cy="${y(p.value)}" r="3" class="dot"><title>${escapeHtml(`${p.label}: ${format(p.value)}`)}</title></circle>`,
    )
    .join('');
  return frame(spec, 'line-chart', lines + dots);
}

/** The charts' style, for the report's one `<style>` element. */
export const chartCss = `
svg.chart { width: 100%; max-width: 640px; height: auto; font: 11px sans-serif; }
svg.chart text { fill: #333; }
svg.chart .grid { stroke: #ddd; stroke-width: 1; }
svg.chart .bar { fill: #2f6f8f; }
svg.chart .line { fill: none; stroke: #2f6f8f; stroke-width: 2; }
svg.chart .dot { fill: #2f6f8f; }
svg.chart .threshold { stroke: #b3261e; stroke-width: 1.5; stroke-dasharray: 6 4; }
svg.chart .threshold-label { fill: #b3261e; }
svg.chart .value { fill: #111; font-size: 10px; }
`;
