/**
 * What the file routes' JSON errors say, in English, in one place, for API
 * clients and librarians. The object's own refusals (per chat, per patron,
 * turned off) are in durable-objects/chat-session/rules/files.ts. A patron
 * never reads these: their chat window words each refusal from its code and
 * field in their language (src/client/shared/file-upload.ts), and a mailed
 * link that cannot give its file opens a page in the chat's (./link-pages.ts).
 */
import { FILE_LIMITS } from "../shared/limits";
import { FILE_TYPES } from "../shared/file-types";

const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;
const labels = Object.values(FILE_TYPES).map((t) => t.label);

/** "PNG, JPEG, WebP or GIF image, or a PDF". */
export const ACCEPTED_TYPES = `${labels.slice(0, -2).join(", ")} or ${labels.at(-2)} image, or a ${labels.at(-1)}`;

export const FILE_TEXTS = {
  tooLarge: `This file is too large: a file may be at most ${megabytes(FILE_LIMITS.fileBytes)}.`,
  empty: "Choose a file to send.",
  wrongType: `This kind of file cannot be sent. Send a ${ACCEPTED_TYPES} (at most ${megabytes(FILE_LIMITS.fileBytes)}).`,
  filesOff: "Files are turned off for this chat.",
  chatOver: "This chat has ended.",
  notOpen: "This chat is not open for files now.",
  notInChat: "Only a librarian in this chat can send it files.",
  badToken: "This chat link is not valid.",
  linkExpired: "This file link has expired. Ask the library for the file again.",
  linkForged: "This file link is not valid.",
  fileGone: "This file is no longer available.",
  notSignedIn: "Sign in, or open the file from the chat or its transcript mail.",
} as const;
