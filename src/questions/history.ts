/**
 * A question's history: every row of question_events, told in words. The
 * actions that write them are in src/questions/actions.ts (and the 'filed'
 * row in file-session.ts).
 */
import { ALL_RESOLUTIONS, resolutionLabel, type FiledResolution } from "../shared/codes";
import { QUESTION_STATUS_LABELS, TRANSITIONS, type QuestionAction, type QuestionStatus } from "../shared/question-rules";
import type { NoteView, QuestionEventView } from "../shared/questions-api";

export interface EventRow {
  id: number;
  actorId: string | null;
  actorName: string | null;
  action: string;
  /** As stored (JSON text). */
  detail: string;
  createdAt: number;
}

const isResolution = (v: unknown): v is FiledResolution => ALL_RESOLUTIONS.some((r) => r.code === v);
const statusLabel = (v: unknown) => (typeof v === "string" && v in QUESTION_STATUS_LABELS ? QUESTION_STATUS_LABELS[v as QuestionStatus] : String(v));
const codeList = (v: unknown) => (Array.isArray(v) && v.length ? v.join(", ") : "none");

/** What happened, in words, to follow the actor's name (or standing alone when there is no actor). */
export function describeEvent(action: string, detail: Record<string, unknown>, labelOf: (code: string) => string, hasActor = true): string {
  switch (action) {
    case "filed": {
      const resolution = isResolution(detail.resolution) ? resolutionLabel(detail.resolution) : "no code";
      const status = statusLabel(detail.status);
      if (detail.source === "email") return `Filed as ${status}: the patron left the question by e-mail while chat was unavailable.`;
      if (!hasActor) return `Filed as ${status} (“${resolution}”): no librarian joined the chat.`;
      return `ended the chat as “${resolution}”; filed as ${status}.`;
    }
    case "assign":
      return `assigned the question to ${String(detail.assigneeName ?? "a librarian")}.`;
    case "reassign":
      return `reassigned the question from ${String(detail.previousAssigneeName ?? "nobody")} to ${String(detail.assigneeName ?? "a librarian")}.`;
    case "pending":
    case "close":
    case "reopen":
    case "answer":
      return `${TRANSITIONS[action as QuestionAction].past} (${statusLabel(detail.from)} → ${statusLabel(detail.to)}).`;
    case "note":
      return "added an internal note.";
    case "codes": {
      const from = (detail.from ?? {}) as { resolution?: unknown; descriptiveCodes?: unknown };
      const to = (detail.to ?? {}) as { resolution?: unknown; descriptiveCodes?: unknown };
      const label = (r: unknown) => (isResolution(r) ? resolutionLabel(r) : "none");
      const codes = (v: unknown) => (Array.isArray(v) ? codeList(v.map((c) => labelOf(String(c)))) : "none");
      return `changed the codes from “${label(from.resolution)}” (${codes(from.descriptiveCodes)}) to “${label(to.resolution)}” (${codes(to.descriptiveCodes)}).`;
    }
    case "mail_resent":
      return "re-sent a mail that had failed.";
    default:
      return `${action}.`;
  }
}

function parseDetail(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function toEventViews(rows: EventRow[], labelOf: (code: string) => string): { events: QuestionEventView[]; notes: NoteView[] } {
  const events: QuestionEventView[] = [];
  const notes: NoteView[] = [];
  for (const r of rows) {
    const detail = parseDetail(r.detail);
    const actor = r.actorId ? { id: r.actorId, name: r.actorName ?? "A former librarian" } : null;
    events.push({ id: r.id, action: r.action, actor, summary: describeEvent(r.action, detail, labelOf, actor !== null), detail, at: r.createdAt });
    if (r.action === "note") notes.push({ id: r.id, author: actor, body: String(detail.body ?? ""), at: r.createdAt });
  }
  return { events, notes };
}
