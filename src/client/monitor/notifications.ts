/**
 * Telling a librarian who is looking elsewhere, in the browser: desktop
 * notifications (the Notification API; permission is asked only when they
 * click to turn them on) and the count on the tab's icon. What to tell and
 * when: ./alerts.ts.
 */
import type { DesktopAlert, NotificationAccess } from "./alerts";

export function notificationAccess(): NotificationAccess {
  return typeof Notification === "undefined" ? "unsupported" : Notification.permission;
}

/** Shows one notification; a click brings the monitor to the front. */
export function showNotification(alert: DesktopAlert): void {
  try {
    const n = new Notification(alert.title, { body: alert.body, tag: alert.tag, icon: "/favicon.svg" });
    n.onclick = () => {
      window.focus();
      n.close();
    };
  } catch {
    // Some browsers allow notifications only from a service worker: the title and icon still count.
  }
}

/** Puts `href` as the page's icon. */
export function setIcon(href: string): void {
  let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!link) {
    link = document.createElement("link");
    link.rel = "icon";
    document.head.append(link);
  }
  link.href = href;
}
