/**
 * Charts drawn on the server as SVG, from the very table shown beside them:
 * no script, nothing to load, prints as it shows. Never colour alone — each
 * series has its own pattern (bars) or dash and marker (lines), named in a
 * legend, and a heatmap writes its number in every cell. A chart keeps a
 * readable size and scrolls sideways in its region rather than shrinking its
 * text (at 320 px and at 400 % zoom alike).
 */
import { escapeHtml } from "../shared/html-escape";
import type { StatCell, StatChart, StatTable } from "../shared/stats-api";

const HEIGHT = 260;
/** Charts are at least this wide; few categories spread over it. */
const MIN_WIDTH = 560;
const spread = (n: number, least: number) => Math.max(least, Math.min(110, Math.floor((MIN_WIDTH - PAD.left - PAD.right) / Math.max(1, n))));
const PAD = { top: 16, right: 16, bottom: 64, left: 56 };
const FONT = 'font-family="system-ui, sans-serif" font-size="12"';

/** Series styles, each distinct in colour and in shape (3:1 against white and each other's patterns). */
const STYLES = [
  { color: "#1d4ed8", pattern: "solid", dash: "", marker: "circle" },
  { color: "#b45309", pattern: "stripes", dash: "6 3", marker: "square" },
  { color: "#047857", pattern: "dots", dash: "2 3", marker: "triangle" },
  { color: "#7c3aed", pattern: "cross", dash: "10 3 2 3", marker: "diamond" },
  { color: "#be123c", pattern: "solid", dash: "1 2", marker: "circle" },
  { color: "#0e7490", pattern: "stripes", dash: "8 2", marker: "square" },
  { color: "#4d7c0f", pattern: "dots", dash: "4 4", marker: "triangle" },
  { color: "#9d174d", pattern: "cross", dash: "12 4", marker: "diamond" },
] as const;

const e = (s: string) => escapeHtml(s);
const num = (c: StatCell | undefined) => (typeof c === "number" && Number.isFinite(c) ? c : 0);

function niceMax(max: number): number {
  if (max <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(max));
  return Math.ceil(max / step) * step;
}

function patternDefs(id: string): string {
  return STYLES.map((s, i) => {
    const p = `${id}-p${i}`;
    if (s.pattern === "solid") return `<pattern id="${p}" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="${s.color}"/></pattern>`;
    if (s.pattern === "stripes") return `<pattern id="${p}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><rect width="3.5" height="6" fill="${s.color}"/></pattern>`;
    if (s.pattern === "dots") return `<pattern id="${p}" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" fill="#fff"/><circle cx="2.5" cy="2.5" r="1.9" fill="${s.color}"/></pattern>`;
    return `<pattern id="${p}" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#fff"/><path d="M0 3H6M3 0V6" stroke="${s.color}" stroke-width="2"/></pattern>`;
  }).join("");
}

function marker(kind: string, x: number, y: number, color: string): string {
  if (kind === "square") return `<rect x="${x - 3}" y="${y - 3}" width="6" height="6" fill="${color}"/>`;
  if (kind === "triangle") return `<path d="M${x} ${y - 4}L${x + 4} ${y + 3}H${x - 4}Z" fill="${color}"/>`;
  if (kind === "diamond") return `<path d="M${x} ${y - 4}L${x + 4} ${y}L${x} ${y + 4}L${x - 4} ${y}Z" fill="${color}"/>`;
  return `<circle cx="${x}" cy="${y}" r="3" fill="${color}"/>`;
}

function legend(id: string, labels: string[], kind: "bars" | "lines", y: number): string {
  let x = PAD.left;
  return labels
    .map((label, i) => {
      const s = STYLES[i % STYLES.length]!;
      const key =
        kind === "bars"
          ? `<rect x="${x}" y="${y - 10}" width="14" height="12" fill="url(#${id}-p${i % STYLES.length})" stroke="${s.color}"/>`
          : `<line x1="${x}" y1="${y - 4}" x2="${x + 18}" y2="${y - 4}" stroke="${s.color}" stroke-width="2" stroke-dasharray="${s.dash}"/>${marker(s.marker, x + 9, y - 4, s.color)}`;
      const out = `${key}<text x="${x + 22}" y="${y}" ${FONT} fill="#1a1a1a">${e(label)}</text>`;
      x += 30 + label.length * 7;
      return out;
    })
    .join("");
}

