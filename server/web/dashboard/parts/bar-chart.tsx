// Small bar charts drawn as SVG, no chart library: columns over time, or a few labelled horizontal
// bars. Each is a <figure> named by its caption, its picture is one image whose accessible name
// says what it shows, and the numbers are there as text too (a summary line, and a table to open
// when there is anything to count).
// Words (labels, dates) are HTML beside the SVG, so they keep their size at any width.
import type { ComponentChildren } from 'preact';
import { t } from '../i18n';

export interface Bar {
  /** What the bar is, as the table and the hover text name it (a date, "Won"). */
  label: string;
  value: number;
  /** The value as shown (a number in the reader's language). */
  shown: string;
  /** A CSS class that colours the bar; its meaning is always in the label too. */
  tone?: string;
}

interface FigureProps {
  id: string;
  title: string;
  /** One sentence with the figures that matter: the picture's accessible name and the line under it. */
  summary: string;
  bars: Bar[];
  /** The table's column headings. */
  columns: [string, string];
  children: ComponentChildren;
  /** Shown under the picture instead of the summary line, when the figures deserve their own layout. */
  footer?: ComponentChildren;
}

function ChartFigure({ id, title, summary, bars, columns, children, footer }: FigureProps) {
  return (
    <figure class="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} class="chart-title">
        {title}
      </figcaption>
      {children}
      {footer ?? <p class="chart-summary">{summary}</p>}
      {bars.some((bar) => bar.value !== 0) && (
        <details class="chart-numbers">
          <summary>{t('today.chart.numbers')}</summary>
          <table>
            <thead>
              <tr>
                <th scope="col">{columns[0]}</th>
                <th scope="col">{columns[1]}</th>
              </tr>
            </thead>
            <tbody>
              {bars.map((bar) => (
                <tr key={bar.label}>
                  <th scope="row">{bar.label}</th>
                  <td>{bar.shown}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </figure>
  );
}

/** The picture is stretched to its box; bars are rectangles, which stretch without harm. */
const STRETCH = 'none';

/** Columns left to right (oldest first), with the first and last labels under the ends of the axis. */
export function ColumnChart(props: Omit<FigureProps, 'children'> & { axis: [string, string] }) {
  const { bars, summary, axis } = props;
  const most = Math.max(1, ...bars.map((bar) => bar.value));
  const step = 10;
  const width = bars.length * step;
  return (
    <ChartFigure {...props}>
      <svg class="chart-columns" role="img" aria-label={summary} viewBox={`0 0 ${width} 100`} preserveAspectRatio={STRETCH} focusable="false">
        {bars.map((bar, index) => {
          // A day with anything at all stays visible, however busy the busiest day was.
          const height = bar.value === 0 ? 0 : Math.max(2, (bar.value / most) * 96);
          return (
            <rect key={bar.label} class={`chart-bar ${bar.tone ?? ''}`} x={index * step + 1.5} y={100 - height} width={step - 3} height={height}>
              <title>{`${bar.label}: ${bar.shown}`}</title>
            </rect>
          );
        })}
        <line class="chart-baseline" x1="0" y1="99.5" x2={width} y2="99.5" vector-effect="non-scaling-stroke" />
      </svg>
      <div class="chart-axis" aria-hidden="true">
        <span>{axis[0]}</span>
        <span>{axis[1]}</span>
      </div>
    </ChartFigure>
  );
}

/** The height of a row, matching .chart-row-labels span in app.css. */
const ROW_REM = 2.25;

/** One labelled bar a row, the label before it and the number after it. */
export function RowChart(props: Omit<FigureProps, 'children'>) {
  const { bars, summary } = props;
  const most = Math.max(1, ...bars.map((bar) => bar.value));
  const rowHeight = 10;
  return (
    <ChartFigure {...props}>
      <div class="chart-rows">
        <div class="chart-row-labels" aria-hidden="true">
          {bars.map((bar) => (
            <span key={bar.label}>{bar.label}</span>
          ))}
        </div>
        <svg
          class="chart-row-bars"
          role="img"
          aria-label={summary}
          viewBox={`0 0 100 ${bars.length * rowHeight}`}
          preserveAspectRatio={STRETCH}
          focusable="false"
          // As tall as the labels beside it, one line a bar.
          style={{ height: `${bars.length * ROW_REM}rem` }}
        >
          {bars.map((bar, index) => (
            <g key={bar.label}>
              <rect class="chart-track" x="0" y={index * rowHeight + 2} width="100" height={rowHeight - 4} />
              {bar.value > 0 && (
                <rect class={`chart-bar ${bar.tone ?? ''}`} x="0" y={index * rowHeight + 2} width={Math.max(1, (bar.value / most) * 100)} height={rowHeight - 4}>
                  <title>{`${bar.label}: ${bar.shown}`}</title>
                </rect>
              )}
            </g>
          ))}
        </svg>
        <div class="chart-row-values" aria-hidden="true">
          {bars.map((bar) => (
            <span key={bar.label}>{bar.shown}</span>
          ))}
        </div>
      </div>
    </ChartFigure>
  );
}
