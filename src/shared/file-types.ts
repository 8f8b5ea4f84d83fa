/**
 * The kinds of file a chat accepts, each recognised by its first bytes (never
 * by its name or a declared type): raster images shown inline, and PDFs
 * offered as a download. SVG and HTML are never among them: they can carry script.
 */
export const FILE_TYPES = {
  "image/png": { extension: "png", label: "PNG", inline: true },
  "image/jpeg": { extension: "jpg", label: "JPEG", inline: true },
  "image/webp": { extension: "webp", label: "WebP", inline: true },
  "image/gif": { extension: "gif", label: "GIF", inline: true },
  "application/pdf": { extension: "pdf", label: "PDF", inline: false },
} as const;

export type FileType = keyof typeof FILE_TYPES;

/** Whether a file of this type shows as an image (the others are links). */
export const isImageType = (type: string): boolean => type in FILE_TYPES && FILE_TYPES[type as FileType].inline;
