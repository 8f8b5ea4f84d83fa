/**
 * A library's own list of descriptive codes: it starts as a copy of the
 * defaults (src/shared/codes.ts) and its administrators rename, hide, reorder
 * and add codes. Codes are never deleted: sessions keep the codes they were
 * given, and a hidden code shows on them as inactive. Chats and questions may
 * only be given the list's active codes.
 */
import { and, asc, eq } from "drizzle-orm";
import { database } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import { descriptiveCodes } from "../db/schema";
import { ApiError, badRequest, notFound } from "../http/errors";
import { LIMITS } from "../shared/limits";
import type { CodeView } from "../shared/questions-api";

export interface AdminCode extends CodeView {
  position: number;
}

export async function libraryCodes(d1: D1Database, libraryId: string): Promise<AdminCode[]> {
  return database(d1)
    .select({ code: descriptiveCodes.code, label: descriptiveCodes.label, active: descriptiveCodes.active, position: descriptiveCodes.position })
    .from(descriptiveCodes)
    .where(eq(descriptiveCodes.libraryId, libraryId))
    .orderBy(asc(descriptiveCodes.position), asc(descriptiveCodes.id))
    .all();
}

/** A stable identifier made from a label: "Local history (county)" → "local_history_county". */
export function codeFromLabel(label: string): string {
  const slug = label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 56);
  return slug || "code";
}

const sameLabel = (a: string, b: string) => a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();

function assertLabelFree(codes: AdminCode[], label: string, except?: string): void {
  const clash = codes.find((c) => c.code !== except && sameLabel(c.label, label));
  if (clash) throw new ApiError(409, "duplicate", `The list already has a code labelled “${clash.label}”.`, "label");
}

/** Adds a code at the end of the library's list. */
export async function addCode(d1: D1Database, libraryId: string, label: string, code: string | undefined, now = Date.now()): Promise<AdminCode> {
  const codes = await libraryCodes(d1, libraryId);
  if (codes.length >= LIMITS.descriptiveCodesMax) throw badRequest(`A library can have at most ${LIMITS.descriptiveCodesMax} descriptive codes; hide or rename one instead.`);
  assertLabelFree(codes, label);
  const taken = new Set(codes.map((c) => c.code));
  let id = code;
  if (id) {
    if (taken.has(id)) throw new ApiError(409, "duplicate", `The list already has the code “${id}”.`, "code");
  } else {
    const base = codeFromLabel(label);
    id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  }
  const position = codes.reduce((max, c) => Math.max(max, c.position), -1) + 1;
  try {
    await database(d1).insert(descriptiveCodes).values({ libraryId, code: id, label, active: true, position, createdAt: now });
  } catch (error) {
    // Two administrators adding the same code at once: the unique index decides.
    if (isUniqueViolation(error)) throw new ApiError(409, "duplicate", `The list already has the code “${id}”.`, "code");
    throw error;
  }
  return { code: id, label, active: true, position };
}

/** Renames and/or hides or shows a code. */
export async function updateCode(d1: D1Database, libraryId: string, code: string, change: { label?: string; active?: boolean }): Promise<void> {
  const codes = await libraryCodes(d1, libraryId);
  const existing = codes.find((c) => c.code === code);
  if (!existing) throw notFound("Descriptive code");
  if (change.label !== undefined) assertLabelFree(codes, change.label, code);
  await database(d1)
    .update(descriptiveCodes)
    .set({ label: change.label ?? existing.label, active: change.active ?? existing.active })
    .where(and(eq(descriptiveCodes.libraryId, libraryId), eq(descriptiveCodes.code, code)));
}

/** Puts the library's codes in the given order; the list must name every code once. */
export async function reorderCodes(d1: D1Database, libraryId: string, order: string[]): Promise<void> {
  const codes = await libraryCodes(d1, libraryId);
  const known = new Set(codes.map((c) => c.code));
  const unknown = order.findIndex((c) => !known.has(c));
  if (unknown >= 0) throw badRequest(`“${order[unknown]}” is not one of this library's codes.`, `codes.${unknown}`);
  const listed = new Set(order);
  const missing = codes.find((c) => !listed.has(c.code));
  if (missing) throw badRequest(`The new order leaves out “${missing.label}”: list every code once.`, "codes");
  const db = database(d1);
  // The schema asks for at least one code, so the batch is never empty.
  const [first, ...rest] = order.map((c, position) =>
    db
      .update(descriptiveCodes)
      .set({ position })
      .where(and(eq(descriptiveCodes.libraryId, libraryId), eq(descriptiveCodes.code, c))),
  );
  if (first) await db.batch([first, ...rest]);
}
