/**
 * Sending a file: the bytes as the body of one XMLHttpRequest (fetch cannot
 * report upload progress), with progress as it goes and a way to cancel. A
 * refusal is worded for the patron from its code and field, in their language;
 * a librarian (English, the staff side) reads the server's own sentence.
 */
import { FILE_LIMITS } from "../../shared/limits";
import { FILE_UI_TEXTS } from "./file-texts";
import { t } from "./i18n";

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

interface FileRefusal {
  code?: string;
  message?: string;
  field?: string;
}

const megabytes = (bytes: number) => Math.round(bytes / (1024 * 1024));

/** A refused upload in the page's language: the file itself (too large, empty, not a type we take), the chat's limits, or the chat's state. */
export function fileRefusalText(status: number, error: FileRefusal | undefined): string {
  if (!error) return status === 413 ? FILE_UI_TEXTS.tooLarge : FILE_UI_TEXTS.failed;
  const { code, field } = error;
  if (code === "too_large") return field === "file" ? FILE_UI_TEXTS.tooLarge : t("files.chatFull", { files: FILE_LIMITS.perChat, patronFiles: FILE_LIMITS.perPatron, megabytes: megabytes(FILE_LIMITS.chatBytes) });
  if (code === "validation_failed" && field === "file") return status === 415 ? t("files.wrongType", { megabytes: megabytes(FILE_LIMITS.fileBytes) }) : t("files.empty");
  // Forbidden, for a patron: the library or the librarian turned files off.
  if (code === "forbidden") return FILE_UI_TEXTS.filesOffNote;
  if (code === "not_active") return t("files.notOpen");
  if (code === "session_ended") return t("chat.ended");
  // A token the chat no longer knows; anything else (the service's own fault, a code this page does not know): "could not be sent".
  return code === "unauthorized" || code === "not_found" ? t("problem.chatLink") : FILE_UI_TEXTS.failed;
}

export function uploadFile(target: UploadTarget, file: File, alt: string, onProgress: (sent: number, total: number) => void): Upload {
  const xhr = new XMLHttpRequest();
  const query = new URLSearchParams({ clientId: crypto.randomUUID(), name: file.name, ...(alt.trim() ? { alt: alt.trim() } : {}), ...target.query });
  const done = new Promise<UploadOutcome>((resolve) => {
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve({ ok: true });
      let error: FileRefusal | undefined;
      try {
        error = (JSON.parse(xhr.responseText) as { error?: FileRefusal }).error;
      } catch {
        // Not our JSON (a proxy's page): the status alone says what it can.
      }
      const forLibrarian = target.query?.as === "librarian" && error?.message;
      resolve({ ok: false, cancelled: false, message: forLibrarian || fileRefusalText(xhr.status, error) });
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
