/**
 * The one rule for what a patron's browser is ever asked to load or open for
 * Refdesk (pushed pages, co-browse navigation): an absolute http or https
 * address without user name or password. javascript:, data:, file:, blob: and
 * everything else are refused. Server and clients both apply it.
 */

/** The address as a URL when it is an http(s) address Refdesk may load, otherwise null. */
export function webUrl(text: string): URL | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  // Credentials in an address are a phishing device ("https://library.org@evil.example"), never a need.
  if (url.username || url.password) return null;
  return url;
}

/** Why an address is refused, in words for the person who typed it; null when it is fine. */
export function webUrlProblem(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed) return "Enter the address of the page.";
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return "That is not a web address. Start it with https://.";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `Only web addresses (http or https) can be opened for a patron, not ${url.protocol} addresses.`;
  if (url.username || url.password) return "Leave the user name and password out of the address.";
  return null;
}
