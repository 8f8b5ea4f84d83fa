/**
 * The end-of-session rules the dialog checks before it sends anything
 * (src/client/monitor/end-rules.ts) — the same rules the server applies.
 */
import { describe, expect, it } from "vitest";
import { endProblems } from "../../src/client/monitor/end-rules";
import { DEFAULT_DESCRIPTIVE_CODES, MAX_DESCRIPTIVE_CODES, RESOLUTION_CODE_VALUES, type ResolutionCode } from "../../src/shared/codes";

const active = new Set(DEFAULT_DESCRIPTIVE_CODES.map((c) => c.code));
const some = (n: number) => DEFAULT_DESCRIPTIVE_CODES.slice(0, n).map((c) => c.code);

describe("end-of-session rules", () => {
  it.each(RESOLUTION_CODE_VALUES)("accepts resolution %s with up to the maximum of active codes", (resolution) => {
    expect(endProblems({ resolution, descriptiveCodes: [] }, active)).toEqual([]);
    expect(endProblems({ resolution, descriptiveCodes: some(MAX_DESCRIPTIVE_CODES) }, active)).toEqual([]);
  });

  it("requires a resolution code, and a real one", () => {
    expect(endProblems({ resolution: null, descriptiveCodes: [] }, active)).toEqual([{ field: "resolution", message: "Choose a resolution code." }]);
    expect(endProblems({ resolution: "made_up" as ResolutionCode, descriptiveCodes: [] }, active).map((p) => p.field)).toEqual(["resolution"]);
  });

  it(`refuses more than ${MAX_DESCRIPTIVE_CODES} descriptive codes`, () => {
    const problems = endProblems({ resolution: "answered", descriptiveCodes: some(MAX_DESCRIPTIVE_CODES + 1) }, active);
    expect(problems).toEqual([{ field: "descriptiveCodes", message: `Choose at most ${MAX_DESCRIPTIVE_CODES} descriptive codes.` }]);
  });

  it("refuses a code that is not among the library's active codes", () => {
    const problems = endProblems({ resolution: "answered", descriptiveCodes: ["genealogy", "hidden_code"] }, active);
    expect(problems).toEqual([{ field: "descriptiveCodes", message: '"hidden_code" is not one of this library\'s codes.' }]);
  });

  it("reports every problem at once", () => {
    const problems = endProblems({ resolution: null, descriptiveCodes: [...some(MAX_DESCRIPTIVE_CODES), "nope"] }, active);
    expect(problems.map((p) => p.field)).toEqual(["resolution", "descriptiveCodes", "descriptiveCodes"]);
  });
});
