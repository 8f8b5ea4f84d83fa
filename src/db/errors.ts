/**
 * Recognising D1's constraint failures. Drizzle wraps a failed query's error
 * (its message then names the query, not the constraint) and keeps D1's as
 * `cause`, so these look through the chain.
 */

/** Whether the error, or one it wraps, is a UNIQUE constraint failure (optionally on `target`, e.g. "librarians.email"). */
export function isUniqueViolation(error: unknown, target = ""): boolean {
  for (let e: unknown = error; e !== undefined && e !== null; e = e instanceof Error ? e.cause : undefined) {
    if (String(e).includes(`UNIQUE constraint failed: ${target}`)) return true;
  }
  return false;
}
