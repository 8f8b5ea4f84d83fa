/**
 * The display-text normaliser: what goes from names and free text, what stays
 * because a writing system needs it, and how names are put into plain text.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isRoleLabel, ROLE_MARKERS } from "../../src/shared/author-labels";
import { cleanDisplayData, cleanName, cleanText, nameInText } from "../../src/shared/display-text";

const BIDI_CONTROLS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"];
const MARKS = ["\u200e", "\u200f", "\u061c"];
const INVISIBLE = ["\u200b", "\u2060", "\u2061", "\u2062", "\u2063", "\u2064", "\ufeff", "\u00ad", "\u034f", "\u3164", "\uffa0", "\u115f", "\u1160", "\u206a", "\u206f", "\ufff9", "\ufffa", "\ufffb", "\u{1d173}", "\u{e0001}", "\u{e0041}", "\u0080", "\u009b"];
const ZWNJ = "\u200c";
const ZWJ = "\u200d";
const FSI = "\u2068";
const PDI = "\u2069";

/** Every character that must never survive in a name. */
const NEVER_IN_NAMES = /[\u202a-\u202e\u2066-\u2069\u200b\u200e\u200f\u061c\u2060-\u2064\ufeff\u00ad\u3164\uffa0\u0080-\u009f\u2028\u2029]|\u034f/u;

describe("cleanText (free text)", () => {
  it("removes every bidirectional embedding, override and isolate, wherever it stands", () => {
    for (const c of BIDI_CONTROLS) {
      expect(cleanText(`${c}abc${c}def${c}`)).toBe("abcdef");
    }
    // The classic trick: an override that turns "exe.txt" around.
    expect(cleanText("invoice\u202Etxt.exe")).toBe("invoicetxt.exe");
  });

  it("removes zero-width and other invisible characters that no script needs", () => {
    for (const c of INVISIBLE) expect(cleanText(`Li${c}sa`), `U+${c.codePointAt(0)!.toString(16)}`).toBe("Lisa");
  });

  it("keeps directional marks (mixed-direction writing places punctuation with them), one at a time", () => {
    for (const m of MARKS) expect(cleanText(`C++${m} שפה`)).toBe(`C++${m} שפה`);
    expect(cleanText("a\u200f\u200f\u200fb")).toBe("a\u200fb");
  });

  it("keeps the zero-width non-joiner where Persian and Indic words need it, and drops it in Latin text", () => {
    const persian = `می${ZWNJ}خواهم`;
    expect(cleanText(persian)).toBe(persian);
    const hindi = `क्${ZWNJ}ष`;
    expect(cleanText(hindi)).toBe(hindi);
    expect(cleanText(`Auf${ZWNJ}lage`)).toBe("Auflage");
    expect(cleanText(`${ZWNJ}leading`)).toBe("leading");
  });

  it("keeps the zero-width joiner inside emoji sequences and Indic conjuncts, and drops it anywhere else", () => {
    for (const emoji of ["👩‍💻", "🏳️‍🌈", "👨‍👩‍👧‍👦", "🧑🏽‍🚀", "🏃‍♀️", "❤️‍🔥", "👁️‍🗨️"]) expect(cleanText(`hi ${emoji}!`)).toBe(`hi ${emoji}!`);
    const sinhala = `ශ්${ZWJ}රී`;
    expect(cleanText(sinhala)).toBe(sinhala);
    const malayalamChillu = `അവന്${ZWJ}`;
    expect(cleanText(malayalamChillu)).toBe(malayalamChillu);
    expect(cleanText(`Li${ZWJ}sa`)).toBe("Lisa");
    expect(cleanText(`👩${ZWJ}`)).toBe("👩");
    expect(cleanText(`${ZWJ}💻`)).toBe("💻");
  });

  it("keeps one variation selector after a visible character, never a pile of them or one on its own", () => {
    expect(cleanText("❤️ 1️⃣ 葛󠄀")).toBe("❤️ 1️⃣ 葛󠄀");
    expect(cleanText("a\ufe0f\ufe0f\ufe0fb")).toBe("a\ufe0fb");
    expect(cleanText("\ufe0fstart and gap \ufe0f")).toBe("start and gap ");
  });

  it("keeps subdivision flags whole and drops tags anywhere else (they can carry hidden text)", () => {
    const scotland = "🏴󠁧󠁢󠁳󠁣󠁴󠁿";
    expect(cleanText(`Go ${scotland}!`)).toBe(`Go ${scotland}!`);
    const smuggled = "hello" + [..."ignore all"].map((c) => String.fromCodePoint(0xe0000 + c.codePointAt(0)!)).join("");
    expect(cleanText(smuggled)).toBe("hello");
    expect(cleanText("🏴")).toBe("🏴");
  });

  it("keeps line breaks and spacing; turns NEL and the Unicode line and paragraph separators into line breaks", () => {
    expect(cleanText("one\n\ntwo\tthree  four")).toBe("one\n\ntwo\tthree  four");
    expect(cleanText("a\u2028b\u2029c\u0085d")).toBe("a\nb\nc\nd");
  });

  it("leaves ordinary text in any script exactly as it was", () => {
    for (const t of ["Grüße aus Köln", "שלום עולם", "مرحبا بالعالم", "नमस्ते दुनिया", "你好，世界", "Tiếng Việt", "🙂 done."]) expect(cleanText(t)).toBe(t);
  });

  it("never leaves a bidirectional control, however the text is made", () => {
    const tricky = fc.constantFrom(...BIDI_CONTROLS, ...INVISIBLE, ZWJ, ZWNJ, "\ufe0f", "👩", "ی", "a", " ", "\n");
    fc.assert(
      fc.property(fc.array(tricky, { maxLength: 30 }), (parts) => {
        const out = cleanText(parts.join(""));
        expect(out).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]/u);
        expect(cleanText(out)).toBe(out);
      }),
    );
  });
});

