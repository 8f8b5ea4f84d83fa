/**
 * Checking a patron's chat request against the request schema and against the
 * form it was sent from. The JSON API answers the first problem; the hosted
 * form (no JavaScript) shows every problem next to its field, with what the
 * patron typed kept.
 */
import type { z } from "zod";
import { startChatSchema } from "../shared/api";
import { patronFields, requestFieldPath, type FormField } from "../shared/forms";
import { translator, type Translator } from "../i18n/catalog";
import { answerProblemKey } from "../i18n/refusal-words";
import { LIMITS } from "../shared/limits";

export type ChatRequest = z.output<typeof startChatSchema>;

/** One problem with a request; `field` is `question`, `name`, `email`, `fields.<id>`…, or absent for the request as a whole. */
export interface FieldError {
  field?: string;
  message: string;
}

/** What the patron typed into the hosted form, to show it again. */
export interface SubmittedValues {
  question: string;
  name: string;
  email: string;
  fields: Record<string, string>;
  noTranscript: boolean;
}

/**
 * HTML forms send extra answers as `field:<id>`; gather them into `fields` as the
 * JSON API has them. A form sends every input, so an empty one means "not answered".
 */
export function gatherFormPost(raw: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (k.startsWith("field:") && v !== "") fields[k.slice(6)] = v;
  return { ...raw, fields };
}

const asText = (v: unknown): string => (typeof v === "string" ? v : "");

export function submittedValues(raw: Record<string, unknown>): SubmittedValues {
  const fields: Record<string, string> = {};
  const given = raw.fields && typeof raw.fields === "object" ? (raw.fields as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(given)) fields[k] = asText(v);
  return { question: asText(raw.question), name: asText(raw.name), email: asText(raw.email), fields, noTranscript: raw.noTranscript === "on" || raw.noTranscript === true };
}

/**
 * Every schema problem, one per field (the first for each), in the order the
 * form shows them; a problem at one of the form's inputs worded in the
 * patron's language from what was typed there (with `wording` and `typed`).
 */
export function schemaErrors(error: z.ZodError, wording?: FieldWording, typed?: SubmittedValues): FieldError[] {
  const byField = new Map<string, FieldError>();
  for (const issue of error.issues) {
    const field = issue.path.map(String).join(".") || undefined;
    const key = field ?? "";
    const worded = field && wording && typed ? inputProblem(field, wording, typed) : undefined;
    if (!byField.has(key)) byField.set(key, { field, message: worded ?? issue.message });
  }
  return [...byField.values()];
}

/** A problem at the input `field` in the patron's language; undefined for a part of the request the form has no input for. */
function inputProblem(field: string, { fields, t }: FieldWording, typed: SubmittedValues): string | undefined {
  if (field === "question") return answerProblem(t, "question", typed.question, LIMITS.questionChars);
  const def = fields.find((f) => requestFieldPath(f) === field);
  if (!def) return field === "email" ? t("problem.email") : undefined;
  const value = def.id === "name" ? typed.name : def.id === "email" ? typed.email : typed.fields[def.id];
  const max = def.kind === "email" ? LIMITS.emailChars : def.id === "name" ? LIMITS.nameChars : LIMITS.fieldChars;
  return answerProblem(t, def.kind, value, max, def.label, field);
}

/** What is wrong with one answer: over its limit (only a hand-made post can be), or as the Qwidget words it. */
function answerProblem(t: Translator, kind: string, typed: string | undefined, max: number, label = "", field?: string): string {
  const value = typed?.trim();
  if (value && value.length > max) return t("problem.maxChars", { max });
  return t(answerProblemKey(kind, value || undefined, field), { label });
}

/** The form's fields as the patron was shown them, and the catalog to word problems in (the patron's language). */
export interface FieldWording {
  fields: FormField[];
  t: Translator;
}

/** Problems with the answers to the form's own fields: missing required answers, unknown options, unknown fields. In English unless `wording` says otherwise. */
export function formFieldErrors(request: ChatRequest, formFields: unknown, wording?: FieldWording): FieldError[] {
  const defs = wording?.fields ?? patronFields(formFields);
  const t = wording?.t ?? translator("en");
  const errors: FieldError[] = [];
  for (const def of defs) {
    const value = answerTo(request, def);
    if (def.required && !value) errors.push({ field: requestFieldPath(def), message: t("problem.required", { label: def.label }) });
    else if (def.kind === "select" && value && def.options && !def.options.includes(value)) {
      errors.push({ field: requestFieldPath(def), message: t("problem.chooseOption", { label: def.label }) });
    }
  }
  // Name and e-mail have their own inputs; `fields` holds only the form's own.
  const known = new Set(defs.filter((f) => requestFieldPath(f).startsWith("fields.")).map((f) => f.id));
  for (const id of Object.keys(request.fields)) {
    if (!known.has(id)) errors.push({ field: `fields.${id}`, message: t("form.unknownField", { field: id }) });
  }
  return errors;
}

function answerTo(request: ChatRequest, def: FormField): string | undefined {
  if (def.id === "name") return request.name;
  if (def.id === "email") return request.email;
  return request.fields[def.id];
}
