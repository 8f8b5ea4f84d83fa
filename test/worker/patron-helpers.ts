/**
 * Helpers for the patron-side tests: posting the hosted form as a browser
 * without JavaScript does, reading server-rendered HTML with the runtime's own
 * HTMLRewriter, and asking as another site would.
 */
import { call, patronIp } from "./helpers";

/** Posts the hosted form (application/x-www-form-urlencoded), from one network address. */
export function postHostedForm(fields: Record<string, string>, ip = patronIp()): Promise<Response> {
  return call("/api/chats", {
    method: "POST",
    body: new URLSearchParams(fields).toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded", "cf-connecting-ip": ip },
    // Look at the redirect itself, as a browser receives it.
    redirect: "manual",
  });
}

/** Starts a chat through the JSON API, as the Qwidget does (optionally from another site). */
export function postChat(json: Record<string, unknown>, opts: { ip?: string; origin?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { "cf-connecting-ip": opts.ip ?? patronIp() };
  if (opts.origin) headers.Origin = opts.origin;
  return call("/api/chats", { method: "POST", json, headers });
}

export interface FoundElement {
  attrs: Record<string, string>;
  /** All text inside the element, entities as written. */
  text: string;
}

const VOID_ELEMENTS = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]);

/** Every element matching `selector` in `html`, with its attributes and text. */
export async function elements(html: string, selector: string): Promise<FoundElement[]> {
  const found: FoundElement[] = [];
  const open: FoundElement[] = [];
  await new HTMLRewriter()
    .on(selector, {
      element(el) {
        // HTMLRewriter gives [name, value] pairs (values as written, entities and all).
        const item: FoundElement = { attrs: Object.fromEntries(el.attributes as unknown as Iterable<[string, string]>), text: "" };
        found.push(item);
        if (!VOID_ELEMENTS.has(el.tagName)) {
          open.push(item);
          el.onEndTag(() => {
            open.splice(open.indexOf(item), 1);
          });
        }
      },
      text(chunk) {
        for (const item of open) item.text += chunk.text;
      },
    })
    .transform(new Response(html))
    .text();
  return found;
}

/** The one element matching `selector`; fails when there is none or more than one. */
export async function element(html: string, selector: string): Promise<FoundElement> {
  const all = await elements(html, selector);
  if (all.length !== 1) throw new Error(`expected one ${selector}, found ${all.length}`);
  return all[0]!;
}
