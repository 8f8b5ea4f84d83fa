/**
 * What the filters offer a viewer in a scope: the scopes and cooperatives they
 * may choose, the member libraries, queues, librarians, descriptive codes
 * (hidden ones too, for old chats), resolution codes and sites.
 */
import { asc, inArray } from "drizzle-orm";
import { database } from "../db/client";
import { descriptiveCodes, librarians, libraries } from "../db/schema";
import { ALL_RESOLUTIONS } from "../shared/codes";
import type { StatScopeKind } from "../shared/stats-api";
import { scopeQueues, viewableGroups, type ResolvedScope } from "./scope";

export interface Choice {
  value: string;
  label: string;
}

export interface StatOptions {
  scopes: Choice[];
  groups: Choice[];
  libraries: Choice[];
  queues: Choice[];
  librarians: Choice[];
  resolutions: Choice[];
  codes: Choice[];
  sites: Choice[];
}

const SCOPE_LABELS: Record<StatScopeKind, string> = { me: "My own chats", library: "My library", group: "A cooperative" };

export async function statOptions(d1: D1Database, scope: ResolvedScope): Promise<StatOptions> {
  const db = database(d1);
  const viewer = scope.viewer;
  const libraryIds = scope.libraries.map((l) => l.id).slice(0, 90);
  const [groups, queues, people, codes, sites] = await Promise.all([
    viewableGroups(db, viewer),
    scopeQueues(d1, scope),
    db.select({ id: librarians.id, name: librarians.displayName, libraryId: librarians.libraryId }).from(librarians).where(inArray(librarians.libraryId, libraryIds)).orderBy(asc(librarians.displayName)).all(),
    db.select({ libraryId: descriptiveCodes.libraryId, code: descriptiveCodes.code, label: descriptiveCodes.label, position: descriptiveCodes.position }).from(descriptiveCodes).where(inArray(descriptiveCodes.libraryId, libraryIds)).orderBy(asc(descriptiveCodes.position)).all(),
    db.select({ allowedOrigins: libraries.allowedOrigins }).from(libraries).where(inArray(libraries.id, libraryIds)).all(),
  ]);
  const scopes: StatScopeKind[] = viewer.role === "librarian" ? ["me"] : groups.length > 0 ? ["me", "library", "group"] : ["me", "library"];
  const codeLabels = new Map<string, string>();
  for (const c of [...codes].sort((a, b) => Number(b.libraryId === viewer.libraryId) - Number(a.libraryId === viewer.libraryId))) if (!codeLabels.has(c.code)) codeLabels.set(c.code, c.label);
  const libraryName = new Map(scope.libraries.map((l) => [l.id, l.name]));
  return {
    scopes: scopes.map((s) => ({ value: s, label: SCOPE_LABELS[s] })),
    groups: groups.map((g) => ({ value: g.id, label: g.name })),
    libraries: scope.kind === "group" ? scope.libraries.map((l) => ({ value: l.id, label: l.name })) : [],
    queues: queues.map((q) => ({ value: q.id, label: q.name })),
    librarians: scope.kind === "me" ? [] : people.map((p) => ({ value: p.id, label: scope.libraries.length > 1 ? `${p.name} (${libraryName.get(p.libraryId) ?? p.libraryId})` : p.name })),
    resolutions: ALL_RESOLUTIONS.map((r) => ({ value: r.code, label: r.label })),
    codes: [...codeLabels].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label)),
    sites: [...new Set(sites.flatMap((s) => s.allowedOrigins))].sort().map((o) => ({ value: o, label: o })),
  };
}
