/**
 * Values at and beyond the edges of what a request or frame may carry: text
 * that is empty, at its limit or past it, full of control characters, lone
 * surrogates, bidi and zero-width marks, emoji, right-to-left script or SQL
 * wildcards; numbers at ±0, the safe-integer limit, 1e308 or not numbers at
 * all; calendar dates, clock times, epoch instants and time zones at the ends
 * of what the platform can represent; JSON of the wrong shape. The property
 * tests (test/worker/input-properties*.test.ts) and `npm run bench:hostile
 * --properties=N` draw from these pools through schema-values.ts.
 */
import fc from "fast-check";

/** Characters a text handler can trip on, one of each kind. */
export const EDGE_CHARS = {
  control: ["\u0000", "\u0001", "\u0007", "\u0008", "\u000b", "\u000c", "\u001b", "\u001f", "\u007f", "\u0085", "\r", "\t", "\n"],
  loneSurrogate: ["\ud800", "\udbff", "\udc00", "\udfff"],
  bidi: ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c"],
  zeroWidth: ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f"],
  separator: ["\u2028", "\u2029", "\u00a0", "\u3000", "\u1680"],
  emoji: ["👩‍🔬", "🏳️‍🌈", "👍🏽", "🇺🇦", "😀", "\u{1F9D1}\u200d\u{1F4BB}"],
  rtl: ["مكتبة", "ספרייה", "کتابخانه", "ܟܬܒܐ"],
  wildcard: ["%", "_", "\\", "%%", "\\%", "\\_", "*", "?", "[", "]", "^", "$", '"', "'", "`", ";", "--", "/*", "*/"],
  combining: ["e\u0301", "\u0301", "a\u0308\u0308\u0308\u0308", "Z\u0351\u0352\u0353\u0354\u0355"],
  odd: ["\ufffd", "\uffff", "\ufffe", "\u{10ffff}", "\u{1d54f}", "\ue000", "\ue001", "𞤀", "ǅ", "ß", "İ", "ﬃ"],
} as const;

const ALL_EDGE_CHARS: string[] = Object.values(EDGE_CHARS).flat();

/** Whole strings that mean something to some layer (SQL, LIKE, FTS, JSON, HTML, paths, JS objects). */
export const EDGE_TEXTS = [
  "",
  " ",
  "   \t\n ",
  "\u0000",
  "a\u0000b",
  "x\u0000%",
  "\u0000\u0000\u0000",
  "%",
  "_",
  "\\",
  "%_\\",
  "100%",
  "a_b",
  "\\%\\_",
  "' OR '1'='1",
  "'); DROP TABLE questions; --",
  '" OR ""="',
  "1; SELECT 1",
  "NEAR(a b)",
  '"unbalanced',
  "a* OR b*",
  "-a",
  "AND",
  "OR NOT",
  "^a",
  "null",
  "undefined",
  "true",
  "NaN",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "<script>alert(1)</script>",
  "javascript:alert(1)",
  "../../etc/passwd",
  "..%2F..%2F",
  "%00",
  "%ZZ",
  "%C0%AF",
  "\ud800",
  "a\udfffb",
  "\u202egnp.exe",
  "zero\u200bwidth\u200djoin\ufeff",
  "👩‍🔬🏳️‍🌈",
  "مكتبة عامة",
  "e\u0301\u0301",
  "\ufeff{}",
];

/** Real calendar days at the edges: year 0 and 9999, the epoch, leap days, the Gregorian switch, days clocks change. */
export const CALENDAR_DATES = [
  "0000-01-01",
  "0000-02-29",
  "0000-12-31",
  "0001-01-01",
  "0050-06-15",
  "0099-12-31",
  "0100-03-01",
  "1582-10-10",
  "1899-12-31",
  "1969-12-31",
  "1970-01-01",
  "2000-02-29",
  "2024-02-29",
  "2024-03-10",
  "2024-03-31",
  "2024-10-27",
  "2024-11-03",
  "2038-01-19",
  "9999-12-30",
  "9999-12-31",
];

/** Strings that only look like calendar days: days that do not exist, years past 9999, other notations. */
export const NOT_DATES = [
  "1900-02-29",
  "2023-02-29",
  "2024-02-30",
  "2024-04-31",
  "2024-13-01",
  "2024-00-10",
  "2024-01-00",
  "2024-01-32",
  "275760-09-13",
  "+275760-09-13",
  "+275760-09-14",
  "-271821-04-20",
  "-000001-01-01",
  "2024-1-1",
  "2024-01-01T00:00:00Z",
  "2024-01-01T24:00:00",
  "2024-12-31T23:59:60Z",
  "2024-01-01T00:00:00+14:00",
  "2024-01-01T00:00:00-12:00",
  "2024-W01-1",
  "2024-001",
  "20240101",
  "２０２４-０１-０１",
  "٢٠٢٤-٠١-٠١",
  "2024-01-01\u0000",
  " 2024-01-01",
];

