/**
 * Attaching a file to a chat: the file input, shown as a button, opens the
 * file picker (keyboard: Tab to it, Enter); the chosen file shows with its size, an optional
 * description for an image (its alt text), Send and Remove; while it goes,
 * a progress bar with Cancel; a refusal is said in the page's language
 * (./file-upload.ts words it from its code).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { FILE_LIMITS } from "../../shared/limits";
import { FILE_TYPES, isImageType } from "../../shared/file-types";
import { FILE_UI_TEXTS as T, fileSize } from "./file-texts";
import { useFileStyles } from "./file-styles";
import { uploadFile, type Upload, type UploadTarget } from "./file-upload";

export interface FileAttachProps {
  /** Unique on the page: ids of the controls start with it. */
  id: string;
  target: UploadTarget;
  disabled?: boolean;
}

const ACCEPT = Object.keys(FILE_TYPES).join(",");

export function FileAttach({ id, target, disabled }: FileAttachProps) {
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [alt, setAlt] = useState("");
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [note, setNote] = useState<{ text: string; problem: boolean } | null>(null);
  const upload = useRef<Upload | null>(null);
  const element = useRef<HTMLDivElement>(null);
  useFileStyles(element);
  const altInput = useRef<HTMLInputElement>(null);
  const sendButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  // A file chosen: the cursor goes to what comes next (its description, or Send); while it goes, to Cancel.
  useEffect(() => {
    if (file) (altInput.current ?? sendButton.current)?.focus();
  }, [file]);
  const sending = progress !== null;
  useEffect(() => {
    if (sending) cancelButton.current?.focus();
  }, [sending]);

  const reset = () => {
    setFile(null);
    setAlt("");
    setProgress(null);
    upload.current = null;
    // Back to where a next file starts (after the render that shows the file input again).
    setTimeout(() => input.current?.focus());
  };
  const choose = (chosen: File | null) => {
    if (!chosen) return;
    if (chosen.size > FILE_LIMITS.fileBytes) {
      setNote({ text: T.tooLarge, problem: true });
      if (input.current) input.current.value = "";
      return;
    }
    setNote(null);
    setFile(chosen);
  };
  const send = async () => {
    if (!file) return;
    setProgress({ sent: 0, total: file.size });
    upload.current = uploadFile(target, file, alt, (sent, total) => setProgress({ sent, total }));
    const outcome = await upload.current.done;
    setNote(outcome.ok ? { text: T.sent(file.name), problem: false } : { text: outcome.message, problem: !outcome.cancelled });
    reset();
  };

  const image = file ? isImageType(file.type) : false;
  return (
    <div class="file-attach" ref={element}>
      {!file ? (
        <>
          {/* The native file input itself takes focus (Enter or Space opens the picker), laid invisibly over its label, which looks like a button. */}
          <span class="file-pick">
            <input
              ref={input}
              id={`${id}-input`}
              class="file-input"
              type="file"
              accept={ACCEPT}
              disabled={disabled}
              aria-describedby={`${id}-hint`}
              onChange={(e) => choose((e.target as HTMLInputElement).files?.[0] ?? null)}
            />
            <label for={`${id}-input`} class="attach">
              {T.attach}
            </label>
          </span>
          <span id={`${id}-hint`} class="visually-hidden">
            {T.attachHint}
          </span>
        </>
      ) : progress ? (
        <div class="file-progress">
          <label for={`${id}-progress`}>{T.uploading(file.name)}</label>
          <progress id={`${id}-progress`} max={progress.total || 1} value={progress.sent} />
          <button ref={cancelButton} type="button" onClick={() => upload.current?.cancel()}>
            {T.cancel}
          </button>
        </div>
      ) : (
        <div class="file-chosen" role="group" aria-labelledby={`${id}-name`}>
          <p id={`${id}-name`} class="file-name">
            <bdi>{T.chosen(file.name, fileSize(file.size))}</bdi>
          </p>
          {image ? (
            <>
              <label for={`${id}-alt`}>{T.altLabel}</label>
              <input
                id={`${id}-alt`}
                type="text"
                maxLength={300}
                value={alt}
                aria-describedby={`${id}-alt-hint`}
                onInput={(e) => setAlt((e.target as HTMLInputElement).value)}
                onKeyDown={(e) => {
                  if (e.key === "Enter") {
                    e.preventDefault();
                    void send();
                  }
                }}
                ref={altInput}
              />
              <span id={`${id}-alt-hint`} class="file-hint">
                {T.altHint}
              </span>
            </>
          ) : null}
          <div class="file-buttons">
            <button ref={sendButton} type="button" class="primary" disabled={disabled} onClick={() => void send()}>
              {T.send}
            </button>
            <button type="button" onClick={reset}>
              {T.remove}
            </button>
          </div>
        </div>
      )}
      {note ? (
        <p class={note.problem ? "form-error" : "file-note"} role={note.problem ? "alert" : "status"}>
          {note.text}
        </p>
      ) : null}
    </div>
  );
}
