/**
 * Chat request form fields. Every form asks the question; name and e-mail are
 * built in (optional unless the form says otherwise); a form may add its own
 * fields (patron type, library card, affiliation, anything else).
 */
import { z } from "zod";

export const formFieldSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-_]{0,62}$/),
  label: z.string().min(1).max(120),
  kind: z.enum(["text", "email", "textarea", "select"]),
  required: z.boolean(),
  /** Choices for a select. */
  options: z.array(z.string().min(1).max(120)).max(50).optional(),
  help: z.string().max(300).optional(),
});
export type FormField = z.infer<typeof formFieldSchema>;

/** Ids the built-in inputs use; a form's own fields may set whether name and email are required. */
export const BUILT_IN_FIELDS = ["question", "name", "email"] as const;

export function parseFormFields(raw: unknown): FormField[] {
  const parsed = z.array(formFieldSchema).safeParse(raw);
  return parsed.success ? parsed.data : [];
}
