/**
 * The password policy and the redaction the scrub uses, rule by rule: what is
 * refused, what passes.
 */
import { describe, expect, it } from "vitest";
import { COMMON_PASSWORDS_TEXT } from "../../src/auth/common-passwords";
import { passwordProblem } from "../../src/auth/password-policy";
import { redactText, scrubTranscript } from "../../src/privacy/redact";
import { PASSWORD_RULES } from "../../src/shared/admin-limits";

describe("the password policy", () => {
  it("ships a list of a few thousand common passwords", () => {
    const list = COMMON_PASSWORDS_TEXT.split("\n");
    expect(list.length).toBeGreaterThanOrEqual(5000);
    expect(list.slice(0, 3)).toEqual(["password", "123456", "12345678"]);
  });

  it.each([
    ["short", `Use at least ${PASSWORD_RULES.minChars} characters`],
    ["x".repeat(PASSWORD_RULES.maxChars + 1), `Use at most ${PASSWORD_RULES.maxChars} characters`],
    ["baseball1234", "too easy to guess"],
    ["!!Football2024!!", "too easy to guess"],
    ["iloveyouiloveyou", "too easy to guess"],
    ["abcabcabcabc", "too easy to guess"],
    ["aaaaaaaaaaaaaaaa", "too easy to guess"],
    ["qwertyuiopasdf", "too easy to guess"],
    ["abcdefghijklmnop", "too easy to guess"],
    ["9876543210987", "too easy to guess"],
    ["483920174629", "Use more than digits"],
  ])("refuses %j", (password, words) => {
    expect(passwordProblem(password)).toContain(words);
  });

  it("refuses a password containing the person's e-mail name", () => {
    expect(passwordProblem("marguerite-2031-blue", { email: "marguerite@library.test" })).toContain("e-mail");
  });

  it.each(["correct horse battery staple", "Lantern-Orchard-Quill-42", "refdesk-demo", "tr0ub4dor&3xyz"])("accepts %j", (password) => {
    expect(passwordProblem(password, { email: "someone@library.test" })).toBeNull();
  });
});

describe("redaction", () => {
  const who = { name: "Ada Lovelace", email: "ada@patron.test" };
  it("removes the whole name, its parts in any case, and every e-mail address", () => {
    expect(redactText("Hi, I'm Ada Lovelace (ada@patron.test, or ADA.L@work.example).", who)).toBe("Hi, I'm [name removed] ([e-mail removed], or [e-mail removed]).");
    expect(redactText("Thanks ada! lovelace's notes are on shelf 4.", who)).toBe("Thanks [name removed]! [name removed]'s notes are on shelf 4.");
  });

  it("keeps words that merely contain a name part, and two-letter parts only as written", () => {
    expect(redactText("Adapters and lovelaces", who)).toBe("Adapters and lovelaces");
    expect(redactText("Al asked: al dente or all done?", { name: "Al Smith", email: null })).toBe("[name removed] asked: al dente or all done?");
  });

  it("renames the patron in a transcript, removes what anyone typed and keeps system lines without the patron's name", () => {
    const out = scrubTranscript(
      [
        { seq: 1, clientId: "c-1", author: { role: "patron", name: "Ada Lovelace" }, kind: "text", body: "I'm Ada" },
        { seq: 2, clientId: "c-2", author: { role: "librarian", name: "Lisa" }, kind: "text", body: "Hello Ada, I'm Lisa" },
        { seq: 3, clientId: null, author: { role: "system", name: "Refdesk" }, kind: "system", body: "Ada Lovelace left the chat." },
      ],
      [who.name],
    );
    expect(out).toEqual([
      { seq: 1, clientId: null, author: { role: "patron", name: "Patron" }, kind: "text", body: "[removed after the retention period]" },
      { seq: 2, clientId: null, author: { role: "librarian", name: "Lisa" }, kind: "text", body: "[removed after the retention period]" },
      { seq: 3, clientId: null, author: { role: "system", name: "Refdesk" }, kind: "system", body: "[name removed] left the chat." },
    ]);
  });
});
