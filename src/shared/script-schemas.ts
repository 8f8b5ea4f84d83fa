/**
 * Request bodies and queries of the scripts API (src/routes/canned-messages.ts),
 * checked with zod on the server; what a script is: ./scripts.ts.
 */
import { z } from "zod";
import { lineText, slugSchema, text } from "./api";
import { LIMITS } from "./limits";
import { SCRIPT_LIMITS, SCRIPT_PLACEHOLDERS, SCRIPT_SCOPES, unknownPlaceholder } from "./scripts";

const bodySchema = text(LIMITS.messageChars)
  .min(1, "The script cannot be empty")
  .superRefine((body, ctx) => {
    const unknown = unknownPlaceholder(body);
    if (unknown) ctx.addIssue({ code: "custom", message: `${unknown} is not a placeholder scripts know (use ${SCRIPT_PLACEHOLDERS.map((p) => `{{${p}}}`).join(", ")})` });
  });

const categorySchema = lineText(SCRIPT_LIMITS.categoryChars).optional();

/** A new script. Without `scope` it is the library's (as the API always did). */
export const scriptInputSchema = z
  .object({
    scope: z.enum(SCRIPT_SCOPES, { message: "Choose library, group or personal" }).default("library"),
    /** The cooperative of a group script. */
    groupId: slugSchema.optional(),
    /** The library of a library script (default: the signed-in librarian's own; a service administrator may name another). */
    libraryId: slugSchema.optional(),
    category: categorySchema,
    title: lineText(SCRIPT_LIMITS.titleChars).min(1, "Give the script a title"),
    body: bodySchema,
    /** Display order (0 first); new scripts go last when it is left out. */
    position: z.number().int().min(0).max(10_000).optional(),
  })
  .superRefine((s, ctx) => {
    if (s.scope === "group" && !s.groupId) ctx.addIssue({ code: "custom", path: ["groupId"], message: "Choose the cooperative the script is for" });
    if (s.scope !== "group" && s.groupId) ctx.addIssue({ code: "custom", path: ["groupId"], message: "Only a cooperative's script names a group" });
    if (s.scope !== "library" && s.libraryId) ctx.addIssue({ code: "custom", path: ["libraryId"], message: "Only a library's script names a library" });
  });

/** A script's own fields, each checked as when it is typed in. */
export const scriptFieldsSchema = z.object({
  category: categorySchema,
  title: lineText(SCRIPT_LIMITS.titleChars).min(1, "Give the script a title"),
  body: bodySchema,
  position: z.number().int().min(0).max(10_000),
});

/** Changes to a script: any of its own fields, at least one (its level never changes). */
export const scriptPatchSchema = scriptFieldsSchema
  .partial()
  .refine((p) => p.title !== undefined || p.body !== undefined || p.position !== undefined || p.category !== undefined, "Change at least one of category, title, body or position");

/** Putting a script into a chat: the chat its placeholders are filled from. */
export const scriptUseSchema = z.object({ sessionId: z.string().regex(/^[0-9a-f-]{36}$/, "Not a chat id") });

/** Which list (GET, export, import): a level, and for a group's the group. */
export const scriptListQuerySchema = z
  .object({
    scope: z.enum(SCRIPT_SCOPES, { message: "Choose library, group or personal" }).optional(),
    groupId: slugSchema.optional(),
    libraryId: slugSchema.optional(),
  })
  .refine((q) => q.scope !== "group" || q.groupId, { message: "Give the group", path: ["groupId"] });

/** Importing scripts from CSV (columns: SCRIPT_CSV_COLUMNS, with a header row), into one list. */
export const scriptImportSchema = z
  .object({
    scope: z.enum(SCRIPT_SCOPES, { message: "Choose library, group or personal" }),
    groupId: slugSchema.optional(),
    libraryId: slugSchema.optional(),
    csv: z.string().min(1, "Choose a CSV file with scripts").max(SCRIPT_LIMITS.csvBytes, "The file is too large"),
  })
  .refine((q) => q.scope !== "group" || q.groupId, { message: "Give the group", path: ["groupId"] });
