import type { SeriesPoint } from './crisis-api.ts';

/** Small SVG charts of message volume: bars (all messages) with the negative part darker; text alternative given. */
export function VolumeChart(props: {
  series: SeriesPoint[];
  label: string;
  width?: number;
  height?: number;
  /** Takes the width of its container. */
  fluid?: boolean;
  /** Index of the bucket to mark (the declaration). */
  mark?: number;
}) {
  const w = props.width ?? 240;
  const h = props.height ?? 48;
  const max = Math.max(1, ...props.series.map((p) => p.n));
  const bw = w / Math.max(1, props.series.length);
  return (
    <svg
      width={props.fluid ? '100%' : w}
      height={h}
      viewBox={`0 0 ${w} ${h}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={props.label}
      className="crisis-chart"
      style={{ display: 'block', maxWidth: '100%', background: 'var(--surface-2, #f6f7f9)', borderRadius: 4 }}
    >
      <title>{props.label}</title>
      {props.series.map((p, i) => {
        const bh = (p.n / max) * (h - 2);
        const nh = (p.negative / max) * (h - 2);
        return (
          <g key={p.minute ?? p.at ?? i}>
            <rect x={i * bw} y={h - bh} width={Math.max(0.5, bw - 0.5)} height={bh} fill="#8fa8d6" />
            <rect x={i * bw} y={h - nh} width={Math.max(0.5, bw - 0.5)} height={nh} fill="#b83a3a" />
          </g>
        );
      })}
      {props.mark !== undefined && props.mark >= 0 && (
        <line x1={props.mark * bw} x2={props.mark * bw} y1={0} y2={h} stroke="#d07a00" strokeWidth={2} />
      )}
    </svg>
  );
}
