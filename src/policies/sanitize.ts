/**
 * Rich text for policy pages: an allowlist of tags and attributes, applied with
 * js-xss (`xss`).
 *
 * Why js-xss: it is a maintained, dependency-light (cssfilter only) pure-JS
 * sanitiser with no DOM and no Node APIs, so it runs unchanged in workerd and in
 * the tests; sanitize-html pulls in postcss and htmlparser2, DOMPurify needs a DOM
 * (linkedom/jsdom), and HTMLRewriter is workerd-only, streaming and async, which
 * makes "report what was refused and change nothing" awkward. js-xss reports every
 * tag and attribute it drops through hooks, which is what we need to refuse
 * unsafe input with a clear error instead of silently storing something else.
 *
 * The rules:
 * - Unsafe input is refused (the caller turns `problems` into a 400): script-like
 *   and embedding tags, event-handler attributes (on*), and links whose address
 *   is not http(s), mailto, tel, a fragment or a path on this site (javascript:,
 *   data:, vbscript:, …, however disguised with entities or whitespace).
 * - Harmless markup outside the allowlist, as editors produce it (span, font,
 *   style and class attributes), is dropped quietly, its text kept.
 * - Every link gets rel="noopener noreferrer" and opens in a new window.
 * - Tags are balanced: stray closing tags are dropped and open ones closed, so a
 *   section cannot leak formatting into the rest of the page.
 * Pages are sanitised when saved and again when shown.
 */
import filterXSS from "xss";
import type { FilterXSS as FilterXSSClass } from "xss";

// js-xss is CommonJS whose named exports bundlers cannot always see; take them off the default export.
const { FilterXSS, friendlyAttrValue } = filterXSS as unknown as { FilterXSS: typeof FilterXSSClass; friendlyAttrValue: (value: string) => string };

/** Tags a policy page may use, with their allowed attributes. */
export const RICH_TEXT_ALLOWLIST: Record<string, string[]> = {
  p: [], br: [], hr: [], div: [],
  strong: [], b: [], em: [], i: [], u: [], s: [], small: [], sub: [], sup: [], mark: [], code: [], pre: [],
  h3: [], h4: [], h5: [], h6: [],
  ul: [], ol: [], li: [], dl: [], dt: [], dd: [], blockquote: [],
  table: [], caption: [], thead: [], tbody: [], tr: [], th: ["scope"], td: [],
  a: ["href", "title"],
};

const VOID_TAGS = new Set(["br", "hr"]);

/** Tags whose presence means the input is unsafe (or an attempt at it), not merely untidy. */
const UNSAFE_TAGS = new Set([
  "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button", "textarea",
  "select", "option", "link", "meta", "base", "svg", "math", "template", "noscript", "img", "video", "audio", "source", "portal",
]);

const SAFE_URL = /^(https?:\/\/|mailto:|tel:|#|\/(?!\/))/i;

export interface SanitizedHtml {
  html: string;
  /** What made the input unsafe, for the error message; empty when it was safe. */
  problems: string[];
}

/** Sanitises one piece of rich text and says what, if anything, was unsafe about it. */
export function sanitizeRichText(input: string): SanitizedHtml {
  const problems: string[] = [];
  const open: string[] = [];
  const filter = new FilterXSS({
    whiteList: RICH_TEXT_ALLOWLIST,
    allowCommentTag: false,
    // Not stripIgnoreTag/stripIgnoreTagBody: js-xss would then replace onIgnoreTag below, and we must see every refused tag.
    css: false,
    onTag(tag, _html, options) {
      if (!(tag in RICH_TEXT_ALLOWLIST) || VOID_TAGS.has(tag)) return undefined;
      if (!options.isClosing) {
        open.push(tag);
        return undefined;
      }
      const at = open.lastIndexOf(tag);
      if (at < 0) return ""; // a closing tag with nothing to close
      const closing = open.splice(at).reverse();
      return closing.map((t) => `</${t}>`).join("");
    },
    onIgnoreTag(tag, html) {
      // "1 < 2 > 0" is text, not a tag: keep it, escaped.
      if (!/^[a-z][a-z0-9-]*$/i.test(tag)) return escapeText(html);
      if (UNSAFE_TAGS.has(tag.toLowerCase())) problems.push(`the <${tag.toLowerCase()}> tag is not allowed`);
      return "";
    },
    onIgnoreTagAttr(_tag, name) {
      if (/^on/i.test(name)) problems.push(`event-handler attributes (${name.toLowerCase()}) are not allowed`);
      return "";
    },
    safeAttrValue(tag, name, value) {
      const clean = friendlyAttrValue(value).trim();
      if (tag === "a" && name === "href") {
        // Browsers ignore whitespace and control characters inside a scheme: "jav\tascript:".
        const squeezed = clean.replace(/[\u0000-\u0020\u007f-\u009f]/g, "");
        if (!SAFE_URL.test(squeezed)) {
          problems.push(`the link address "${clean.slice(0, 60)}" is not allowed (use http, https, mailto or tel)`);
          return "#";
        }
        return escapeAttribute(clean);
      }
      return escapeAttribute(clean);
    },
  });
  let html = filter.process(input ?? "");
  html += open.reverse().map((t) => `</${t}>`).join("");
  // Output text is escaped, so "<a" here can only start a real link.
  html = html.replace(/<a(?=[\s>])/g, '<a rel="noopener noreferrer" target="_blank"');
  return { html: html.trim(), problems: [...new Set(problems)] };
}

function escapeText(value: string): string {
  return value.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function escapeAttribute(value: string): string {
  return value.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
