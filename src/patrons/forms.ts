/**
 * Chat request forms as patrons meet them: looking a form up with its library,
 * whether chat is available for it now, and the library's alternatives.
 */
import { and, asc, eq } from "drizzle-orm";
import { database, type Database } from "../db/client";
import { forms, libraries } from "../db/schema";
import { requestQueue } from "../objects";
import { libraryQueueId } from "../queues/queue-ids";
import { planRoute } from "../queues/plan-route";
import type { Alternatives, EmbedStatus } from "../shared/api";
import { brandColor, textColorOn } from "../shared/color";
import { alternativesIn, languageOptions, localizeForm } from "./form-language";
import type { Language } from "../i18n/languages";

export type FormRow = typeof forms.$inferSelect;
export type LibraryRow = typeof libraries.$inferSelect;
export interface FormWithLibrary {
  form: FormRow;
  library: LibraryRow;
}

/** A form and the library it belongs to, or null when either is missing. */
export async function loadForm(db: Database, formId: string): Promise<FormWithLibrary | null> {
  const found = await db.select({ form: forms, library: libraries }).from(forms).innerJoin(libraries, eq(libraries.id, forms.libraryId)).where(eq(forms.id, formId)).get();
  return found ?? null;
}

/** A library's own chat form (for an embed that names the library): its oldest enabled form feeding the library's queue. */
export async function libraryChatForm(db: Database, libraryId: string): Promise<FormWithLibrary | null> {
  const found = await db
    .select({ form: forms, library: libraries })
    .from(forms)
    .innerJoin(libraries, eq(libraries.id, forms.libraryId))
    .where(and(eq(forms.libraryId, libraryId), eq(forms.queueId, libraryQueueId(libraryId)), eq(forms.enabled, true)))
    .orderBy(asc(forms.createdAt), asc(forms.id))
    .get();
  return found ?? null;
}

/**
 * The queues that would take a request from this form: its route, as
 * ChatSession.start will follow it — the form's queue, then (cooperative
 * routing) the groups of the library in order.
 */
export async function queuesTakingRequestsFrom(db: Database, form: FormRow): Promise<string[]> {
  if (!form.libraryId) return [form.queueId];
  return (await planRoute(db, form.libraryId, form.queueId)).stages;
}

/** Chat is available when some queue that would take the request has a librarian monitoring it. */
export async function chatAvailable(env: Env, form: FormRow): Promise<boolean> {
  const queues = await queuesTakingRequestsFrom(database(env.DB), form);
  const staffing = await Promise.all(queues.map((q) => requestQueue(env, q).staffing()));
  return staffing.some((s) => s.staffed);
}

/**
 * Why a form takes no new chat requests — its library is archived, or the form
 * is turned off — or null when it takes them. Chats already open are not affected.
 */
export function closedReason({ form, library }: FormWithLibrary): string | null {
  if (library.archivedAt !== null) return `${library.name} no longer takes chat requests here.`;
  if (!form.enabled) return `${library.name} has turned this chat form off.`;
  return null;
}

/** The library's own ways to get help, shown when chat is not available. */
export function alternativesOf(library: LibraryRow): Alternatives {
  return {
    message: library.unavailableMessage ?? `No librarian from ${library.name} is available to chat right now.`,
    email: library.contactEmail,
    phone: library.phone,
    hours: library.hoursText,
    links: library.fallbackLinks,
  };
}

/** The form's brand colour (or its library's), and the text colour that reads on it. */
export function brandOf({ form, library }: FormWithLibrary): { brandColor: string; brandText: string } {
  const color = brandColor(form.brandColor ?? library.brandColor);
  return { brandColor: color, brandText: textColorOn(color) };
}

/** Everything the Qwidget needs before it shows its launcher, in the patron's language. */
export async function embedStatus(env: Env, found: FormWithLibrary, language: Language): Promise<EmbedStatus> {
  const { form, library } = found;
  const archived = library.archivedAt !== null;
  const local = localizeForm(found, language);
  const { t } = local;
  return {
    form: { id: form.id, title: local.title, intro: local.intro, fields: local.fields },
    language: { tag: language, dir: local.dir, offered: languageOptions(form) },
    launcher: { label: t("launcher.label"), online: t("launcher.online"), onlineNote: t("launcher.onlineNote"), offline: t("launcher.offline"), offlineNote: t("launcher.offlineNote") },
    library: { name: library.name, ...brandOf(found) },
    // An archived library's widget hides; only a patron whose chat is still open sees it, to finish.
    available: archived ? false : await chatAvailable(env, form),
    ...(archived ? { hidden: true as const } : {}),
    waitLimitSeconds: library.waitLimitSeconds,
    alternatives: alternativesIn(library, language, local.unavailableMessage),
    chatMethod: form.chatMethod === "viewport" ? "viewport" : "chat",
  };
}
