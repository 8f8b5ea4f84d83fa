/**
 * Showing a compiled message (./message-format parses ICU MessageFormat into
 * this shape): just the rendering, so a front end whose catalogs arrive
 * compiled — the Qwidget's, compiled by scripts/build.mjs — carries no parser.
 * Plural categories come from each language's `Intl.PluralRules`.
 */

export type MessageParams = Record<string, string | number>;

/**
 * One piece of a compiled message: literal text, `0` for a plural's number
 * (`#`), an argument `[name]`, or a choice `[name, options]` (a select) or
 * `[name, options, 1]` (a plural).
 */
export type Part = string | 0 | [name: string] | [name: string, options: Record<string, Part[]>, plural?: 1];

/** A compiled message: its literal text when it has no arguments, else its parts. */
export type Message = string | Part[];

/**
 * Renders `message` in `locale` with `params`. `show` renders an argument's
 * value (the callers isolate names there); a missing argument stays as `{name}`.
 */
export function renderMessage(locale: string, message: Message, params: MessageParams = {}, show: (name: string, value: string | number) => string = (_, v) => String(v)): string {
  const render = (parts: Part[], count?: number): string =>
    parts
      .map((p) => {
        if (typeof p === "string") return p;
        if (p === 0) return count === undefined ? "#" : new Intl.NumberFormat(locale).format(count);
        const [name, options, plural] = p;
        const value = params[name];
        if (!options) return value === undefined ? `{${name}}` : show(name, value);
        if (!plural) return render(options[String(value)] ?? options.other!);
        const n = Number(value);
        return render(options[`=${n}`] ?? options[new Intl.PluralRules(locale).select(n)] ?? options.other!, n);
      })
      .join("");
  return typeof message === "string" ? message : render(message);
}
