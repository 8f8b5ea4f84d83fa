// Imported directly by scripts/setup.mjs (Node strips the types): keep it free of runtime imports.
/**
 * The installation's first service administrator, as plain SQL: `npm run
 * setup` runs these statements through `wrangler d1 execute` (locally or
 * against the deployed D1), and the Worker tests run the very same ones
 * through the D1 binding.
 *
 * A service administrator, like every account, belongs to a library; a new
 * installation has none, so the statements also create the service's own
 * home library (SERVICE_LIBRARY), archived from the start: it takes no chats.
 *
 * Every statement is guarded by "no service administrator exists yet", so
 * running them twice, or two setups racing, leaves exactly one — the first.
 * The one-use invitation link is opened only for the account these very
 * statements created.
 */

export interface SqlStatement {
  sql: string;
  params: (string | number | null)[];
}

export interface FirstServiceAdmin {
  librarianId: string;
  email: string;
  displayName: string;
  /** SHA-256 hex of the invitation token (src/auth/tokens.ts digestToken); the token itself is printed, never stored. */
  tokenHash: string;
  /** How long the invitation link works (src/shared/admin-limits.ts ACCOUNT_LINK_TTL_MS.invite). */
  inviteTtlMs: number;
  /** The default descriptive codes the home library starts with (src/shared/codes.ts). */
  codes: readonly { code: string; label: string }[];
  now: number;
}

/** The home library of service administrators: archived, so it never takes chats. */
export const SERVICE_LIBRARY = { id: "refdesk-service", name: "Refdesk service administration" } as const;

/** Who set the installation up, as the audit log names the actor. */
export const SETUP_ACTOR = "npm run setup";

/** The existing service administrators, oldest first: id, e-mail, and whether they have set a password. */
export const EXISTING_SERVICE_ADMINS_SQL =
  "SELECT id, email, CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END AS active FROM librarians WHERE role = 'service_admin' ORDER BY created_at, id";

const NO_SERVICE_ADMIN = "NOT EXISTS (SELECT 1 FROM librarians WHERE role = 'service_admin')";

/** Statements that create the first service administrator and their invitation; they change nothing once one exists. */
export function firstServiceAdminStatements(a: FirstServiceAdmin): SqlStatement[] {
  const lib = SERVICE_LIBRARY;
  // Nothing is created when a service administrator exists, or the address already has an account.
  const free = `${NO_SERVICE_ADMIN} AND NOT EXISTS (SELECT 1 FROM librarians WHERE email = ?)`;
  return [
    {
      sql: `INSERT INTO libraries (id, name, time_zone, archived_at, created_at) SELECT ?, ?, 'UTC', ?, ? WHERE ${free} AND NOT EXISTS (SELECT 1 FROM libraries WHERE id = ?)`,
      params: [lib.id, lib.name, a.now, a.now, a.email, lib.id],
    },
    ...a.codes.map((c, position) => ({
      sql: `INSERT OR IGNORE INTO descriptive_codes (library_id, code, label, active, position, created_at) SELECT ?, ?, ?, 1, ?, ? WHERE ${free}`,
      params: [lib.id, c.code, c.label, position, a.now, a.email],
    })),
    {
      sql: `INSERT INTO librarians (id, library_id, email, display_name, role, created_at) SELECT ?, ?, ?, ?, 'service_admin', ? WHERE ${free}`,
      params: [a.librarianId, lib.id, a.email, a.displayName, a.now, a.email],
    },
    ...invitationStatements(a.librarianId, a.tokenHash, a.now, a.inviteTtlMs),
    {
      sql: `INSERT INTO audit_log (library_id, actor_id, actor_name, action, target_type, target_id, before, after, created_at) SELECT ?, NULL, ?, 'librarian.invited', 'librarian', ?, NULL, ?, ? WHERE EXISTS (SELECT 1 FROM account_tokens WHERE token_hash = ?)`,
      params: [lib.id, SETUP_ACTOR, a.librarianId, JSON.stringify({ email: a.email, displayName: a.displayName, role: "service_admin" }), a.now, a.tokenHash],
    },
  ];
}

/**
 * A fresh one-use link for a service administrator who has not set a password
 * yet (the first link was lost or expired): older open links of the account
 * close. Changes nothing for an account that has a password.
 */
export function invitationStatements(librarianId: string, tokenHash: string, now: number, ttlMs: number): SqlStatement[] {
  const pending = "EXISTS (SELECT 1 FROM librarians WHERE id = ? AND role = 'service_admin' AND password_hash IS NULL AND disabled_at IS NULL)";
  return [
    { sql: `UPDATE account_tokens SET used_at = ? WHERE librarian_id = ? AND used_at IS NULL AND ${pending}`, params: [now, librarianId, librarianId] },
    {
      sql: `INSERT INTO account_tokens (token_hash, librarian_id, purpose, created_by, created_at, expires_at) SELECT ?, ?, 'invite', NULL, ?, ? WHERE ${pending}`,
      params: [tokenHash, librarianId, now, now + ttlMs, librarianId],
    },
  ];
}

/** A statement with its parameters written in as SQL literals, for `wrangler d1 execute`, which takes no bindings. */
export function inlineSql(s: SqlStatement): string {
  let i = 0;
  const out = s.sql.replace(/\?/g, () => literal(s.params[i++] ?? null));
  if (i !== s.params.length) throw new Error(`statement has ${i} placeholders and ${s.params.length} parameters`);
  return `${out};`;
}

function literal(v: string | number | null): string {
  if (v === null) return "NULL";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error("not a finite number");
    return String(v);
  }
  return `'${v.replaceAll("'", "''")}'`;
}