/** Which rows are drawn and the label of each: a 168-hour week shows its weekday at each day's start. */
function categories(t: StatTable, chart: StatChart): string[] {
  const xi = t.columns.findIndex((c) => c.key === chart.x);
  const weekday = t.columns.findIndex((c) => c.key === "weekday");
  return t.rows.map((r, i) => (t.rows.length === 168 && weekday >= 0 ? (i % 24 === 0 ? String(r[weekday]).slice(0, 3) : "") : String(r[xi] ?? "")));
}

function axis(max: number, width: number, unit: string): string {
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const y = PAD.top + plotH * (1 - f);
    const v = Math.round(max * f * 100) / 100;
    return `<line x1="${PAD.left}" x2="${width - PAD.right}" y1="${y}" y2="${y}" stroke="#d0d5dd"/><text x="${PAD.left - 6}" y="${y + 4}" text-anchor="end" ${FONT} fill="#4a4a4a">${v}</text>`;
  });
  return `${ticks.join("")}<text x="12" y="${PAD.top + plotH / 2}" transform="rotate(-90 12 ${PAD.top + plotH / 2})" text-anchor="middle" ${FONT} fill="#4a4a4a">${e(unit)}</text>`;
}

/** Category labels under the axis, every so many so that none overlaps the next (about 7 px a character). */
function xLabels(labels: string[], step: number): string {
  const longest = Math.min(14, Math.max(1, ...labels.map((l) => l.length)));
  const every = labels.length === 168 ? 1 : Math.max(1, Math.ceil((longest * 7 + 10) / step));
  return labels
    .map((l, i) => (l && i % every === 0 ? `<text x="${PAD.left + step * (i + 0.5)}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle" ${FONT} fill="#1a1a1a">${e(l.length > 14 ? `${l.slice(0, 13)}…` : l)}</text>` : ""))
    .join("");
}

function svgOpen(id: string, width: number, height: number, title: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title" focusable="false"><title id="${id}-title">${e(title)}</title><rect width="${width}" height="${height}" fill="#fff"/>`;
}

function bars(id: string, t: StatTable, chart: StatChart, title: string): string {
  const single = t.rows.length === 1;
  const cols = chart.series.map((k) => t.columns.findIndex((c) => c.key === k)).filter((i) => i >= 0);
  const labels = single ? cols.map((i) => t.columns[i]!.label) : categories(t, chart);
  const groups = single ? cols.map((i) => [num(t.rows[0]![i])]) : t.rows.map((r) => cols.map((i) => num(r[i])));
  const perGroup = single ? 1 : cols.length;
  const step = single ? 110 : spread(labels.length, perGroup * 10 + 8);
  const width = Math.max(MIN_WIDTH, PAD.left + PAD.right + step * labels.length);
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const max = niceMax(Math.max(0, ...groups.flat()));
  const barW = Math.min(28 * perGroup, step - 6) / perGroup;
  const rects = groups
    .map((values, g) =>
      values
        .map((v, s) => {
          const style = single ? g : s;
          const h = (v / max) * plotH;
          return `<rect x="${PAD.left + step * g + (step - barW * perGroup) / 2 + barW * s}" y="${PAD.top + plotH - h}" width="${Math.max(1, barW - 1)}" height="${h}" fill="url(#${id}-p${style % STYLES.length})" stroke="${STYLES[style % STYLES.length]!.color}" stroke-width="0.5"/>`;
        })
        .join(""),
    )
    .join("");
  const legendLabels = single ? [] : cols.map((i) => t.columns[i]!.label);
  return `${svgOpen(id, width, HEIGHT + (legendLabels.length ? 8 : 0), title)}<defs>${patternDefs(id)}</defs>${axis(max, width, chart.unit)}${rects}${xLabels(labels, step)}${legend(id, legendLabels, "bars", HEIGHT - 14)}</svg>`;
}

