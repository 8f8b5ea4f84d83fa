/** The patron's HTTP calls (to the Refdesk service, which may be another origin inside the Qwidget): JSON in, JSON out. */
import { refusalKey } from "../../i18n/refusal-words";
import { t } from "../shared/i18n";

export interface PatronFailure {
  /** What to show the patron, in the page's language: worded from the refusal's code and field, never the server's sentence. */
  message: string;
  /** The refusal's stable code (absent when the service could not be reached). */
  code?: string;
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
    return { ok: false, error: { message: t("chat.unreachable") } };
  }
  const json = (await res.json().catch(() => null)) as (T & { error?: { code?: string; field?: string } }) | null;
  if (res.ok && json) return { ok: true, data: json };
  const { code, field } = json?.error ?? {};
  return { ok: false, error: { message: t(refusalKey({ code, field })), code, field } };
}
