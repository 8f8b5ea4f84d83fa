/**
 * The one navigation of the staff app: the places a signed-in librarian goes —
 * the monitor, the questions module, statistics, the policy pages, cooperative
 * feedback, administration — with who may use each, and which place a path
 * belongs to (so the current one is marked). The server renders it on every
 * staff page (src/pages/app-header.ts); a new place is added here once.
 */
import type { RoleName } from "./admin-views";

export type StaffPlaceId = "monitor" | "questions" | "stats" | "policies" | "feedback" | "admin";

export interface StaffPlace {
  id: StaffPlaceId;
  href: string;
  label: string;
  /** Paths (prefixes) that belong to the place besides its own. */
  also?: string[];
  /** Only these roles see it (absent: every librarian). */
  roles?: RoleName[];
}

const ADMINS: RoleName[] = ["library_admin", "group_admin", "service_admin"];

export const STAFF_PLACES: readonly StaffPlace[] = [
  { id: "monitor", href: "/monitor", label: "Chat monitor" },
  { id: "questions", href: "/questions", label: "Questions" },
  // Statistics (/stats) are built beside this navigation; every librarian sees their own library's figures.
  { id: "stats", href: "/stats", label: "Statistics" },
  { id: "policies", href: "/policies", label: "Policy pages", also: ["/groups"] },
  { id: "feedback", href: "/feedback", label: "Cooperative feedback" },
  { id: "admin", href: "/admin", label: "Administration", roles: ADMINS },
];

/** Where a librarian's own account is kept (everyone's, whatever their role). */
export const ACCOUNT_PATH = "/admin/account";

/** The places this role may use, in order. */
export function placesFor(role: RoleName): StaffPlace[] {
  return STAFF_PLACES.filter((p) => !p.roles || p.roles.includes(role));
}

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/** The place a path belongs to (its own account belongs to none: it is reached from the name). */
export function placeOf(path: string): StaffPlaceId | null {
  if (under(path, ACCOUNT_PATH)) return null;
  return STAFF_PLACES.find((p) => under(path, p.href) || p.also?.some((a) => under(path, a)))?.id ?? null;
}
