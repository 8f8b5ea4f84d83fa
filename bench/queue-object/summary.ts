/** What the in-workerd drivers share: latency summaries and waiting. */

export function summarize(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => (s.length ? s[Math.max(1, Math.ceil((p / 100) * s.length)) - 1]! : null);
  return { count: s.length, p50: at(50), p99: at(99), max: s.at(-1) ?? null };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a driver reports of its failed operations: how many, how many the runtime called "overloaded", a few of them. */
export function failureCounts(errors: string[]) {
  return { errors: errors.length, overloaded: errors.filter((e) => /overloaded/i.test(e)).length, errorSamples: [...new Set(errors)].slice(0, 5) };
}
