/** The patron's HTTP calls (to the Refdesk service, which may be another origin inside the Qwidget): JSON in, JSON out. */

export interface PatronFailure {
  message: string;
  /** The input at fault (`question`, `email`, `fields.card`, …). */
  field?: string;
}

export type PatronResult<T> = { ok: true; data: T } | { ok: false; error: PatronFailure };

export async function patronPost<T>(origin: string, path: string, body: unknown, token?: string): Promise<PatronResult<T>> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(new URL(path, origin), { method: "POST", headers, body: JSON.stringify(body) });
  } catch {
    return { ok: false, error: { message: "Could not reach the library's chat service. Check your connection and try again." } };
  }
  const json = (await res.json().catch(() => null)) as (T & { error?: Omit<PatronFailure, "status"> }) | null;
  if (res.ok && json) return { ok: true, data: json };
  return { ok: false, error: { message: json?.error?.message ?? `Something went wrong (${res.status}). Please try again.`, field: json?.error?.field } };
}
