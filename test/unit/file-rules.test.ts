/**
 * Files' own rules in plain Node: the type from the first bytes only, the
 * shown name (one clean line, no folders, the type's extension at the end,
 * bounded), and a Content-Disposition that is always a valid header value.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contentDisposition, FILE_NAME_CHARS, safeFileName } from "../../src/files/file-name";
import { sniffFileType } from "../../src/files/sniff";
import { FILE_TYPES, type FileType } from "../../src/shared/file-types";

const bytes = (...parts: (number[] | string)[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? [...new TextEncoder().encode(p)] : p)));
const SIGNATURES: Record<FileType, Uint8Array> = {
  "image/png": bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  "image/jpeg": bytes([0xff, 0xd8, 0xff]),
  "image/gif": bytes("GIF87a"),
  "image/webp": bytes("RIFF", [1, 2, 3, 4], "WEBP"),
  "application/pdf": bytes("%PDF-"),
};

describe("the type from the bytes", () => {
  it("knows each accepted type by its signature, whatever follows", () => {
    for (const [type, sig] of Object.entries(SIGNATURES)) {
      fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (rest) => sniffFileType(Uint8Array.from([...sig, ...rest])) === type));
    }
  });

  it("refuses pages, SVG, archives, text and nothing at all", () => {
    for (const b of [bytes("<!doctype html><p>hi"), bytes("<svg xmlns='http://www.w3.org/2000/svg'/>"), bytes("PK\x03\x04"), bytes(" %PDF-1.4"), bytes("GIF89"), bytes("RIFF\0\0\0\0WAVE"), new Uint8Array(0)]) {
      expect(sniffFileType(b)).toBeNull();
    }
  });

  it("refuses anything that does not start with a signature", () => {
    const starts = Object.values(SIGNATURES).map((s) => s[0]!);
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }).filter((b) => !starts.includes(b[0]!)), (b) => sniffFileType(b) === null));
  });
});

describe("the shown name", () => {
  const types = Object.keys(FILE_TYPES) as FileType[];

  it("is one clean line without folders, ends in its type's extension, and is bounded", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 400 }), fc.constantFrom(...types), (raw, type) => {
        const name = safeFileName(raw, type);
        const { extension } = FILE_TYPES[type];
        expect(Array.from(name).length).toBeLessThanOrEqual(FILE_NAME_CHARS);
        expect(name).not.toMatch(/[\\/\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069<>:"|?*]/);
        expect(name.toLowerCase().endsWith(`.${extension}`) || (extension === "jpg" && /\.jpe?g$/i.test(name))).toBe(true);
        expect(name.startsWith(".")).toBe(false);
      }),
    );
  });

  it("keeps a fitting name as it is and adds the extension a misleading one lacks", () => {
    expect(safeFileName("Screenshot 2026-12-01.png", "image/png")).toBe("Screenshot 2026-12-01.png");
    expect(safeFileName("photo.JPEG", "image/jpeg")).toBe("photo.JPEG");
    expect(safeFileName("C:\\Users\\ada\\report.html", "application/pdf")).toBe("report.html.pdf");
    expect(safeFileName("invoice\u202Efdp.exe", "application/pdf")).toBe("invoicefdp.exe.pdf");
    expect(safeFileName("...", "image/gif")).toBe("file.gif");
    expect(safeFileName(`${"x".repeat(200)}.pdf`, "application/pdf")).toBe(`${"x".repeat(FILE_NAME_CHARS - 4)}.pdf`);
  });

  it("gives a Content-Disposition that is always ASCII and carries the exact name", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 100 }), fc.constantFrom("inline" as const, "attachment" as const), (raw, kind) => {
        const name = safeFileName(raw, "image/png");
        const header = contentDisposition(kind, name);
        expect(header).toMatch(/^[\x20-\x7e]+$/);
        expect(header.startsWith(`${kind}; filename="`)).toBe(true);
        expect(decodeURIComponent(/filename\*=UTF-8''(.*)$/.exec(header)![1]!)).toBe(name);
      }),
    );
  });
});
