// Latency summaries: nearest-rank percentiles over every sample (no sampling,
// no histogram buckets), in milliseconds rounded to 0.01.

/** count, p50, p99, p99.9, max and mean of `values`. */
export function summarize(values) {
  if (values.length === 0) return { count: 0, p50: null, p99: null, p999: null, max: null, mean: null };
  const sorted = Float64Array.from(values).sort();
  const at = (p) => round(sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]);
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { count: sorted.length, p50: at(50), p99: at(99), p999: at(99.9), max: round(sorted[sorted.length - 1]), mean: round(mean) };
}

export function round(x) {
  return Math.round(x * 100) / 100;
}
