/**
 * Accounts only the browser tests use, seeded beside the demo data by
 * global-setup.ts. A test that locks an account out uses its own, so no other
 * test file (they share one server) finds a demo librarian locked.
 */
export const LOCKOUT_LIBRARIAN = {
  id: "lockout-test",
  libraryId: "capital-u",
  email: "lockout-test@capital-u.example",
  displayName: "Lockout Test",
  role: "librarian",
};

export const TEST_LIBRARIANS = [LOCKOUT_LIBRARIAN];
