/**
 * Signed file links: an address anyone holding it may fetch a chat's file
 * from until it expires — for the transcript mail (the patron has no sign-in)
 * and for the chat window (an <img> cannot send the chat token). The HMAC
 * (SHA-256, keyed by the FILE_LINK_SECRET secret) covers the chat, the file
 * and the expiry, so none of them can be changed; a link stops working at its
 * expiry, and once the privacy scrub deleted the file.
 */
const DAY_MS = 24 * 60 * 60 * 1000;

/** How long a transcript mail's file links work at most (never past the chat's retention). */
export const MAIL_LINK_DAYS = 30;
/** How long the chat window's links work (it asks again when it opens later). */
export const CHAT_LINK_MS = DAY_MS;

export const filePath = (sessionId: string, fileId: string) => `/api/chats/${sessionId}/files/${fileId}`;

async function signingKey(env: Pick<Env, "FILE_LINK_SECRET">): Promise<CryptoKey> {
  if (!env.FILE_LINK_SECRET) throw new Error("FILE_LINK_SECRET is not set (docs/operations.md): file links cannot be signed or checked");
  return crypto.subtle.importKey("raw", new TextEncoder().encode(env.FILE_LINK_SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

const signed = (sessionId: string, fileId: string, expires: number) => new TextEncoder().encode(`file-link\n${sessionId}\n${fileId}\n${expires}`);

function base64url(bytes: ArrayBuffer): string {
  let s = "";
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return null;
  const s = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** The path and query of a link to this file that works until `expires` (ms since the epoch). */
export async function signedFilePath(env: Pick<Env, "FILE_LINK_SECRET">, sessionId: string, fileId: string, expires: number): Promise<string> {
  const sig = base64url(await crypto.subtle.sign("HMAC", await signingKey(env), signed(sessionId, fileId, expires)));
  return `${filePath(sessionId, fileId)}?${new URLSearchParams({ expires: String(expires), sig })}`;
}

/** When a mailed link expires: MAIL_LINK_DAYS from now, or the chat's retention, whichever is first. */
export const mailLinkExpiry = (now: number, createdAt: number, retentionDays: number) => Math.min(now + MAIL_LINK_DAYS * DAY_MS, createdAt + retentionDays * DAY_MS);

export type LinkCheck = "valid" | "expired" | "forged";

/** Whether a link's `expires` and `sig` are ours for this file, and still good at `now`. The signature is checked in constant time. */
export async function checkFileLink(env: Pick<Env, "FILE_LINK_SECRET">, sessionId: string, fileId: string, expiresParam: string, sigParam: string, now: number): Promise<LinkCheck> {
  const expires = /^\d{1,15}$/.test(expiresParam) ? Number(expiresParam) : NaN;
  const sig = fromBase64url(sigParam);
  if (!Number.isSafeInteger(expires) || !sig) return "forged";
  if (!(await crypto.subtle.verify("HMAC", await signingKey(env), sig, signed(sessionId, fileId, expires)))) return "forged";
  return expires > now ? "valid" : "expired";
}
