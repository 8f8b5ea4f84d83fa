/**
 * The page a patron shares, remembered for this browser tab only
 * (sessionStorage): when the librarian takes the page elsewhere on the site,
 * or the patron follows a link, the next page of the same tab resumes sharing
 * under the consent already given. Another tab never starts sharing by itself.
 */
export const SHARING_KEY = "refdesk-cobrowse";

export interface SharingRecord {
  sessionId: string;
  sharingId: string;
}

export function readSharing(): SharingRecord | null {
  try {
    return JSON.parse(sessionStorage.getItem(SHARING_KEY) ?? "null") as SharingRecord | null;
  } catch {
    return null;
  }
}

export function writeSharing(record: SharingRecord | null): void {
  try {
    if (record) sessionStorage.setItem(SHARING_KEY, JSON.stringify(record));
    else sessionStorage.removeItem(SHARING_KEY);
  } catch {
    // Storage blocked: sharing then ends with this page.
  }
}
