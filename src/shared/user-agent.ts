/**
 * A browser's User-Agent header, summarised for a librarian ("Firefox 128 on
 * Windows", "Safari 17 on iPhone"): enough to guess what the patron sees, not a
 * fingerprint. Order matters: Edge and Opera also claim Chrome, Chrome claims
 * Safari, and phones claim desktop systems.
 */
const BROWSERS: readonly [name: string, pattern: RegExp][] = [
  ["Edge", /\bEdg(?:e|A|iOS)?\/(\d+)/],
  ["Opera", /\b(?:OPR|Opera)\/(\d+)/],
  ["Samsung Internet", /\bSamsungBrowser\/(\d+)/],
  ["Firefox", /\b(?:Firefox|FxiOS)\/(\d+)/],
  ["Chrome", /\b(?:Chrome|CriOS|HeadlessChrome)\/(\d+)/],
  ["Safari", /\bVersion\/(\d+)[.\d]* (?:Mobile\/\S+ )?Safari\//],
];

const SYSTEMS: readonly [name: string, pattern: RegExp][] = [
  ["iPhone", /\biPhone\b/],
  ["iPad", /\biPad\b/],
  ["Android", /\bAndroid\b/],
  ["ChromeOS", /\bCrOS\b/],
  ["Windows", /\bWindows\b/],
  ["macOS", /\bMac OS X\b|\bMacintosh\b/],
  ["Linux", /\bLinux\b/],
];

/** "Browser version on system", or "Unknown browser" when the header says nothing we recognise. */
export function summariseUserAgent(userAgent: string | null | undefined): string {
  if (!userAgent) return "Unknown browser";
  const browser = BROWSERS.map(([name, re]) => ({ name, m: re.exec(userAgent) })).find((b) => b.m);
  const system = SYSTEMS.find(([, re]) => re.test(userAgent))?.[0];
  const browserText = browser ? `${browser.name} ${browser.m![1]}` : "Unknown browser";
  return system ? `${browserText} on ${system}` : browserText;
}
