/**
 * Who a signed-in librarian is, as every route and object sees it.
 */
export const ROLES = ["librarian", "library_admin", "group_admin", "service_admin"] as const;
export type Role = (typeof ROLES)[number];

export interface Librarian {
  id: string;
  libraryId: string;
  libraryName: string;
  displayName: string;
  email: string;
  role: Role;
  /** The sign-in session this request carries (its stored digest), when it came with the cookie. */
  signInKey?: string;
}
