/**
 * How a chat request form's fields are laid out, for the hosted form, the
 * admin preview and the Qwidget's public data alike. A form saved by the admin
 * builder lists every field it shows, the question included; older forms list
 * only their extra fields, and get the built-in question, name and e-mail first.
 * No runtime imports: the admin client uses it for its live preview.
 */
/** One field of a chat request form (validated by formFieldSchema in ./forms.ts). */
export interface FormField {
  id: string;
  label: string;
  kind: "text" | "email" | "textarea" | "select";
  required: boolean;
  /** Choices for a select: each is also the answer sent and stored. */
  options?: string[];
  /** A select's choices as the patron reads them, one per option, when the form gives them in the patron's language (src/shared/form-translations.ts). */
  optionLabels?: string[];
  help?: string;
}

/** What the e-mail field always tells the patron, unless the form says it in its own words. */
export const EMAIL_HELP = "We send the chat transcript to this address. Leave it empty to stay anonymous.";

export const DEFAULT_QUESTION_FIELD: FormField = { id: "question", label: "Your question", kind: "textarea", required: true };
export const DEFAULT_NAME_FIELD: FormField = { id: "name", label: "Your name", kind: "text", required: false };
export const DEFAULT_EMAIL_FIELD: FormField = {
  id: "email",
  label: "Your e-mail",
  kind: "email",
  required: false,
  help: EMAIL_HELP,
};

/** Every field the form shows, in order, the question always among them. */
export function formLayout(fields: FormField[]): FormField[] {
  if (fields.some((f) => f.id === "question")) return fields.map((f) => (f.id === "question" ? { ...f, kind: "textarea", required: true } : f));
  const name = fields.find((f) => f.id === "name") ?? DEFAULT_NAME_FIELD;
  const email = fields.find((f) => f.id === "email") ?? DEFAULT_EMAIL_FIELD;
  return [DEFAULT_QUESTION_FIELD, name, email, ...fields.filter((f) => f.id !== "name" && f.id !== "email")];
}
