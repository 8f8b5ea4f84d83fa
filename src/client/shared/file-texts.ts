/**
 * What the chat windows (the patron's page, the Qwidget, the monitor) say
 * about files, from the page's catalog (./i18n): the patron's language in
 * their window, English in the monitor.
 */
import { t } from "./i18n";

export const FILE_UI_TEXTS = {
  get attach() {
    return t("files.attach");
  },
  get attachHint() {
    return t("files.attachHint");
  },
  chosen: (name: string, size: string) => t("files.chosen", { name, size }),
  get altLabel() {
    return t("files.altLabel");
  },
  get altHint() {
    return t("files.altHint");
  },
  get send() {
    return t("files.send");
  },
  get remove() {
    return t("files.remove");
  },
  get cancel() {
    return t("files.cancel");
  },
  uploading: (name: string) => t("files.uploading", { name }),
  get cancelled() {
    return t("files.cancelled");
  },
  sent: (name: string) => t("files.sent", { name }),
  get failed() {
    return t("files.failed");
  },
  get tooLarge() {
    return t("files.tooLarge");
  },
  pdf: (name: string, size: string) => t("files.pdf", { name, size }),
  openImage: (name: string) => t("files.openImage", { name }),
  get loading() {
    return t("files.loading");
  },
  unavailable: (name: string) => t("files.unavailable", { name }),
  get refuseFiles() {
    return t("staff.files.refuse");
  },
  get allowFiles() {
    return t("staff.files.allow");
  },
  get filesOffNote() {
    return t("files.off");
  },
};

/** A size in words: "820 KB", "3.4 MB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
