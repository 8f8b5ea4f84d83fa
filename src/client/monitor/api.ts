/**
 * The monitor's (and the questions module's) HTTP calls: JSON in, JSON out,
 * errors as `{ message, field }`. What comes back is cleaned for display
 * (src/shared/display-text.ts): names and text stored before they were cleaned
 * on the way in show without bidirectional controls or invisible characters.
 */
import { cleanDisplayData } from "../../shared/display-text";

export interface ApiFailure {
  status: number;
  code: string;
  message: string;
  field?: string;
  takenBy?: string;
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiFailure };

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? "GET",
      credentials: "same-origin",
      headers: init.body !== undefined ? { "Content-Type": "application/json" } : {},
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
  } catch {
    return { ok: false, error: { status: 0, code: "network", message: "Could not reach Refdesk. Check your connection." } };
  }
  const json = (await res.json().catch(() => null)) as (T & { error?: Omit<ApiFailure, "status"> }) | null;
  if (res.ok && json) return { ok: true, data: cleanDisplayData(json) };
  if (res.status === 401) location.assign(`/login?next=${encodeURIComponent(location.pathname)}`);
  return { ok: false, error: { status: res.status, code: json?.error?.code ?? "unknown", message: json?.error?.message ?? `Request failed (${res.status}).`, field: json?.error?.field, takenBy: json?.error?.takenBy } };
}
