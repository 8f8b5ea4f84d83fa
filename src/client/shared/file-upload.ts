/**
 * Sending a file: the bytes as the body of one XMLHttpRequest (fetch cannot
 * report upload progress), with progress as it goes and a way to cancel.
 */
import { FILE_UI_TEXTS } from "./file-texts";

export interface UploadTarget {
  /** The upload route's address, without its query. */
  url: string;
  /** Added to the query (e.g. `as: "librarian"`). */
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

export type UploadOutcome = { ok: true } | { ok: false; cancelled: boolean; message: string };

export interface Upload {
  done: Promise<UploadOutcome>;
  cancel: () => void;
}

export function uploadFile(target: UploadTarget, file: File, alt: string, onProgress: (sent: number, total: number) => void): Upload {
  const xhr = new XMLHttpRequest();
  const query = new URLSearchParams({ clientId: crypto.randomUUID(), name: file.name, ...(alt.trim() ? { alt: alt.trim() } : {}), ...target.query });
  const done = new Promise<UploadOutcome>((resolve) => {
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve({ ok: true });
      let message: string = FILE_UI_TEXTS.failed;
      try {
        message = (JSON.parse(xhr.responseText) as { error?: { message?: string } }).error?.message ?? message;
      } catch {
        if (xhr.status === 413) message = FILE_UI_TEXTS.tooLarge;
      }
      resolve({ ok: false, cancelled: false, message });
    };
    xhr.onerror = () => resolve({ ok: false, cancelled: false, message: FILE_UI_TEXTS.failed });
    xhr.onabort = () => resolve({ ok: false, cancelled: true, message: FILE_UI_TEXTS.cancelled });
  });
  xhr.open("POST", `${target.url}?${query}`);
  // The server reads the type from the bytes; this type only keeps the request out of the form-post checks.
  xhr.setRequestHeader("Content-Type", "application/octet-stream");
  for (const [name, value] of Object.entries(target.headers ?? {})) xhr.setRequestHeader(name, value);
  xhr.send(file);
  return { done, cancel: () => xhr.abort() };
}
