/** How the module writes dates, names and codes. */
import { resolutionLabel, type FiledResolution } from "../../shared/codes";
import { QUESTION_STATUS_LABELS, type QuestionStatus } from "../../shared/question-rules";

const formats = new Map<string, Intl.DateTimeFormat>();

/** "Mar 9, 2026, 11:30 PM" in the library's time zone. */
export function formatWhen(at: number, timeZone: string): string {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone });
    formats.set(timeZone, f);
  }
  return f.format(at);
}

export const isoTime = (at: number) => new Date(at).toISOString();

export function resolutionText(code: FiledResolution | null): string {
  return code ? resolutionLabel(code) : "No code";
}

export const statusText = (status: QuestionStatus) => QUESTION_STATUS_LABELS[status];

/** The first `max` characters of a text on one line. */
export function excerpt(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** A random UUID (v4), also where crypto.randomUUID is missing (pages served over plain HTTP). */
export function newRequestId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
