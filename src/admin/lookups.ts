/**
 * Loading what an admin route acts on, after it has been authorised for the
 * scope: a library, an account within it, a form. Each answers 404 when the
 * thing is not there (or not in that library), never someone else's row.
 */
import { and, eq } from "drizzle-orm";
import type { Context } from "hono";
import type { Librarian, Role } from "../auth/librarian";
import type { Database } from "../db/client";
import { forms, groups, librarians, libraries } from "../db/schema";
import type { AppEnv } from "../http/app-env";
import { notFound } from "../http/errors";

export async function loadLibrary(db: Database, libraryId: string) {
  const row = await db.select().from(libraries).where(eq(libraries.id, libraryId)).get();
  if (!row) throw notFound("Library");
  return row;
}

export async function loadGroup(db: Database, groupId: string) {
  const row = await db.select().from(groups).where(eq(groups.id, groupId)).get();
  if (!row) throw notFound("Group");
  return row;
}

/** An account of `libraryId`. */
export async function loadAccount(db: Database, libraryId: string, librarianId: string) {
  const row = await db
    .select()
    .from(librarians)
    .where(and(eq(librarians.id, librarianId), eq(librarians.libraryId, libraryId)))
    .get();
  if (!row) throw notFound("Account");
  return { ...row, role: row.role as Role };
}

export async function loadForm(db: Database, formId: string) {
  const row = await db.select().from(forms).where(eq(forms.id, formId)).get();
  if (!row) throw notFound("Form");
  return row;
}

/** The origin patrons and librarians reach this service at: the configured one, else the request's own. */
export function publicOrigin(c: Context<AppEnv>): string {
  return c.env.PUBLIC_ORIGIN || new URL(c.req.url).origin;
}

/** What an account looks like to an administrator: never its password hash. */
export function accountView(l: typeof librarians.$inferSelect) {
  return {
    id: l.id,
    libraryId: l.libraryId,
    email: l.email,
    displayName: l.displayName,
    role: l.role as Role,
    status: l.disabledAt ? ("disabled" as const) : l.passwordHash ? ("active" as const) : ("invited" as const),
    disabledAt: l.disabledAt,
    createdAt: l.createdAt,
  };
}

/** An account as the librarian it is (what revoking its access and handing back its chats work on). */
export function accountAsLibrarian(l: Pick<typeof librarians.$inferSelect, "id" | "libraryId" | "displayName" | "email" | "role">, libraryName: string): Librarian {
  return { id: l.id, libraryId: l.libraryId, libraryName, displayName: l.displayName, email: l.email, role: l.role as Role };
}
