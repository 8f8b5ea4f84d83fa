/**
 * Role checks. Roles are ordered (src/auth/librarian.ts ROLES): each one may do
 * everything the ones before it may.
 */
import { ROLES, type Role } from "./librarian";
import { forbidden } from "../http/errors";
import type { Librarian } from "./librarian";

/** Whether `role` is `least` or higher. */
export function hasRoleAtLeast(role: Role, least: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(least);
}

/** Administers the library's own settings (descriptive codes, …): library_admin or higher. */
export function isLibraryAdmin(librarian: Librarian): boolean {
  return hasRoleAtLeast(librarian.role, "library_admin");
}

export function requireLibraryAdmin(librarian: Librarian): void {
  if (!isLibraryAdmin(librarian)) throw forbidden("Only a library administrator can do this.");
}
