/**
 * Small SVG charts for the compliance dashboard: bars and lines over labelled points, with an optional
 * threshold line. No chart library; the values are also in each mark's tooltip and in the figures beside.
 */

export interface ChartPoint {
  readonly label: string;
  /** `null`: no data (a gap). */
  readonly value: number | null;
}

export interface ChartThreshold {
  readonly value: number;
  readonly label: string;
}

interface ChartProps {
  readonly title: string;
  readonly points: readonly ChartPoint[];
  readonly threshold?: ChartThreshold | undefined;
  readonly format?: ((value: number) => string) | undefined;
  readonly testId: string;
  readonly kind: 'bar' | 'line';
}

const width = 560;
const height = 200;
const pad = { left: 56, right: 12, top: 18, bottom: 36 };
const plotW = width - pad.left - pad.right;
const plotH = height - pad.top - pad.bottom;
/** A threshold further above the data than this factor is named at the top, not drawn. */
const thresholdReach = 4;

/** 1, 2 or 5 times a power of ten, at least `n`. */
function niceCeil(n: number): number {
  const power = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 5, 10].map((m) => m * power).find((v) => v >= n) ?? 10 * power;
}

const grouped = (n: number) => Math.round(n).toLocaleString();

/** A bar or line chart of `points`, with the threshold as a dashed line when it is within reach. */
export function Chart({ title, points, threshold, format = grouped, testId, kind }: ChartProps) {
  const dataMax = Math.max(0, ...points.map((p) => p.value ?? 0));
  const drawThreshold = threshold !== undefined && threshold.value <= Math.max(dataMax, 1) * thresholdReach;
  // At least 2, so the middle tick of a small count is a whole number.
  const top = niceCeil(Math.max(dataMax, drawThreshold ? (threshold?.value ?? 0) : 0, 2));
  const step = plotW / Math.max(points.length, 1);
  const x = (i: number) => pad.left + step * (i + 0.5);
  const y = (v: number) => pad.top + plotH - (v / top) * plotH;
  const every = Math.ceil(points.length / 10);
  const barW = Math.min(32, step * 0.7);
  const segments: string[][] = [[]];
  points.forEach((p, i) => {
    if (p.value === null) segments.push([]);
    else segments[segments.length - 1]?.push(`${x(i)},${y(p.value)}`);
  });
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
        {[0, top / 2, top].map((v) => (
          <g key={v}>
            <line x1={pad.left} x2={width - pad.right} y1={y(v)} y2={y(v)} className="chart-gridline" />
            <text x={pad.left - 6} y={y(v) + 4} textAnchor="end">
              {format(v)}
            </text>
          </g>
        ))}
        {kind === 'bar' &&
          points.map((p, i) =>
            p.value === null ? null : (
              <rect
                key={p.label}
                x={x(i) - barW / 2}
                y={y(p.value)}
                width={barW}
                height={pad.top + plotH - y(p.value)}
                className="chart-bar"
                data-value={p.value}
              >
                <title>{`${p.label}: ${format(p.value)}`}</title>
              </rect>
            ),
          )}
        {kind === 'line' &&
          segments
            .filter((s) => s.length > 1)
            .map((s) => <polyline key={s[0]} points={s.join(' ')} className="chart-line" />)}
        {kind === 'line' &&
          points.map((p, i) =>
            p.value === null ? null : (
              <circle
                key={p.label}
                cx={x(i)}
                cy={y(p.value)}
                r={3}
                className="chart-dot"
                data-value={p.value}
              >
                <title>{`${p.label}: ${format(p.value)}`}</title>
              </circle>
            ),
          )}
        {threshold && drawThreshold && (
          <g data-testid={`${testId}-threshold`}>
            <line
              x1={pad.left}
              x2={width - pad.right}
              y1={y(threshold.value)}
              y2={y(threshold.value)}
              className="chart-threshold"
            />
            <text x={width - pad.right} y={y(threshold.value) - 4} textAnchor="end" className="chart-note">
              {threshold.label}
            </text>
          </g>
        )}
        {threshold && !drawThreshold && (
          <text
            x={width - pad.right}
            y={pad.top - 4}
            textAnchor="end"
            className="chart-note"
            data-testid={`${testId}-threshold`}
          >
            {`${threshold.label} ↑`}
          </text>
        )}
        {points.map((p, i) =>
          i % every === 0 ? (
            <text key={p.label} x={x(i)} y={height - pad.bottom + 16} textAnchor="middle">
              {p.label}
            </text>
          ) : null,
        )}
      </svg>
    </figure>
  );
}
