/**
 * Where a transcript goes when a session ends: one rule per resolution code
 * (PRODUCT.md, "Resolution codes"). The filing code and the Ask a Librarian
 * module both read this table; nothing else decides it.
 */
import type { FiledResolution, ResolutionCode } from "../shared/codes";
import type { QuestionStatus } from "../shared/question-rules";

export type { QuestionStatus };

export interface RoutingRule {
  status: QuestionStatus;
  /** Assign the question to the librarian who chatted. */
  assignToLibrarian: boolean;
  hidden: boolean;
  excludeFromStats: boolean;
  /** Mail the transcript to the patron (when they gave an address and did not opt out). */
  mailTranscript: boolean;
}

export const ROUTING: Record<FiledResolution, RoutingRule> = {
  answered: { status: "answered", assignToLibrarian: true, hidden: false, excludeFromStats: false, mailTranscript: true },
  // A cooperative librarian's follow-up stays at the patron's home library,
  // pending and assigned to that librarian: the same rule serves both cases.
  followup_by_me: { status: "pending", assignToLibrarian: true, hidden: false, excludeFromStats: false, mailTranscript: true },
  followup_by_library: { status: "new", assignToLibrarian: false, hidden: false, excludeFromStats: false, mailTranscript: true },
  lost_call: { status: "closed", assignToLibrarian: false, hidden: false, excludeFromStats: false, mailTranscript: true },
  practice: { status: "answered", assignToLibrarian: true, hidden: false, excludeFromStats: true, mailTranscript: false },
  spam: { status: "closed", assignToLibrarian: false, hidden: true, excludeFromStats: true, mailTranscript: false },
  // Nobody ended it, so the patron's library looks at it: new and unassigned, like a follow-up by the library.
  auto_ended: { status: "new", assignToLibrarian: false, hidden: false, excludeFromStats: false, mailTranscript: true },
};

/**
 * A request nobody accepted (the patron left while waiting, or no librarian
 * came within the wait limit) is filed without a librarian: for follow-up when
 * the patron left an address, closed as a lost call otherwise.
 */
export function unansweredResolution(patronEmail: string | null): ResolutionCode {
  return patronEmail ? "followup_by_library" : "lost_call";
}
