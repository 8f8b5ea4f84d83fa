/**
 * The end dialog's descriptive-codes picker (src/client/monitor/end-rules.ts):
 * search as you type, toggle, never more than MAX_DESCRIPTIVE_CODES, Enter picks
 * the first match.
 */
import { describe, expect, it } from "vitest";
import { chooseFirstMatch, filterCodes, toggleCode } from "../../src/client/monitor/end-rules";
import { DEFAULT_DESCRIPTIVE_CODES, MAX_DESCRIPTIVE_CODES } from "../../src/shared/codes";

const codes = [...DEFAULT_DESCRIPTIVE_CODES];

describe("codes picker", () => {
  it("filters by every word typed, in label or code, case-insensitively, keeping list order", () => {
    expect(filterCodes(codes, "genea").map((c) => c.code)).toEqual(["genealogy"]);
    expect(filterCodes(codes, "LOAN inter").map((c) => c.code)).toEqual(["interlibrary_loan"]);
    expect(filterCodes(codes, "ready_ref").map((c) => c.code)).toEqual(["ready_reference"]);
    const referred = filterCodes(codes, "referred");
    expect(referred.map((c) => c.code)).toEqual(["referred_subject_specialist", "referred_other_library", "referred_other_department"]);
    expect(filterCodes(codes, "   ")).toHaveLength(codes.length);
    expect(filterCodes(codes, "zzz no such")).toEqual([]);
  });

  it("toggles a code on and off", () => {
    expect(toggleCode([], "genealogy")).toEqual(["genealogy"]);
    expect(toggleCode(["genealogy", "renewals"], "genealogy")).toEqual(["renewals"]);
  });

  it(`never chooses more than ${MAX_DESCRIPTIVE_CODES}, but always lets one be removed`, () => {
    let chosen: string[] = [];
    for (const c of codes.slice(0, MAX_DESCRIPTIVE_CODES + 2)) chosen = toggleCode(chosen, c.code);
    expect(chosen).toEqual(codes.slice(0, MAX_DESCRIPTIVE_CODES).map((c) => c.code));
    expect(toggleCode(chosen, chosen[0]!)).toHaveLength(MAX_DESCRIPTIVE_CODES - 1);
  });

  it("Enter picks the first match not yet chosen, and nothing at the limit or without a match", () => {
    expect(chooseFirstMatch([], codes, "referred")).toEqual(["referred_subject_specialist"]);
    expect(chooseFirstMatch(["referred_subject_specialist"], codes, "referred")).toEqual(["referred_subject_specialist", "referred_other_library"]);
    const full = codes.slice(0, MAX_DESCRIPTIVE_CODES).map((c) => c.code);
    expect(chooseFirstMatch(full, codes, "genealogy")).toBe(full);
    expect(chooseFirstMatch(["genealogy"], codes, "no such code")).toEqual(["genealogy"]);
  });
});