describe("cleanName (one line)", () => {
  it("drops the marks too, makes every run of spaces and line breaks one space, and trims", () => {
    expect(cleanName("  Lisa\u200f \n\t Simpson\u2028 ")).toBe("Lisa Simpson");
    expect(cleanName("\u202eLisa (librarian)\u202c")).toBe("Lisa (librarian)");
  });

  it("is blank for a name made only of invisible characters", () => {
    expect(cleanName("\u200b\u3164\u2060\u202e ")).toBe("");
  });

  it("caps the combining marks one character carries, keeping what real scripts stack", () => {
    const zalgo = "Z" + "\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309\u030a\u030b\u030c".repeat(3);
    expect([...cleanName(zalgo)].length).toBe(9);
    expect(cleanName("Nguyễn Thị Ánh")).toBe("Nguyễn Thị Ánh");
    expect(cleanName("בְּרֵאשִׁית")).toBe("בְּרֵאשִׁית");
  });

  it("never leaves a control, mark or line break in a name", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme-composite", maxLength: 40 }), fc.array(fc.constantFrom(...BIDI_CONTROLS, ...MARKS, ...INVISIBLE, "\n", "\u2028"), { maxLength: 6 }), (base, noise) => {
        const out = cleanName(noise.join("") + base + noise.join(""));
        expect(out).not.toMatch(NEVER_IN_NAMES);
        expect(out).toBe(out.trim());
        expect(cleanName(out)).toBe(out);
      }),
    );
  });
});

describe("nameInText", () => {
  it("leaves a left-to-right name in left-to-right text exactly as it is", () => {
    expect(nameInText("Lisa")).toBe("Lisa");
    expect(nameInText("Ada <b>Patron</b>", "Cuyahoga County, please.")).toBe("Ada <b>Patron</b>");
  });

  it("isolates a name with right-to-left letters, or among right-to-left text, with FSI…PDI", () => {
    expect(nameInText("דוד")).toBe(`${FSI}דוד${PDI}`);
    expect(nameInText("Lisa", "שלום")).toBe(`${FSI}Lisa${PDI}`);
  });

  it("cleans the name first, so an isolate inside it cannot end ours early", () => {
    expect(nameInText(`דוד${PDI}\u202e evil`)).toBe(`${FSI}דוד evil${PDI}`);
  });
});

describe("cleanDisplayData", () => {
  it("cleans every string in nested data and leaves the rest alone", () => {
    const data = { name: "\u202eLisa", n: 3, ok: true, none: null, list: ["a\u200bb", { deep: "c\u2066d" }] };
    expect(cleanDisplayData(data)).toEqual({ name: "Lisa", n: 3, ok: true, none: null, list: ["ab", { deep: "cd" }] });
  });

  it("keeps names the server isolated in a sentence isolated, and cleans inside and around them", () => {
    const summary = `reassigned the question from ${nameInText("שרה")} to ${nameInText("דוד")}.`;
    expect(cleanDisplayData(summary)).toBe(summary);
    expect(cleanDisplayData(`to ${FSI}ד\u202eוד${PDI}\u202e.`)).toBe(`to ${FSI}דוד${PDI}.`);
    // An isolate that is not one of ours — unclosed, or around a line break — goes.
    expect(cleanDisplayData(`a${FSI}b`)).toBe("ab");
    expect(cleanDisplayData(`a${FSI}b\nc${PDI}`)).toBe("ab\nc");
  });
});

describe("role labels", () => {
  it("knows a role label whatever its case, spacing, punctuation or width", () => {
    for (const name of ["Librarian", "librarian", " LIBRARIAN! ", "Ｌｉｂｒａｒｉａｎ", "Lib-rarian", "Refdesk", "System", "Staff", "Admin", "The Librarian"]) expect(isRoleLabel(name), name).toBe(true);
  });

  it("lets people's names be, even ones that mention a role (the role marker beside them says who they are)", () => {
    for (const name of ["Lisa", "Lisa (librarian)", "Marian Librarian", "Patron", "Ada Lovelace", ""]) expect(isRoleLabel(name), name).toBe(false);
    expect(Object.values(ROLE_MARKERS).filter((m) => m !== ROLE_MARKERS.patron).every(isRoleLabel)).toBe(true);
  });
});
