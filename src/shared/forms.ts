/**
 * Chat request form fields. Every form asks the question; name and e-mail are
 * built in (optional unless the form says otherwise); a form may add its own
 * fields (patron type, library card, affiliation, anything else).
 */
import { z } from "zod";
import { EMAIL_HELP, formLayout, type FormField } from "./form-layout";

export const formFieldSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-_]{0,62}$/),
  label: z.string().min(1).max(120),
  kind: z.enum(["text", "email", "textarea", "select"]),
  required: z.boolean(),
  /** Choices for a select. */
  options: z.array(z.string().min(1).max(120)).max(50).optional(),
  help: z.string().max(300).optional(),
}) satisfies z.ZodType<FormField>;
export type { FormField };

export function parseFormFields(raw: unknown): FormField[] {
  const parsed = z.array(formFieldSchema).safeParse(raw);
  return parsed.success ? parsed.data : [];
}

export { EMAIL_HELP } from "./form-layout";

/**
 * The fields a patron fills in besides the question, in the form's order
 * (src/shared/form-layout.ts): name and e-mail (optional unless the form says
 * otherwise; the e-mail field always explains that the transcript goes there),
 * then the form's own.
 */
export function patronFields(raw: unknown): FormField[] {
  return formLayout(parseFormFields(raw))
    .filter((f) => f.id !== "question")
    .map((f) => (f.id === "name" ? { ...f, kind: "text" } : f.id === "email" ? { ...f, kind: "email", help: f.help ?? EMAIL_HELP } : f));
}

/** The question field as the form words it (label, help). */
export function questionField(raw: unknown): FormField {
  return formLayout(parseFormFields(raw)).find((f) => f.id === "question")!;
}

/** Where a field's answer lives in a chat request: `name`, `email`, or `fields.<id>`. */
export { requestFieldPath } from "./request-fields";
