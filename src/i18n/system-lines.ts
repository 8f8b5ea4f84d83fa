/**
 * System lines ("Lisa has joined the chat.") in a reader's language: the
 * chat stores each line's key and parameters (src/shared/system-lines.ts)
 * beside its English text, and each reader's side formats the key with its
 * own catalog. A line without a key (stored before lines had keys) keeps its
 * stored text.
 */
import type { ChatMessage } from "../shared/protocol";
import type { MessageParams } from "./message-format";

/** Just the part of a catalog system lines need (the Qwidget may hold only some keys). */
type Lookup = (key: string, params?: MessageParams) => string | undefined;

/** A system line's text through `lookup`, or undefined when the catalog lacks it. */
export function systemLineThrough(lookup: Lookup, line: NonNullable<ChatMessage["line"]>): string | undefined {
  const params: MessageParams = { ...line.params };
  if (line.key === "cobrowseEnded") {
    const reason = lookup(`system.reason.${String(params.reason)}`, { name: params.reasonName ?? "" });
    if (reason === undefined) return undefined;
    params.reason = reason;
  }
  return lookup(`system.${line.key}`, params);
}

/** What a message says to this reader: a system line in their language, anything else as written. */
export function messageText(lookup: Lookup, message: Pick<ChatMessage, "kind" | "body" | "line">): string {
  return (message.kind === "system" && message.line && systemLineThrough(lookup, message.line)) || message.body;
}
