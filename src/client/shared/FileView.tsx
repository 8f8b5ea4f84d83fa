/**
 * A file in the transcript: an image as a thumbnail that opens full size
 * (its alt text the sender's description, or its name), a PDF as a link.
 * Where the file is fetched from is the caller's: librarians open the file's
 * own address with their sign-in; the patron asks for a signed link first.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { isImageType } from "../../shared/file-types";
import type { SharedFile } from "../../shared/protocol";
import { FILE_UI_TEXTS as T, fileSize } from "./file-texts";
import { useFileStyles } from "./file-styles";

/** Where a file of the chat can be fetched; null when it is no longer available. */
export type FileLink = (fileId: string) => string | Promise<string | null>;

export function FileView({ file, link }: { file: SharedFile; link: FileLink }) {
  const element = useRef<HTMLDivElement>(null);
  useFileStyles(element);
  return (
    <div class="file-view" ref={element}>
      <FileShown file={file} link={link} />
    </div>
  );
}

function FileShown({ file, link }: { file: SharedFile; link: FileLink }) {
  const [url, setUrl] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    let shown = true;
    void Promise.resolve(link(file.id)).then(
      (u) => shown && setUrl(u),
      () => shown && setUrl(null),
    );
    return () => void (shown = false);
  }, [file.id]);
  if (url === undefined) return <span class="file-loading">{T.loading}</span>;
  if (url === null) return <span class="file-gone"><bdi>{T.unavailable(file.name)}</bdi></span>;
  if (isImageType(file.type)) {
    return (
      <figure class="file-image">
        <a href={url} target="_blank" rel="noopener noreferrer">
          <img src={url} alt={file.alt || file.name} class="file-thumb" loading="lazy" />
        </a>
        <figcaption>
          <bdi>{file.name}</bdi> ({fileSize(file.bytes)})
        </figcaption>
      </figure>
    );
  }
  return (
    <a class="file-link" href={url} target="_blank" rel="noopener noreferrer">
      <bdi>{T.pdf(file.name, fileSize(file.bytes))}</bdi>
    </a>
  );
}
