/**
 * The front ends' side of the catalogs (src/i18n/catalogs): the messages of
 * the one language a page shows, set once at start (a patron page gets them
 * from the server, the Qwidget loads its language's chunk, the monitor
 * carries English and the staff catalog, src/i18n/catalogs/staff) and read
 * by every component through `t`. Names in messages are isolated where
 * right-to-left text could reorder them.
 */
import type en from "../../i18n/catalogs/en.json";
import type staffEn from "../../i18n/catalogs/staff/en.json";
import { renderMessage, type Message, type MessageParams } from "../../i18n/message-render";
import { messageText } from "../../i18n/system-lines";
import type { ChatMessage } from "../../shared/protocol";

export type MessageKey = keyof typeof en | keyof typeof staffEn;
/** Compiled (src/i18n/message-format's compileMessages): the Qwidget's come so from the build, and it carries no parser. */
export type Messages = Partial<Record<MessageKey, Message>>;

let language = "en";
let messages: Messages = {};

/** Shows `more` in `tag` (added to what is there, so a chunk of messages can arrive later). */
export function setMessages(tag: string, more: Messages): void {
  if (tag !== language) messages = {};
  language = tag;
  messages = { ...messages, ...more };
}

/** The language shown. */
export const currentLanguage = (): string => language;

const RIGHT_TO_LEFT = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;
const NAMES = /^(name|owner|to|from|patron|librarian|library|reasonName)$/;

function lookup(key: string, params?: MessageParams): string | undefined {
  const text = messages[key as MessageKey];
  if (text === undefined) return undefined;
  return renderMessage(language, text, params, (name, value) => {
    const v = String(value);
    return NAMES.test(name) && (RIGHT_TO_LEFT.test(v) || RIGHT_TO_LEFT.test(JSON.stringify(text))) ? `\u2068${v}\u2069` : v;
  });
}

/** A message in the page's language (its key when the catalog lacks it, which the completeness test rules out). */
export function t(key: MessageKey, params?: MessageParams): string {
  return lookup(key, params) ?? key;
}

/** What a chat message says to this reader: system lines in the page's language. */
export const shownText = (m: Pick<ChatMessage, "kind" | "body" | "line">): string => messageText(lookup, m);

/** Times in the page's language. */
export const timeFormat = (): Intl.DateTimeFormat => new Intl.DateTimeFormat(language, { hour: "numeric", minute: "2-digit" });
