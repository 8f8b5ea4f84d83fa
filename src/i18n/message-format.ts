/**
 * A small ICU MessageFormat formatter: the subset the catalogs use —
 * `{name}` arguments, `{n, plural, =0 {…} one {…} other {…}}` (with `#` for
 * the number) and `{x, select, a {…} other {…}}` — with each language's plural
 * rules from `Intl.PluralRules`. Written here rather than taken from npm
 * because the Qwidget carries it and has a byte budget: the full libraries
 * (intl-messageformat, @messageformat/core) weigh ten times as much.
 * Apostrophes follow ICU: `''` is one apostrophe, `'{…}'` quotes braces, any
 * other apostrophe is literal (the test suite checks every catalog against
 * the reference ICU parser too).
 */

export type MessageParams = Record<string, string | number>;

/** A parsed message: text, an argument, or `#` (the plural number). */
type Part = string | { n: string; t?: string; o?: Record<string, Part[]> };

const cache = new Map<string, Part[]>();

/** Parses `text` from `at` up to an unmatched `}` (or the end); returns the parts and where it stopped. */
function parseParts(text: string, at: number, inPlural: boolean): [Part[], number] {
  const parts: Part[] = [];
  let literal = "";
  while (at < text.length) {
    const c = text[at]!;
    if (c === "'") {
      const next = text[at + 1];
      if (next === "'") {
        literal += "'";
        at += 2;
        continue;
      }
      if (next === "{" || next === "}" || (inPlural && next === "#")) {
        const end = text.indexOf("'", at + 1);
        const stop = end < 0 ? text.length : end;
        literal += text.slice(at + 1, stop);
        at = stop + 1;
        continue;
      }
    }
    if (c === "}") break;
    if (c === "#" && inPlural) {
      parts.push(literal, { n: "#" });
      literal = "";
      at++;
      continue;
    }
    if (c !== "{") {
      literal += c;
      at++;
      continue;
    }
    parts.push(literal);
    literal = "";
    const close = /[,}]/g;
    close.lastIndex = at;
    const m = close.exec(text);
    if (!m) throw new SyntaxError(`unclosed argument in "${text}"`);
    const name = text.slice(at + 1, m.index).trim();
    if (m[0] === "}") {
      parts.push({ n: name });
      at = m.index + 1;
      continue;
    }
    const typeEnd = text.indexOf(",", m.index + 1);
    if (typeEnd < 0) throw new SyntaxError(`argument "${name}" has no options in "${text}"`);
    const type = text.slice(m.index + 1, typeEnd).trim();
    if (type !== "plural" && type !== "select") throw new SyntaxError(`unsupported argument type "${type}" in "${text}"`);
    const options: Record<string, Part[]> = {};
    at = typeEnd + 1;
    for (;;) {
      const key = /\s*([^\s{}]+)\s*\{|\s*\}/y;
      key.lastIndex = at;
      const k = key.exec(text);
      if (!k) throw new SyntaxError(`bad options of "${name}" in "${text}"`);
      at = key.lastIndex;
      if (!k[1]) break;
      const [inner, end] = parseParts(text, at, type === "plural");
      if (text[end] !== "}") throw new SyntaxError(`unclosed option "${k[1]}" of "${name}" in "${text}"`);
      options[k[1]] = inner;
      at = end + 1;
    }
    if (!options.other) throw new SyntaxError(`"${name}" has no "other" option in "${text}"`);
    parts.push({ n: name, t: type, o: options });
  }
  parts.push(literal);
  return [parts.filter((p) => p !== ""), at];
}

/** The parsed message (cached); throws a SyntaxError when it is not valid in the subset. */
export function parseMessage(text: string): Part[] {
  let parts = cache.get(text);
  if (!parts) {
    const [parsed, end] = parseParts(text, 0, false);
    if (end < text.length) throw new SyntaxError(`unmatched "}" in "${text}"`);
    cache.set(text, (parts = parsed));
  }
  return parts;
}

/** The names of the arguments a message uses (for the catalogs' completeness test). */
export function argumentNames(text: string): string[] {
  const names = new Set<string>();
  const walk = (parts: Part[]) => {
    for (const p of parts) {
      if (typeof p === "string" || p.n === "#") continue;
      names.add(p.n);
      for (const inner of Object.values(p.o ?? {})) walk(inner);
    }
  };
  walk(parseMessage(text));
  return [...names];
}

/**
 * Formats `text` in `locale` with `params`. `show` renders an argument's value
 * (the callers isolate names there); a missing argument stays as `{name}`.
 */
export function formatMessage(locale: string, text: string, params: MessageParams = {}, show: (name: string, value: string | number) => string = (_, v) => String(v)): string {
  const render = (parts: Part[], count?: number): string =>
    parts
      .map((p) => {
        if (typeof p === "string") return p;
        if (p.n === "#") return count === undefined ? "#" : new Intl.NumberFormat(locale).format(count);
        const value = params[p.n];
        if (!p.o) return value === undefined ? `{${p.n}}` : show(p.n, value);
        if (p.t === "select") return render(p.o[String(value)] ?? p.o.other!);
        const n = Number(value);
        return render(p.o[`=${n}`] ?? p.o[new Intl.PluralRules(locale).select(n)] ?? p.o.other!, n);
      })
      .join("");
  return render(parseMessage(text));
}
