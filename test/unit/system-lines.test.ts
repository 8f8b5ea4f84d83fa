/**
 * System lines are keys with parameters, written in English beside them: each
 * key has its English text, every placeholder is filled, and names are
 * isolated only where directions mix.
 */
import { describe, expect, it } from "vitest";
import { COBROWSE_END_REASONS, SYSTEM_LINES_EN, systemLineText, type SystemLineKey } from "../../src/shared/system-lines";

describe("system lines", () => {
  it("fill every placeholder of every line", () => {
    for (const key of Object.keys(SYSTEM_LINES_EN) as SystemLineKey[]) {
      const params = Object.fromEntries([...SYSTEM_LINES_EN[key].matchAll(/\{(\w+)\}/g)].map(([, p]) => [p!, p === "reason" ? "chatEnded" : `<${p}>`]));
      expect(systemLineText({ key, params }), key).not.toMatch(/\{\w+\}/);
    }
  });

  it("say the words the chat has always shown", () => {
    expect(systemLineText({ key: "joined", params: { name: "Lisa" } })).toBe("Lisa has joined the chat.");
    expect(systemLineText({ key: "couldNotTake", params: { to: "Marge", from: "Lisa" } })).toBe("Marge could not take the chat; Lisa is still with you.");
    expect(systemLineText({ key: "cobrowseEnded", params: { reason: "stoppedBy", reasonName: "Lisa" } })).toBe("Co-browsing ended (stopped by Lisa).");
    expect(Object.keys(COBROWSE_END_REASONS).map((reason) => systemLineText({ key: "cobrowseEnded", params: { reason, reasonName: "X" } }))).toContain("Co-browsing ended (the chat ended).");
  });

  it("isolate a right-to-left name, and leave left-to-right text as it was", () => {
    expect(systemLineText({ key: "joined", params: { name: "أحمد" } })).toBe("\u2068أحمد\u2069 has joined the chat.");
    expect(systemLineText({ key: "joined", params: { name: "Ada" } })).toBe("Ada has joined the chat.");
  });
});
