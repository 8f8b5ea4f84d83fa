/**
 * The lines Refdesk itself writes into a chat ("Lisa has joined the chat."),
 * as keys with parameters, so each reader can be shown them in their own
 * language. The chat stores the key and parameters with the English text
 * (which the transcript, search and older clients read); a client or a mail
 * that knows the reader's language formats the key with that language's
 * catalog instead. English is the catalog below; other languages follow the
 * same keys and placeholders.
 */
import { nameInText } from "./display-text";

/** Why co-browsing ended, as the "Co-browsing ended (…)" line says it. */
export const COBROWSE_END_REASONS = {
  chatEnded: "the chat ended",
  stoppedByPatron: "stopped by the patron",
  stoppedBy: "stopped by {name}",
  patronLeft: "the patron left the chat",
  transferred: "the chat was transferred",
  noLongerAvailable: "{name} is no longer available",
  pageGone: "the shared page did not come back",
} as const;
export type CobrowseEndReason = keyof typeof COBROWSE_END_REASONS;

/** The English catalog of system lines; `{…}` are the parameters. */
export const SYSTEM_LINES_EN = {
  joined: "{name} has joined the chat.",
  joinedToHelp: "{name} has joined the chat to help {owner}.",
  consultantLeft: "{name} has left the chat.",
  endedBy: "{name} ended the chat.",
  endedIdle: "This chat ended automatically after {minutes} minutes without a message.",
  patronLeft: "{name} left the chat.",
  patronLeftUnnamed: "The patron left the chat.",
  patronLeftWaiting: "{name} left before a librarian joined.",
  patronLeftWaitingUnnamed: "The patron left before a librarian joined.",
  leftByEmail: "The question was left for follow-up by e-mail.",
  goneFiled: "{name} is no longer available; the chat was filed for follow-up.",
  goneBackInQueue: "{name} is no longer available. You are back in the queue: another librarian will be with you shortly.",
  transferring: "You are being transferred to {name}.",
  stillWithYou: "{name} is still with you.",
  couldNotTake: "{to} could not take the chat; {from} is still with you.",
  nobodyCouldTake: "Nobody could take the chat just now; {name} is still with you.",
  partnersCanSee: "Librarians at our partner libraries can now see your question too.",
  cobrowseStarted: "Co-browsing started: {patron} is sharing a page of {host} with {librarian}.",
  cobrowseStartedUnnamed: "Co-browsing started: the patron is sharing a page of {host} with {librarian}.",
  cobrowseEnded: "Co-browsing ended ({reason}).",
  filesOff: "{name} turned off sending files in this chat.",
  filesOn: "{name} turned sending files back on.",
  logFull: "This chat has reached its length limit, so nothing more can be added. Please end it; start a new chat if you need more help.",
} as const;
export type SystemLineKey = keyof typeof SYSTEM_LINES_EN;

/** A line as stored: its key and parameters (`reason` of cobrowseEnded is a CobrowseEndReason; `reasonName` its name). */
export interface SystemLine {
  key: SystemLineKey;
  params?: Record<string, string | number>;
}

/** Parameters that are people's or places' names: isolated so right-to-left names cannot run into the words around them. */
const NAME_PARAMS = new Set(["name", "owner", "to", "from", "patron", "librarian", "reasonName"]);

/** Fills `{param}` placeholders; names are isolated (nameInText). */
export function fillLine(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = params[key];
    if (value === undefined) return whole;
    return NAME_PARAMS.has(key) ? nameInText(String(value)) : String(value);
  });
}

/** A system line in English (the text stored beside its key). */
export function systemLineText(line: SystemLine): string {
  const params = { ...line.params };
  if (line.key === "cobrowseEnded") {
    const reason = COBROWSE_END_REASONS[String(params.reason) as CobrowseEndReason] ?? String(params.reason);
    params.reason = fillLine(reason, { name: params.reasonName ?? "" });
  }
  return fillLine(SYSTEM_LINES_EN[line.key], params);
}
