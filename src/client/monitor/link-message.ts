/**
 * "Send a link": the librarian gives an address and, optionally, a title; the
 * patron receives one message whose address their chat window shows as a link
 * that opens in a new window (the shared linkify does that, for every client
 * and for the transcript mail alike).
 */
import { LIMITS } from "../../shared/limits";

export type LinkCheck = { ok: true; url: string } | { ok: false; field: "url" | "title"; message: string };

/** Checks the address (http or https; "www." gets https://) and the title's length. */
export function checkLink(rawUrl: string, rawTitle: string): LinkCheck {
  const text = rawUrl.trim();
  if (!text) return { ok: false, field: "url", message: "Enter the address of the page." };
  if (text.length > LIMITS.urlChars) return { ok: false, field: "url", message: `Keep the address under ${LIMITS.urlChars} characters.` };
  if (rawTitle.trim().length > LIMITS.linkTitleChars) return { ok: false, field: "title", message: `Keep the title under ${LIMITS.linkTitleChars} characters.` };
  const candidate = /^www\./i.test(text) ? `https://${text}` : text;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return { ok: false, field: "url", message: "That is not a web address. Start it with https://." };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, field: "url", message: "Only web addresses (http or https) can be sent." };
  if (/\s/.test(candidate)) return { ok: false, field: "url", message: "A web address cannot contain spaces." };
  return { ok: true, url: candidate };
}

/** The message the patron receives: "Title: address", or the address alone. */
export function linkMessage(url: string, title: string): string {
  const t = title.trim().replace(/\s+/g, " ");
  return t ? `${t}: ${url}` : url;
}
