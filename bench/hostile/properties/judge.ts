/**
 * What counts as a right answer to a generated request or frame: a clear
 * refusal — for the API, JSON `{ error: { code, message, field? } }` with a
 * known code, a message for people and no stack trace; on a socket, an
 * `{type:"error", code, message}` frame or a documented close code — or a
 * documented success. Never a 5xx (unless the route documents that status as
 * an answer), never an unknown frame, never a crash.
 */
import { CLOSE_CODES } from "../../../src/shared/close-codes";
import { ERROR_CODES } from "../../../src/shared/protocol";
import type { Operation, RequestCase } from "./request-cases";

const KNOWN_CODES = new Set<string>(ERROR_CODES);
const STACK_TRACE = /\bat \S+\.(ts|js|mjs):\d+|\n\s+at /;

/** What came back to a request. */
export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** The problem with an error body (`{ error: { code, message, field? } }`), or null. */
export function errorBodyProblem(text: string): string | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `a refusal that is not JSON: ${text.slice(0, 160)}`;
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; field?: unknown } } | null)?.error;
  if (!error || typeof error !== "object") return `a refusal without an error object: ${text.slice(0, 160)}`;
  if (typeof error.code !== "string" || !KNOWN_CODES.has(error.code)) return `an unknown error code ${JSON.stringify(error.code)}: ${text.slice(0, 160)}`;
  if (typeof error.message !== "string" || error.message.trim().length < 6) return `no clear message: ${text.slice(0, 160)}`;
  if (STACK_TRACE.test(error.message)) return `a stack trace in the message: ${error.message.slice(0, 160)}`;
  if (error.field !== undefined && (typeof error.field !== "string" || error.field.length === 0)) return `a field that is not a name: ${JSON.stringify(error.field)}`;
  return null;
}

/** The problem with the answer to a generated request, or null when it is a clear refusal or a documented success. */
export function answerProblem(op: Operation, request: RequestCase, answer: Answer): string | null {
  const { status, contentType, text } = answer;
  const shown = `${status} ${text.slice(0, 200)}`;
  // Refused by the HTTP server in front of the Worker (a URL or headers over its limit): the app never saw it.
  if (status === 414 || status === 431) return null;
  if (status >= 500 && !op.documented5xx.includes(status)) return `server error: ${shown}`;
  if (status === 101 && !request.upgrade) return "switched protocols without being asked";
  const api = op.kind === "json" || op.kind === "websocket" || op.path.startsWith("/api/");
  if (status >= 400 && api) {
    // The hosted form posts to the API without JavaScript; it may be answered with a page, as a browser needs.
    const pageForForm = request.contentType?.startsWith("application/x-www-form-urlencoded") && contentType.startsWith("text/html");
    if (!pageForForm) {
      if (!contentType.startsWith("application/json")) return `an API refusal that is not JSON (${contentType || "no type"}): ${shown}`;
      const problem = errorBodyProblem(text);
      if (problem) return problem;
    }
  }
  if (status >= 200 && status < 300 && contentType.startsWith("application/json")) {
    try {
      JSON.parse(text);
    } catch {
      return `a success that is not the JSON it says: ${shown}`;
    }
  }
  return null;
}

/** Whether a request was refused (so that it must have changed nothing). */
export const refused = (status: number): boolean => status >= 400;

const CLOSE_CODE_VALUES = new Set<number>([...Object.values(CLOSE_CODES), 1009]);

/** The problem with a frame the server sent, or null when it is an error frame or a frame its socket's schema allows. */
export function frameProblem(frame: unknown, isServerFrame: (f: unknown) => boolean): string | null {
  const f = frame as { type?: unknown; code?: unknown; message?: unknown } | null;
  if (f?.type === "error") {
    if (typeof f.code !== "string" || !KNOWN_CODES.has(f.code)) return `an error frame with an unknown code: ${JSON.stringify(frame).slice(0, 200)}`;
    if (typeof f.message !== "string" || f.message.trim().length < 6) return `an error frame without a clear message: ${JSON.stringify(frame).slice(0, 200)}`;
    if (STACK_TRACE.test(f.message)) return `a stack trace in an error frame: ${f.message.slice(0, 200)}`;
    return null;
  }
  return isServerFrame(frame) ? null : `a frame the protocol does not have: ${JSON.stringify(frame).slice(0, 200)}`;
}

/** The problem with how a socket closed, or null when the code is one the protocol documents (src/shared/close-codes.ts, or 1009 for a frame over the runtime's limit). */
export function closeProblem(code: number): string | null {
  return CLOSE_CODE_VALUES.has(code) ? null : `closed with ${code}, which the protocol does not document`;
}
