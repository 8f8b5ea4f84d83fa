/**
 * The co-browse check as the librarian reads it: the patron browser's own
 * report (src/shared/protocol.ts, browserReportSchema) judged against the
 * form's chat method and the page the patron is on, each answer with a short
 * note that says what it means for helping this patron.
 */
import type { ChatMethod } from "../shared/admin-limits";
import type { BrowserCheck, BrowserReport } from "../shared/protocol";

export interface CheckContext {
  chatMethod: ChatMethod;
  /** The library page the patron's Qwidget runs on (null on Refdesk's own chat page). */
  pageOrigin: string | null;
}

export function judgeBrowser(report: BrowserReport | null, ctx: CheckContext): BrowserCheck {
  if (!report) {
    return {
      reported: false,
      viewport: { available: ctx.chatMethod === "viewport", note: ctx.chatMethod === "viewport" ? "Not reported yet." : "This form is plain chat: pushed pages open in a new window." },
      popups: "unknown",
      qwidget: { on: ctx.pageOrigin !== null, pageOrigin: ctx.pageOrigin },
      cobrowse: { possible: false, note: "Not reported yet." },
      narrow: false,
    };
  }
  const where = report.narrow ? "below the chat (a phone-sized screen)" : "beside the chat";
  const viewport =
    ctx.chatMethod !== "viewport"
      ? { available: false, note: "This form is plain chat: pushed pages open in a new window." }
      : report.framing === false
        ? { available: false, note: "The patron's page blocks frames: pushed pages open in a new window." }
        : { available: true, note: `Pushed pages open ${where}, unless a page forbids it.` };
  const cobrowse = !report.qwidget
    ? { possible: false, note: "Only on a library page that carries the Qwidget; this patron is on the chat page." }
    : !report.cobrowseSupported
      ? { possible: false, note: "This browser lacks what co-browsing needs." }
      : { possible: true, note: "You can ask to see the patron's page; they are asked to agree first." };
  return { reported: true, viewport, popups: report.popups, qwidget: { on: report.qwidget, pageOrigin: ctx.pageOrigin }, cobrowse, narrow: report.narrow };
}
