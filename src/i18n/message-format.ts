/**
 * A small ICU MessageFormat formatter: the subset the catalogs use —
 * `{name}` arguments, `{n, plural, =0 {…} one {…} other {…}}` (with `#` for
 * the number) and `{x, select, a {…} other {…}}` — with each language's plural
 * rules from `Intl.PluralRules` (./message-render shows the parsed result).
 * Written here rather than taken from npm because the front ends carry it and
 * the Qwidget has a byte budget: the full libraries (intl-messageformat,
 * @messageformat/core) weigh ten times as much — and the Qwidget carries only
 * the renderer, its catalogs compiled at build time.
 * Apostrophes follow ICU: `''` is one apostrophe, `'{…}'` quotes braces, any
 * other apostrophe is literal (the test suite checks every catalog against
 * the reference ICU parser too).
 */

import { renderMessage, type Message, type MessageParams, type Part } from "./message-render";

export type { Message, MessageParams };

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
      parts.push(literal, 0);
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
      parts.push([name]);
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
    parts.push(type === "plural" ? [name, options, 1] : [name, options]);
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
      if (typeof p === "string" || p === 0) continue;
      names.add(p[0]);
      for (const inner of Object.values(p[1] ?? {})) walk(inner);
    }
  };
  walk(parseMessage(text));
  return [...names];
}

/** `text` compiled for ./message-render: its literal text when it has no arguments, else its parts. */
export function compileMessage(text: string): Message {
  const parts = parseMessage(text);
  return parts.length === 0 ? "" : parts.length === 1 && typeof parts[0] === "string" ? parts[0] : parts;
}

/** A catalog's messages compiled for ./message-render (a page that receives them as ICU text compiles them once). */
export function compileMessages<K extends string>(catalog: Partial<Record<K, string>>): Partial<Record<K, Message>> {
  return Object.fromEntries(Object.entries<string | undefined>(catalog).map(([key, text]) => [key, compileMessage(text ?? "")])) as Partial<Record<K, Message>>;
}

/**
 * Formats `text` in `locale` with `params`. `show` renders an argument's value
 * (the callers isolate names there); a missing argument stays as `{name}`.
 */
export function formatMessage(locale: string, text: string, params?: MessageParams, show?: (name: string, value: string | number) => string): string {
  return renderMessage(locale, parseMessage(text), params, show);
}
