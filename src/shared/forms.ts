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

/** What the e-mail field always tells the patron, unless the form says it in its own words. */
export const EMAIL_HELP = "We send the chat transcript to this address. Leave it empty to stay anonymous.";

/**
 * The fields a patron fills in after the question, in order: name, e-mail, then
 * the form's own. Name and e-mail are optional unless the form says otherwise,
 * and the e-mail field always explains that the transcript goes there.
 */
export function patronFields(raw: unknown): FormField[] {
  const fields = parseFormFields(raw);
  const name = fields.find((f) => f.id === "name") ?? { id: "name", label: "Your name", kind: "text" as const, required: false };
  const email = fields.find((f) => f.id === "email") ?? { id: "email", label: "Your e-mail", kind: "email" as const, required: false };
  return [
    { ...name, kind: "text" },
    { ...email, kind: "email", help: email.help ?? EMAIL_HELP },
    ...fields.filter((f) => f.id !== "name" && f.id !== "email"),
  ];
}

/** Where a field's answer lives in a chat request: `name`, `email`, or `fields.<id>`. */
export { requestFieldPath } from "./request-fields";
