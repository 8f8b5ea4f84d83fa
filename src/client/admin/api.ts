/** The admin pages' HTTP calls: JSON (shared with the monitor) and the logo upload. */
import { api, type ApiResult } from "../monitor/api";

export { api, type ApiResult };
export type { ApiFailure } from "../monitor/api";

/** Sends a file as the raw request body (the server recognises the image by its bytes). */
export async function upload<T>(path: string, file: Blob): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(path, { method: "POST", credentials: "same-origin", headers: { "Content-Type": file.type || "application/octet-stream" }, body: file });
  } catch {
    return { ok: false, error: { status: 0, code: "network", message: "Could not reach Refdesk. Check your connection." } };
  }
  const json = (await res.json().catch(() => null)) as (T & { error?: { code: string; message: string; field?: string } }) | null;
  if (res.ok && json) return { ok: true, data: json };
  return { ok: false, error: { status: res.status, code: json?.error?.code ?? "unknown", message: json?.error?.message ?? `Upload failed (${res.status}).`, field: json?.error?.field } };
}
