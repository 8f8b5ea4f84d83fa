/**
 * What the chat windows (the patron's page, the Qwidget, the monitor) say
 * about files, in one place so a catalog can take them over.
 */
export const FILE_UI_TEXTS = {
  attach: "Attach a file",
  attachHint: "An image (PNG, JPEG, WebP, GIF) or a PDF, at most 10 MB.",
  chosen: (name: string, size: string) => `${name} (${size})`,
  altLabel: "Describe the image (optional)",
  altHint: "Read out to people who cannot see it. Left empty, its file name is used.",
  send: "Send file",
  remove: "Remove file",
  cancel: "Cancel upload",
  uploading: (name: string) => `Sending ${name}`,
  cancelled: "The file was not sent.",
  sent: (name: string) => `Sent ${name}.`,
  failed: "The file could not be sent. Check your connection and try again.",
  tooLarge: "This file is too large: a file may be at most 10 MB.",
  pdf: (name: string, size: string) => `${name} (PDF, ${size})`,
  openImage: (name: string) => `Open ${name} full size`,
  loading: "Loading file…",
  unavailable: (name: string) => `${name} (no longer available)`,
  refuseFiles: "Refuse files in this chat",
  allowFiles: "Allow files again",
  filesOffNote: "Files are turned off for this chat.",
} as const;

/** A size in words: "820 KB", "3.4 MB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
