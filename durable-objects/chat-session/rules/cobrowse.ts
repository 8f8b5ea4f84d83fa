/**
 * Co-browsing's consent rules: the serving librarian asks, the patron agrees
 * on a page (or declines), the sharing moves from page to page of the same
 * site, pauses while the next page loads, and ends. Only this consent state
 * is stored; the page stream is relayed by cobrowse-relay.ts and never kept.
 */
import { judgeBrowser } from "../../../src/cobrowse/browser-check";
import { COBROWSE_LIMITS } from "../../../src/shared/cobrowse-limits";
import { COBROWSE_END_REASONS, fillLine, type CobrowseEndReason, type SystemLine } from "../../../src/shared/system-lines";
import type { BrowserCheck } from "../../../src/shared/protocol";
import { isOver, type SessionState } from "../session-state";
import { decide, refuse, type Decision, type Verdict } from "./decision";
import type { Refusal } from "../../../src/objects/contracts";

/** Who sent a frame, as the rules need to know it. */
export type Sender = { role: "patron" } | { role: "librarian"; librarian: { id: string; name: string } };

/** The co-browse check the librarian sees: the patron's report judged for this chat. */
export function browserCheckOf(s: SessionState): BrowserCheck {
  return judgeBrowser(s.browser ?? null, { chatMethod: s.chatMethod ?? "chat", pageOrigin: s.patronOrigin ?? null });
}

/** Ends co-browsing, if any: the sharing page stops at once and, when a page was shared, the transcript says so. */
export function stopCobrowse(s: SessionState, reason: CobrowseEndReason, name?: string): Decision {
  if (!s.cobrowse) return decide(s);
  const wasSharing = s.cobrowse.status !== "requested";
  const params: Record<string, string> = name === undefined ? { reason } : { reason, reasonName: name };
  return decide({ ...s, cobrowse: null }, [
    { kind: "stop-sharing", reason: fillLine(COBROWSE_END_REASONS[reason], { name: name ?? "" }) },
    ...(wasSharing ? [{ kind: "line" as const, line: { key: "cobrowseEnded" as const, params } }] : []),
    { kind: "cobrowse" },
  ]);
}

/** Refuses a co-browse frame from anyone but the patron or the serving librarian, or about a chat not in progress. */
export function cobrowseRefusal(s: SessionState, from: Sender): Refusal | null {
  if (from.role === "librarian" && s.librarian?.id !== from.librarian.id) {
    return refuse("forbidden", "Only the librarian serving this chat can co-browse with the patron.");
  }
  if (s.status !== "active") {
    return isOver(s) ? refuse("session_ended", "This chat has ended.") : refuse("not_active", "Co-browsing needs a chat in progress.");
  }
  return null;
}

/** The serving librarian asks to see the patron's page; asking again while asked or sharing changes nothing. */
export function requestCobrowse(s: SessionState, from: Sender): Verdict {
  if (from.role !== "librarian") return refuse("forbidden", "Only the librarian serving this chat can ask to see the patron's page.");
  const refusal = cobrowseRefusal(s, from);
  if (refusal) return refusal;
  const check = browserCheckOf(s);
  if (!check.cobrowse.possible) return refuse("not_active", `Co-browsing is not possible with this patron. ${check.cobrowse.note}`);
  if (s.cobrowse) return decide(s, [{ kind: "cobrowse" }]);
  const librarian = { id: from.librarian.id, name: from.librarian.name };
  return decide({ ...s, cobrowse: { status: "requested", librarian, sharingId: null, origin: null, url: null, title: null, since: null, resumeBy: null } }, [
    { kind: "cobrowse" },
  ]);
}

export function declineCobrowse(s: SessionState, from: Sender): Verdict {
  if (from.role !== "patron") return refuse("forbidden", "Only the patron answers a request to see their page.");
  if (s.cobrowse?.status !== "requested") return refuse("not_active", "Nobody is asking to see your page.");
  return decide({ ...s, cobrowse: null }, [{ kind: "cobrowse" }]);
}

