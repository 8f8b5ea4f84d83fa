// Imported by the Worker and by the questions module's front end: keep it free of imports.
/**
 * The Ask a Librarian module's rules, one place each: the statuses a question
 * moves through, which action is allowed from which status (the transitions
 * table), and the lists librarians work from. Where a chat's transcript starts
 * out is the routing table in src/questions/routing.ts.
 */

export const QUESTION_STATUSES = ["new", "pending", "answered", "closed"] as const;
export type QuestionStatus = (typeof QUESTION_STATUSES)[number];

export const QUESTION_STATUS_LABELS: Record<QuestionStatus, string> = {
  new: "New",
  pending: "Pending",
  answered: "Answered",
  closed: "Closed",
};

/** Everything that changes a question's status or owner. */
export const QUESTION_ACTIONS = ["assign", "reassign", "pending", "answer", "close", "reopen"] as const;
export type QuestionAction = (typeof QUESTION_ACTIONS)[number];

export interface Transition {
  /** Statuses the action may be taken from; from any other it is refused (409) and nothing changes. */
  from: readonly QuestionStatus[];
  to: QuestionStatus;
  /** The action names a librarian of the home library to own the question. */
  needsAssignee: boolean;
  /**
   * A cooperative librarian (another library's, following up a chat they
   * served) may take this action too; otherwise only the home library may.
   */
  cooperativeMay: boolean;
  /** Button text. */
  label: string;
  /** What the history says, after the actor's name. */
  past: string;
}

/**
 * The transitions table. Actions that leave the owner open (pending, answer,
 * reopen) make the librarian who acts the owner when nobody owns the question yet.
 */
export const TRANSITIONS: Record<QuestionAction, Transition> = {
  assign: { from: ["new"], to: "pending", needsAssignee: true, cooperativeMay: false, label: "Assign", past: "assigned the question" },
  reassign: { from: ["pending"], to: "pending", needsAssignee: true, cooperativeMay: false, label: "Reassign", past: "reassigned the question" },
  pending: { from: ["new"], to: "pending", needsAssignee: false, cooperativeMay: false, label: "Mark pending", past: "marked the question pending" },
  answer: { from: ["new", "pending", "answered"], to: "answered", needsAssignee: false, cooperativeMay: true, label: "Send answer", past: "sent a follow-up answer" },
  close: { from: ["new", "pending", "answered"], to: "closed", needsAssignee: false, cooperativeMay: false, label: "Close", past: "closed the question" },
  reopen: { from: ["answered", "closed"], to: "pending", needsAssignee: false, cooperativeMay: false, label: "Reopen", past: "reopened the question" },
};

/** Whether `action` may be taken while the question is `status`. */
export function isAllowed(action: QuestionAction, status: QuestionStatus): boolean {
  return TRANSITIONS[action].from.includes(status);
}

/** The actions a question in `status` offers, in table order. */
export function allowedActions(status: QuestionStatus): QuestionAction[] {
  return QUESTION_ACTIONS.filter((a) => isAllowed(a, status));
}

/** Why `action` is refused from `status` — the message of the 409. */
export function refusalMessage(action: QuestionAction, status: QuestionStatus): string {
  const from = TRANSITIONS[action].from.map((s) => QUESTION_STATUS_LABELS[s].toLowerCase()).join(", ");
  const hint = action === "answer" && status === "closed" ? " Reopen it first." : "";
  return `A ${QUESTION_STATUS_LABELS[status].toLowerCase()} question cannot be given “${TRANSITIONS[action].label}”: only a ${from} one can.${hint}`;
}

/**
 * The lists of the module. "new" is the library's unowned new questions, "mine"
 * the open ones (new or pending) the librarian owns, the others one status each.
 */
export const QUESTION_LISTS = ["new", "mine", "pending", "answered", "closed", "all"] as const;
export type QuestionList = (typeof QUESTION_LISTS)[number];

export const QUESTION_LIST_LABELS: Record<QuestionList, string> = {
  new: "New",
  mine: "Mine",
  pending: "Pending",
  answered: "Answered",
  closed: "Closed",
  all: "All",
};

/** Statuses in which a question still needs someone (what "Mine" shows). */
export const OPEN_STATUSES: readonly QuestionStatus[] = ["new", "pending"];