function lines(id: string, t: StatTable, chart: StatChart, title: string): string {
  const cols = chart.series.map((k) => t.columns.findIndex((c) => c.key === k)).filter((i) => i >= 0);
  const labels = categories(t, chart);
  const step = Math.max(t.rows.length > 100 ? 5 : 14, Math.min(40, 900 / Math.max(1, labels.length)));
  const width = Math.max(MIN_WIDTH, PAD.left + PAD.right + step * labels.length);
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const max = niceMax(Math.max(0, ...t.rows.flatMap((r) => cols.map((i) => num(r[i])))));
  const paths = cols
    .map((ci, s) => {
      const style = STYLES[s % STYLES.length]!;
      const points = t.rows.map((r, i) => [PAD.left + step * (i + 0.5), PAD.top + plotH - (num(r[ci]) / max) * plotH] as const);
      const markers = points.length <= 60 ? points.map(([x, y]) => marker(style.marker, x, y, style.color)).join("") : "";
      return `<polyline fill="none" stroke="${style.color}" stroke-width="2" stroke-dasharray="${style.dash}" points="${points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ")}"/>${markers}`;
    })
    .join("");
  return `${svgOpen(id, width, HEIGHT + 8, title)}${axis(max, width, chart.unit)}${paths}${xLabels(labels, step)}${legend(id, cols.map((i) => t.columns[i]!.label), "lines", HEIGHT - 14)}</svg>`;
}

function heatmap(id: string, t: StatTable, chart: StatChart, title: string): string {
  const cols = chart.series.map((k) => t.columns.findIndex((c) => c.key === k)).filter((i) => i >= 0);
  const xi = t.columns.findIndex((c) => c.key === chart.x);
  const cell = 34;
  const left = 110;
  const top = 28;
  const width = left + cell * cols.length + 8;
  const height = top + cell * t.rows.length + 8;
  const max = Math.max(1, ...t.rows.flatMap((r) => cols.map((i) => num(r[i]))));
  // Hours as their two digits ("09" for 09:00), so each fits its column.
  const head = cols.map((ci, j) => `<text x="${left + cell * (j + 0.5)}" y="${top - 8}" text-anchor="middle" ${FONT} fill="#1a1a1a">${e(shortLabel(t.columns[ci]!.label.replace(/^(\d\d):00$/, "$1"), 5))}</text>`).join("");
  const body = t.rows
    .map((r, i) => {
      const y = top + cell * i;
      const name = `<text x="${left - 6}" y="${y + cell / 2 + 4}" text-anchor="end" ${FONT} fill="#1a1a1a">${e(shortLabel(String(r[xi] ?? ""), 14))}</text>`;
      const cells = cols
        .map((ci, j) => {
          const v = num(r[ci]);
          const f = v / max;
          // Lightness falls with the count; the number is written in every cell, in black or white, whichever reads better on it.
          const [fill, text] = shade(f);
          return `<rect x="${left + cell * j}" y="${y}" width="${cell - 1}" height="${cell - 1}" fill="${fill}"/><text x="${left + cell * (j + 0.5)}" y="${y + cell / 2 + 4}" text-anchor="middle" font-family="system-ui, sans-serif" font-size="11" fill="${text}">${v}</text>`;
        })
        .join("");
      return name + cells;
    })
    .join("");
  return `${svgOpen(id, width, height, title)}${head}${body}</svg>`;
}

/** The fill for a share of the largest value (0…1), and the text colour with the higher contrast on it (at least 4.5:1). */
function shade(f: number): [string, string] {
  // Interpolates from a near-white blue to a dark blue.
  const from = [239, 244, 255];
  const to = [23, 37, 84];
  const rgb = from.map((c, i) => Math.round(c + (to[i]! - c) * f));
  const linear = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const y = 0.2126 * linear[0]! + 0.7152 * linear[1]! + 0.0722 * linear[2]!;
  const onWhite = 1.05 / (y + 0.05);
  const onBlack = (y + 0.05) / 0.05;
  return [`rgb(${rgb.join(" ")})`, onBlack >= onWhite ? "#000" : "#fff"];
}

const shortLabel = (label: string, max = 10) => {
  const s = label.replace(/^Answered by /, "");
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
};

/** The table's chart as SVG markup (every text escaped), or "" when it has none or nothing to draw. */
export function chartSvg(id: string, t: StatTable): string {
  const chart = t.chart;
  if (!chart || t.rows.length === 0) return "";
  const title = `Chart of “${t.title}”: the numbers are in the table that follows.`;
  if (chart.type === "heatmap") return heatmap(id, t, chart, title);
  if (chart.type === "lines" && t.rows.length > 1) return lines(id, t, chart, title);
  return bars(id, t, chart, title);
}