export function stopCobrowseBy(s: SessionState, from: Sender): Verdict {
  const refusal = cobrowseRefusal(s, from);
  if (refusal) return refusal;
  return from.role === "patron" ? stopCobrowse(s, "stoppedByPatron") : stopCobrowse(s, "stoppedBy", from.librarian.name);
}

/** A page the patron agreed to share (a new sharing, or the next page of one), already checked to be on the page's own origin. */
export interface SharingStart {
  /** The page's address as the page reports it (null: not a web address). */
  page: URL | null;
  /** The origin of the site that opened the stream socket (null: Refdesk's own pages). */
  socketOrigin: string | null;
  title: string;
  /** The sharing this page resumes, or null for the patron's first agreement. */
  resumeId: string | null;
  /** The id a new sharing gets. */
  newSharingId: string;
}

/**
 * The sharing id the page streams under, or why it may not: `ended` tells the
 * page to stop recording; `quiet` means that is all it is told (a page resuming
 * a sharing that is over is not in error, it is simply late).
 */
export type SharingVerdict = (Decision & { sharingId: string }) | (Refusal & { ended?: string; quiet?: boolean });

export function startSharing(s: SessionState, start: SharingStart, now: number): SharingVerdict {
  if (s.status !== "active") {
    const over = isOver(s) || s.status === "patron_left";
    const refusal = over ? refuse("session_ended", "This chat has ended.") : refuse("not_active", "Co-browsing needs a chat in progress.");
    return start.resumeId ? { ...refusal, ended: "the chat is over" } : refusal;
  }
  const page = start.page;
  if (!page || !start.socketOrigin || page.origin !== start.socketOrigin) {
    return refuse("validation_failed", "Only a library page carrying the chat widget can be shared, from that page itself.", { field: "url" });
  }
  const c = s.cobrowse;
  const title = start.title || null;
  if (start.resumeId) {
    if (!c || c.status === "requested" || c.sharingId !== start.resumeId || c.origin !== page.origin) {
      return { ...refuse("not_active", "Co-browsing has ended."), ended: "co-browsing has ended", quiet: true };
    }
    const next = { ...s, cobrowse: { ...c, status: "active" as const, url: page.href, title, resumeBy: null } };
    return { ...decide(next, [{ kind: "cobrowse" }]), sharingId: start.resumeId };
  }
  if (c?.status !== "requested") return refuse("not_active", "No librarian has asked to see your page.");
  const sharingId = start.newSharingId;
  const next = {
    ...s,
    cobrowse: { ...c, status: "active" as const, sharingId, origin: page.origin, url: page.href, title, since: now, resumeBy: null },
  };
  const line: SystemLine = s.patronName
    ? { key: "cobrowseStarted", params: { patron: s.patronName, host: page.host, librarian: c.librarian.name } }
    : { key: "cobrowseStartedUnnamed", params: { host: page.host, librarian: c.librarian.name } };
  return { ...decide(next, [{ kind: "line", line }, { kind: "cobrowse" }]), sharingId };
}

/** The last stream socket of the sharing closed: the next page of the site may resume it for a while. */
export function pauseSharing(s: SessionState, sharingId: string, now: number): Decision {
  const c = s.cobrowse;
  if (!c || c.status !== "active" || c.sharingId !== sharingId) return decide(s);
  return decide({ ...s, cobrowse: { ...c, status: "paused", resumeBy: now + COBROWSE_LIMITS.resumeMs } }, [{ kind: "cobrowse" }]);
}

/** A paused sharing whose next page never came ends. */
export function sharingTimedOut(s: SessionState, now: number): Decision {
  const c = s.cobrowse;
  if (c?.status !== "paused" || !c.resumeBy || now < c.resumeBy) return decide(s);
  return stopCobrowse(s, "pageGone");
}

/** The patron stops sharing from the sharing page itself. */
export function sharingStoppedByPage(s: SessionState, sharingId: string | null): Decision {
  if (!sharingId || sharingId !== s.cobrowse?.sharingId) return decide(s);
  return stopCobrowse(s, "stoppedByPatron");
}