/** Dates put together from edge years, months and days (each part at or past its range). */
export const dateText = (): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...CALENDAR_DATES), weight: 3 },
    { arbitrary: fc.constantFrom(...NOT_DATES), weight: 1 },
    { weight: 1, arbitrary: fc
      .tuple(
        fc.constantFrom("0000", "0001", "0099", "0100", "1582", "1899", "1969", "1970", "2000", "2024", "2100", "9999", "10000", "275760"),
        fc.constantFrom("00", "01", "02", "03", "10", "11", "12", "13"),
        fc.constantFrom("00", "01", "28", "29", "30", "31", "32"),
      )
      .map(([y, m, d]) => `${y}-${m}-${d}`) },
  );

/** Clock times (HH:MM) at and past the ends of a day. */
export const TIME_TEXTS = ["00:00", "00:01", "11:59", "12:00", "23:59", "24:00", "24:01", "24:30", "24:59", "25:00", "29:99", "-1:00", "12:60", "7:05", "07:5", "12:00:00", "12.00", "", "noon"];

/** Time zone names at the edges of the IANA database (the first ten), and names that are not zones. */
export const TIME_ZONE_TEXTS = [
  "UTC",
  "Etc/UTC",
  "Etc/GMT+12",
  "Etc/GMT-14",
  "Pacific/Kiritimati",
  "Pacific/Chatham",
  "Pacific/Apia",
  "America/St_Johns",
  "Asia/Kathmandu",
  "Australia/Lord_Howe",
  "Antarctica/Troll",
  "America/Argentina/ComodRivadavia",
  "EST5EDT",
  "Factory",
  "utc",
  "europe/berlin",
  "+05:30",
  "GMT+5",
  "Mars/Olympus_Mons",
  "America/New_York ",
  "Europe/London\u0000",
  "../../UTC",
  "",
];

/** Numbers as JSON can carry them, at the edges. */
export const EDGE_NUMBERS = [
  0,
  -0,
  -1,
  1,
  0.5,
  -0.5,
  1.5,
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31),
  2 ** 32,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 1,
  -Number.MAX_SAFE_INTEGER - 1,
  1e21,
  1e308,
  -1e308,
  Number.MIN_VALUE,
  8.64e15,
  8.64e15 + 1,
  -8.64e15 - 1,
  1e-7,
];

/** Numbers as text (query strings and form fields), including what JSON cannot carry. */
export const NUMBER_TEXTS = ["0", "-0", "-1", "1", "0.5", "1.5", "1e3", "1e308", "1e309", "-1e309", "9007199254740991", "9007199254740992", "8640000000000001", "-8640000000000001", "NaN", "Infinity", "-Infinity", "0x10", "0b11", "1_000", " 7 ", "7a", "١٢", "+5", "", "00"];

/** JSON values of every shape, for a field or a whole body that should be something else. */
export const JSON_SHAPES: unknown[] = [null, true, false, 0, -1, "", "x", [], [null], [[]], {}, { "": "" }, { length: 1e9 }, { __proto__: { polluted: true } }, { constructor: { prototype: { polluted: true } } }, { toString: "x", valueOf: 1 }];

/** Keys an object should not trust. */
export const PROTOTYPE_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"];

/** A string of `n` UTF-16 units mixing plain and edge characters (a plain run when `plain`). */
function textOfLength(n: number, fill: string): string {
  return fill.repeat(Math.ceil(n / fill.length)).slice(0, n);
}

/** One edge character. */
export const edgeChar = (): fc.Arbitrary<string> => fc.constantFrom(...ALL_EDGE_CHARS);

/** Text built from edge characters and plain letters, up to `maxLength` units. */
export const edgeText = (maxLength = 24): fc.Arbitrary<string> =>
  fc.string({ unit: fc.oneof({ arbitrary: edgeChar(), weight: 2 }, { arbitrary: fc.constantFrom("a", "z", "Q", "0", " ", "-", "."), weight: 1 }), maxLength });

/** `base` with an edge character (or run of them) put in at the start, the middle or the end. */
export const withEdgeInside = (base: string): fc.Arbitrary<string> =>
  fc.tuple(edgeText(4).filter((s) => s.length > 0), fc.nat({ max: base.length })).map(([edge, at]) => base.slice(0, at) + edge + base.slice(at));

/** Strings whose length sits at a limit: empty, one short, exactly at, one past, and far past it. */
export function lengthEdges(min: number | undefined, max: number | undefined): string[] {
  const out = new Set<string>(["", textOfLength(10_000, "x"), textOfLength(100_000, "é")]);
  for (const n of [min, max]) {
    if (n === undefined) continue;
    for (const m of [n - 1, n, n + 1]) if (m >= 0) out.add(textOfLength(m, "a"));
    if (n > 0) out.add(textOfLength(n, "😀").slice(0, n));
    if (n > 1) out.add(`${textOfLength(n - 1, "b")}\ud800`);
  }
  return [...out];
}

/** Integers and doubles around a range (and the usual suspects). */
export function numberEdges(min: number | undefined, max: number | undefined): number[] {
  const out = new Set<number>(EDGE_NUMBERS);
  for (const n of [min, max]) if (n !== undefined) for (const m of [n - 1, n - 0.5, n, n + 0.5, n + 1]) out.add(m);
  return [...out];
}
