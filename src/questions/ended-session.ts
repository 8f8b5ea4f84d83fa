/**
 * What filing receives when a chat ends (src/questions/file-session.ts): the
 * chat as the session object knew it. Its own module so the statistics that
 * filing records can read the type without importing filing.
 */
import type { FiledResolution } from "../shared/codes";
import type { ChatMessage } from "../shared/protocol";

export interface EndedSession {
  sessionId: string;
  libraryId: string;
  question: string;
  patronName: string | null;
  patronEmail: string | null;
  transcriptOptOut: boolean;
  librarian: { id: string; name: string; libraryId: string } | null;
  resolution: FiledResolution;
  descriptiveCodes: string[];
  note: string | null;
  /** 'chat' for a transcript, 'email' for a question left when chat was unavailable. */
  source: "chat" | "email";
  messages: ChatMessage[];
  createdAt: number;
  acceptedAt: number | null;
  endedAt: number;
  /** What happened, without anyone's personal data: for statistics (absent from callers that predate it). */
  facts?: SessionFacts;
}

/** How a chat went, as statistics count it: no names, no addresses, no text. */
export interface SessionFacts {
  formId: string | null;
  /** The queue the request was first offered in (the form's queue). */
  homeQueueId: string;
  /** Every queue the request was shown in, in order (more than one: it rolled over). */
  queueIds: string[];
  /** The queue through which the librarian who took it accepted (null: nobody accepted). */
  acceptedQueueId: string | null;
  /** Where the patron asked from: the library site the Qwidget ran on, or null for Refdesk's own hosted form. */
  patronOrigin: string | null;
  /** Nobody could take it when it came, or nobody came within the wait limit: the patron was shown the alternatives. */
  turnedAway: boolean;
  /** The chat ended by itself after the library's idle time. */
  endedAutomatically: boolean;
  /** Messages written by the patron and by librarians (system lines not counted). */
  patronMessages: number;
  librarianMessages: number;
}
