/**
 * Builds the raw MIME message handed to the send_email binding: a
 * multipart/alternative with a text and an HTML part, both UTF-8 and base64,
 * headers encoded per RFC 2047 where they leave ASCII.
 */

export interface Address {
  address: string;
  name?: string | null;
}

export interface MimeMail {
  from: Address;
  to: Address;
  replyTo?: Address | null;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  date: Date;
  /** Extra headers, e.g. Auto-Submitted. Names and values must be ASCII. */
  headers?: Record<string, string>;
}

const ASCII_PRINTABLE = /^[\x20-\x7e]*$/;

function utf8Base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** RFC 2047 encoded-word for header text that is not plain ASCII. */
export function encodeHeaderText(text: string): string {
  const clean = text.replace(/[\r\n]+/g, " ");
  return ASCII_PRINTABLE.test(clean) ? clean : `=?UTF-8?B?${utf8Base64(clean)}?=`;
}

export function formatAddress(a: Address): string {
  const address = a.address.replace(/[\r\n<>]/g, "");
  if (!a.name) return address;
  const name = a.name.replace(/[\r\n]+/g, " ");
  const display = ASCII_PRINTABLE.test(name) ? `"${name.replace(/["\\]/g, "\\$&")}"` : encodeHeaderText(name);
  return `${display} <${address}>`;
}

function wrap76(b64: string): string {
  return b64.replace(/.{1,76}/g, "$&\r\n").trimEnd();
}

export function buildMime(mail: MimeMail): string {
  const boundary = `refdesk-${crypto.randomUUID()}`;
  const headers: string[] = [
    `From: ${formatAddress(mail.from)}`,
    `To: ${formatAddress(mail.to)}`,
    ...(mail.replyTo ? [`Reply-To: ${formatAddress(mail.replyTo)}`] : []),
    `Subject: ${encodeHeaderText(mail.subject)}`,
    `Date: ${mail.date.toUTCString()}`,
    `Message-ID: ${mail.messageId}`,
    "MIME-Version: 1.0",
    ...Object.entries(mail.headers ?? {}).map(([k, v]) => `${k}: ${v.replace(/[\r\n]+/g, " ")}`),
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
  ];
  const part = (type: string, body: string) =>
    [`--${boundary}`, `Content-Type: ${type}; charset=utf-8`, "Content-Transfer-Encoding: base64", "", wrap76(utf8Base64(body))].join("\r\n");
  return [headers.join("\r\n"), "", part("text/plain", mail.text), part("text/html", mail.html), `--${boundary}--`, ""].join("\r\n");
}
