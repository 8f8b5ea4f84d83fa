/**
 * The monitor's keyboard table (every action has a shortcut, none collide, "?"
 * does not fire while typing), the tabs' arrow keys, and "send a link".
 */
import { describe, expect, it } from "vitest";
import { checkLink, linkMessage } from "../../src/client/monitor/link-message";
import { tabIndexAfterKey } from "../../src/client/monitor/SessionTabs";
import { matchShortcut, SHORTCUTS, type KeyLike } from "../../src/client/monitor/shortcuts";
import { linkify } from "../../src/client/shared/linkify";
import { LIMITS } from "../../src/shared/limits";

const key = (k: Partial<KeyLike>): KeyLike => ({ key: "", code: "", altKey: false, shiftKey: false, ctrlKey: false, metaKey: false, ...k });

describe("keyboard shortcuts", () => {
  it("has one distinct key for every action, each described", () => {
    const codes = SHORTCUTS.flatMap((s) => (s.code ? [s.code] : []));
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(SHORTCUTS.map((s) => s.id)).size).toBe(SHORTCUTS.length);
    for (const s of SHORTCUTS) expect(s.description.length).toBeGreaterThan(10);
  });

  it("matches Alt+Shift+letter by physical key (Option+Shift on a Mac types other characters)", () => {
    expect(matchShortcut(key({ key: "A", code: "KeyA", altKey: true, shiftKey: true }), true)).toEqual({ id: "accept" });
    expect(matchShortcut(key({ key: "Å", code: "KeyA", altKey: true, shiftKey: true }), false)).toEqual({ id: "accept" });
    expect(matchShortcut(key({ key: "E", code: "KeyE", altKey: true, shiftKey: true }), true)).toEqual({ id: "end" });
    expect(matchShortcut(key({ key: "#", code: "Digit3", altKey: true, shiftKey: true }), false)).toEqual({ id: "chat-n", index: 2 });
  });

  it("leaves plain typing, browser keys and other modifiers alone", () => {
    expect(matchShortcut(key({ key: "a", code: "KeyA" }), false)).toBeNull();
    expect(matchShortcut(key({ key: "e", code: "KeyE", altKey: true }), false)).toBeNull();
    expect(matchShortcut(key({ key: "1", code: "Digit1", altKey: true }), false)).toBeNull();
    expect(matchShortcut(key({ key: "A", code: "KeyA", altKey: true, shiftKey: true, ctrlKey: true }), false)).toBeNull();
    expect(matchShortcut(key({ key: "Z", code: "KeyZ", altKey: true, shiftKey: true }), false)).toBeNull();
    expect(matchShortcut(key({ key: "0", code: "Digit0", altKey: true, shiftKey: true }), false)).toBeNull();
  });

  it('opens help with "?" except while typing', () => {
    expect(matchShortcut(key({ key: "?", code: "Slash", shiftKey: true }), false)).toEqual({ id: "help" });
    expect(matchShortcut(key({ key: "?", code: "Slash", shiftKey: true }), true)).toBeNull();
  });

  it("moves between chat tabs with the arrow keys, wrapping, and Home/End", () => {
    expect(tabIndexAfterKey("ArrowRight", 0, 3)).toBe(1);
    expect(tabIndexAfterKey("ArrowRight", 2, 3)).toBe(0);
    expect(tabIndexAfterKey("ArrowLeft", 0, 3)).toBe(2);
    expect(tabIndexAfterKey("Home", 2, 3)).toBe(0);
    expect(tabIndexAfterKey("End", 0, 3)).toBe(2);
    expect(tabIndexAfterKey("Enter", 0, 3)).toBeNull();
    expect(tabIndexAfterKey("ArrowRight", 0, 0)).toBeNull();
  });
});

describe("send a link", () => {
  it("accepts web addresses and sends title and address as one message the patron sees as a link", () => {
    expect(checkLink("https://www.census.gov/", "")).toEqual({ ok: true, url: "https://www.census.gov/" });
    expect(checkLink("  www.loc.gov/maps ", "")).toEqual({ ok: true, url: "https://www.loc.gov/maps" });
    const body = linkMessage("https://www.census.gov/data.html", "  Census   data ");
    expect(body).toBe("Census data: https://www.census.gov/data.html");
    expect(linkify(body)).toEqual([
      { kind: "text", text: "Census data: " },
      { kind: "link", text: "https://www.census.gov/data.html", href: "https://www.census.gov/data.html" },
    ]);
    expect(linkMessage("https://example.org/", "")).toBe("https://example.org/");
  });

  it("refuses what is not a web address, with the field at fault", () => {
    expect(checkLink("", "Title")).toMatchObject({ ok: false, field: "url" });
    expect(checkLink("census records", "")).toMatchObject({ ok: false, field: "url" });
    expect(checkLink("javascript:alert(1)", "")).toMatchObject({ ok: false, field: "url" });
    expect(checkLink("ftp://files.example.org/", "")).toMatchObject({ ok: false, field: "url" });
    expect(checkLink(`https://example.org/${"x".repeat(LIMITS.urlChars)}`, "")).toMatchObject({ ok: false, field: "url" });
    expect(checkLink("https://example.org/", "t".repeat(LIMITS.linkTitleChars + 1))).toMatchObject({ ok: false, field: "title" });
  });
});
