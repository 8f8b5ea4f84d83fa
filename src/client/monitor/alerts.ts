/**
 * When and what to tell a librarian who is looking elsewhere (pure; the
 * browser side is ./notifications.ts): a desktop notification for a new
 * request, a transfer or an invitation to consult offered to them, a direct
 * staff message and a direct message from any colleague while the monitor is
 * hidden — quiet while they are Busy or Away — and for their
 * library's shift nobody from it is online on; the tab icon's count.
 */
import type { DirectMessage, QueuedRequest, StaffMessage } from "../../shared/protocol";

export type AlertKind = "request" | "transfer" | "consult" | "direct" | "coverage";

export interface DesktopAlert {
  kind: AlertKind;
  title: string;
  body: string;
  /** Notifications with the same tag replace each other. */
  tag: string;
}

/** What the browser allows: no API at all, not asked yet, allowed, refused. */
export type NotificationAccess = "unsupported" | "default" | "granted" | "denied";

/** Whether an alert of `kind` should pop up now. */
export function shouldNotify(kind: AlertKind, o: { enabled: boolean; access: NotificationAccess; hidden: boolean; status: "online" | "busy" | "away" | "offline" }): boolean {
  if (!o.enabled || o.access !== "granted") return false;
  // A shift the librarian is missing is worth telling even while they are away or the monitor is in front.
  if (kind === "coverage") return true;
  return o.hidden && o.status !== "busy" && o.status !== "away";
}

const firstLine = (text: string, max = 120) => {
  const line = text.split("\n")[0] ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

export function requestAlert(r: QueuedRequest): DesktopAlert {
  if (r.consult) {
    return { kind: "consult", title: `${r.consult.from.name} asks you to help: ${r.patronName}`, body: firstLine(r.question), tag: `consult:${r.sessionId}` };
  }
  if (r.transfer) {
    return { kind: "transfer", title: `Transfer from ${r.transfer.from.name}: ${r.patronName}`, body: firstLine(r.transfer.note ?? r.question), tag: `transfer:${r.sessionId}` };
  }
  return { kind: "request", title: `New request: ${r.patronName} (${r.libraryName})`, body: firstLine(r.question), tag: `request:${r.sessionId}` };
}

export function directAlert(m: StaffMessage): DesktopAlert {
  return { kind: "direct", title: `Message from ${m.from.name}`, body: firstLine(m.body), tag: `direct:${m.queueId}:${m.id}` };
}

/** A direct message from a colleague of the library or its cooperatives. */
export function directMessageAlert(m: DirectMessage): DesktopAlert {
  return { kind: "direct", title: `Message from ${m.from.name}`, body: firstLine(m.body), tag: `dm:${m.id}` };
}

/** The tab's icon: a chat bubble, with the number of things waiting for the librarian on it. */
export function badgeIcon(count: number): string {
  const label = count > 99 ? "99+" : String(count);
  const badge =
    count > 0
      ? `<circle cx="23" cy="9" r="9" fill="#b42318"/><text x="23" y="13" font-family="Arial,sans-serif" font-size="${label.length > 2 ? 8 : 12}" font-weight="700" fill="#fff" text-anchor="middle">${label}</text>`
      : "";
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path d="M4 6h20a3 3 0 0 1 3 3v11a3 3 0 0 1-3 3H13l-6 5v-5H4a3 3 0 0 1-3-3V9a3 3 0 0 1 3-3z" fill="#1d4ed8"/>${badge}</svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}
