/**
 * Hosted chat request forms: what a form shows, how a request is checked and
 * stored, and how every refusal reads — JSON for the API, an accessible page
 * (the form again, each problem tied to its field, everything typed kept) for
 * the hosted form posted without JavaScript. Nothing refused is stored.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { RATE_LIMITED_MESSAGE } from "../../src/routes/chats";
import { contrastRatio, textColorOn } from "../../src/shared/color";
import { EMAIL_HELP } from "../../src/shared/forms";
import { LIMITS } from "../../src/shared/limits";
import { call, countRows, createForm, createLibrary, patronIp, staffedLibrary } from "./helpers";
import { element, elements, postChat, postHostedForm } from "./patron-helpers";

const FIELDS = [
  { id: "name", label: "Your name", kind: "text", required: true },
  { id: "patron-type", label: "I am a…", kind: "select", required: true, options: ["Student", "Faculty", "Visitor"] },
  { id: "card", label: "Library card number", kind: "text", required: false, help: "Only if your question is about your account." },
];

async function libraryWithForm(fields: unknown[] = FIELDS, library: Parameters<typeof createLibrary>[0] = {}) {
  const lib = await createLibrary({ name: "Riverside Public Library", brandColor: "#ffd400", ...library });
  const formId = await createForm(lib.id, { fields });
  await env.DB.prepare("UPDATE forms SET title = ?, intro = ? WHERE id = ?").bind("Ask Riverside", "Books, research, local history.", formId).run();
  return { library: lib, formId };
}

const sessions = () => countRows("SELECT 1 FROM chat_sessions");

describe("the hosted form page", () => {
  it("carries the library's name and colours, the intro, the form's fields, the transcript note and the opt-out", async () => {
    const { formId } = await libraryWithForm();
    const res = await call(`/f/${formId}`);
    expect(res.status).toBe(200);
    const page = await res.text();

    expect((await element(page, ".brand-name")).text).toBe("Riverside Public Library");
    // A yellow brand gets black text: readable whatever the library picks.
    expect((await element(page, ".brand-bar")).attrs.style).toBe("--brand:#ffd400;--brand-text:#000000");
    expect((await element(page, "h1")).text).toBe("Ask Riverside");
    expect((await element(page, ".intro")).text).toBe("Books, research, local history.");

    expect((await element(page, "#f-question")).attrs).toMatchObject({ name: "question", required: "" });
    expect((await element(page, "label[for=f-name]")).text).toBe("Your name");
    expect((await element(page, "#f-name")).attrs).toHaveProperty("required");
    const email = await element(page, "#f-email");
    expect(email.attrs).not.toHaveProperty("required");
    expect(email.attrs["aria-describedby"]).toBe("f-email-help");
    expect((await element(page, "#f-email-help")).text).toBe(EMAIL_HELP);
    expect((await element(page, "label[for=f-card]")).text).toContain("(optional)");
    expect((await elements(page, "#f-patron-type option")).map((o) => o.text)).toEqual(["Choose…", "Student", "Faculty", "Visitor"]);
    expect((await element(page, "#f-no-transcript")).attrs).toMatchObject({ name: "noTranscript", type: "checkbox" });
    expect((await element(page, "label[for=f-no-transcript]")).text).toBe("Do not e-mail me a transcript of this chat");
  });

  it("says whether a librarian is online", async () => {
    const { formId } = await staffedLibrary(1);
    expect((await element(await (await call(`/f/${formId}`)).text(), ".availability")).text.trim()).toBe("A librarian is online now.");
    const { formId: quiet } = await libraryWithForm();
    expect((await element(await (await call(`/f/${quiet}`)).text(), ".availability")).attrs.class).toContain("unavailable");
  });

  it("never lets a brand colour write CSS of its own", async () => {
    const { formId } = await libraryWithForm([], { brandColor: "#1d4ed8" });
    await env.DB.prepare("UPDATE forms SET brand_color = ? WHERE id = ?").bind("red;background:url(https://evil.test/x)", formId).run();
    const bar = await element(await (await call(`/f/${formId}`)).text(), ".brand-bar");
    expect(bar.attrs.style).toBe("--brand:#1d4ed8;--brand-text:#ffffff");
  });

  it("picks text that reaches 4.5:1 on any brand colour", () => {
    for (const bg of ["#000000", "#ffffff", "#777777", "#808080", "#1d4ed8", "#ffd400", "#7a1f1f", "#00ff00", "#ff0000", "#0f5132"]) {
      expect(contrastRatio(bg, textColorOn(bg)), bg).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("answers 404 for a form that does not exist and 410 with the library's alternatives for one turned off", async () => {
    const missing = await call("/f/no-such-form");
    expect(missing.status).toBe(404);
    expect((await element(await missing.text(), "h1")).text).toBe("Chat form not found");
    const library = await createLibrary({ name: "Closed Library", phone: "+1 555 0199" });
    const off = await call(`/f/${await createForm(library.id, { enabled: false })}`);
    expect(off.status).toBe(410);
    const page = await off.text();
    expect(page).toContain("Closed Library is not taking chats through this form any more.");
    expect(page).toContain("+1 555 0199");
  });
});

describe("a request through the JSON API (the Qwidget)", () => {
  it("stores what the patron gave: question, name, e-mail, the form's answers, the transcript choice and the page", async () => {
    const { formId } = await libraryWithForm();
    const res = await postChat({
      formId,
      question: "Do you have the 1920 city directory?",
      name: "Ada",
      email: "Ada@Example.test",
      fields: { "patron-type": "Visitor", card: "2900123" },
      noTranscript: true,
      pageUrl: "https://riverside.test/local-history",
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const { sessionId } = (await res.json()) as { sessionId: string };
    const row = await env.DB.prepare("SELECT * FROM chat_sessions WHERE id = ?").bind(sessionId).first<Record<string, unknown>>();
    expect(row).toMatchObject({
      question: "Do you have the 1920 city directory?",
      patron_name: "Ada",
      patron_email: "ada@example.test",
      transcript_opt_out: 1,
      referrer: "https://riverside.test/local-history",
    });
    expect(JSON.parse(row!.patron_details as string)).toEqual({ "patron-type": "Visitor", card: "2900123" });
  });

  it("keeps scripts in names and questions as the text they are", async () => {
    const { formId } = await libraryWithForm([]);
    const name = `<img src=x onerror="alert('name')">`;
    const question = `<script>alert("question")</script> & more`;
    const res = await postChat({ formId, question, name });
    expect(res.status).toBe(201);
    const { sessionId } = (await res.json()) as { sessionId: string };
    expect(await env.DB.prepare("SELECT patron_name, question FROM chat_sessions WHERE id = ?").bind(sessionId).first()).toEqual({ patron_name: name, question });
  });

  it("stores names, questions and answers without bidirectional controls or invisible characters, accepting them cleanly", async () => {
    const { formId } = await libraryWithForm();
    const res = await postChat({
      formId,
      question: "Do you have \u202Ethe 1920\u202C city\u200B directory?\u2066",
      name: " \u202EAda\u2069 \u200BLovelace\u200F\n",
      fields: { "patron-type": "Vis\u200Bitor", card: "29\u2060001\uFEFF23" },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const { sessionId } = (await res.json()) as { sessionId: string };
    const row = await env.DB.prepare("SELECT question, patron_name, patron_details FROM chat_sessions WHERE id = ?").bind(sessionId).first<Record<string, string>>();
    expect(row).toMatchObject({ question: "Do you have the 1920 city directory?", patron_name: "Ada Lovelace" });
    expect(JSON.parse(row!.patron_details!)).toEqual({ "patron-type": "Visitor", card: "2900123" });
  });

  it("refuses a role label as the patron's name, at the name field, storing nothing; a name that only mentions a role is the patron's own", async () => {
    const { formId } = await libraryWithForm([]);
    const before = await sessions();
    for (const name of ["Librarian", " refdesk ", "Ｓｔａｆｆ", "Libr\u200Barian"]) {
      const res = await postChat({ formId, question: "Who am I talking to?", name });
      expect(res.status, name).toBe(400);
      const { error } = (await res.json()) as { error: { code: string; message: string; field?: string } };
      expect(error, name).toMatchObject({ code: "validation_failed", field: "name" });
      expect(error.message).toContain("your own name");
    }
    expect(await sessions()).toBe(before);

    const res = await postChat({ formId, question: "Who am I talking to?", name: "Lisa (librarian)" });
    expect(res.status).toBe(201);
    const { sessionId } = (await res.json()) as { sessionId: string };
    expect(await env.DB.prepare("SELECT patron_name FROM chat_sessions WHERE id = ?").bind(sessionId).first()).toEqual({ patron_name: "Lisa (librarian)" });
  });

  it("refuses a site the library has not allowed, readable by that site, and stores nothing", async () => {
    const { formId } = await libraryWithForm([], { allowedOrigins: ["https://www.riverside.test"] });
    const before = await sessions();
    const refused = await postChat({ formId, question: "Hello?" }, { origin: "https://evil.test" });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("access-control-allow-origin")).toBe("https://evil.test");
    expect(await refused.json()).toEqual({ error: { code: "forbidden", message: "This library has not allowed https://evil.test to embed its chat.", field: "origin" } });
    expect(await sessions()).toBe(before);

    const allowed = await postChat({ formId, question: "Hello?" }, { origin: "https://www.riverside.test" });
    expect(allowed.status).toBe(201);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://www.riverside.test");
  });

  it("answers a preflight from a library's site", async () => {
    const res = await call("/api/chats", {
      method: "OPTIONS",
      headers: { Origin: "https://www.riverside.test", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("content-type");
  });

  it("limits a flood from one address with a clear message, stores only what was accepted, and leaves other addresses alone", async () => {
    const { formId } = await libraryWithForm([]);
    const flooder = patronIp();
    const before = await sessions();
    let accepted = 0;
    let refused: Response | null = null;
    for (let i = 0; i < 200 && !refused; i++) {
      const res = await postChat({ formId, question: `Question ${i}` }, { ip: flooder });
      if (res.status === 201) accepted += 1;
      else refused = res;
    }
    expect(refused, "the flood was never limited").not.toBeNull();
    expect(refused!.status).toBe(429);
    expect(await refused!.json()).toEqual({ error: { code: "rate_limited", message: RATE_LIMITED_MESSAGE } });
    expect(accepted).toBeGreaterThan(0);
    expect(await sessions()).toBe(before + accepted);
    // The hosted form says so too, and keeps what was typed.
    const page = await postHostedForm({ formId, question: "Still there?", name: "Flo" }, flooder);
    expect(page.status).toBe(429);
    const html = await page.text();
    expect((await element(html, ".error-summary li")).text).toBe(RATE_LIMITED_MESSAGE);
    expect((await element(html, "#f-question")).text).toBe("Still there?");
    expect((await element(html, "#f-name")).attrs.value).toBe("Flo");
    expect(await sessions()).toBe(before + accepted);
    // Someone else is not affected.
    expect((await postChat({ formId, question: "Me too?" })).status).toBe(201);
  });
});

describe("the hosted form without JavaScript", () => {
  it("starts the chat and sends the patron to it, the token only in the fragment", async () => {
    const { formId } = await libraryWithForm();
    const res = await postHostedForm({ formId, question: "Where are the maps?", name: "Mo", email: "", "field:patron-type": "Student", "field:card": "", noTranscript: "on" });
    expect(res.status).toBe(303);
    const location = res.headers.get("location")!;
    const m = /^\/chat\/([0-9a-f-]{36})#token=(\S+)$/.exec(location);
    expect(m, location).not.toBeNull();
    const row = await env.DB.prepare("SELECT * FROM chat_sessions WHERE id = ?").bind(m![1]).first<Record<string, unknown>>();
    expect(row).toMatchObject({ question: "Where are the maps?", patron_name: "Mo", patron_email: null, transcript_opt_out: 1 });
    expect(JSON.parse(row!.patron_details as string)).toEqual({ "patron-type": "Student" });
  });

  it("shows every problem at its field, in form order, with what was typed kept, and stores nothing", async () => {
    const { formId } = await libraryWithForm();
    const before = await sessions();
    const typed = { formId, question: "   ", name: "", email: "not-an-address", "field:patron-type": "Wizard", "field:card": "12345", noTranscript: "on" };
    const res = await postHostedForm(typed);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const page = await res.text();
    expect((await element(page, "title")).text).toMatch(/^Error: /);

    // The summary lists each problem, linked to its field, in the order the form asks.
    const summary = await elements(page, ".error-summary a");
    expect(summary.map((a) => a.attrs.href)).toEqual(["#f-question", "#f-name", "#f-email", "#f-patron-type"]);
    expect(summary.map((a) => a.text)).toEqual(["Please type your question", "Your name is required", "Enter a valid e-mail address", "I am a…: choose one of the options"]);
    expect((await element(page, ".error-summary")).attrs).toMatchObject({ role: "alert", tabindex: "-1" });

    // Each field is marked invalid and described by its own error (then its help).
    for (const id of ["f-question", "f-name", "f-email", "f-patron-type"]) {
      const control = await element(page, `#${id}`);
      expect(control.attrs["aria-invalid"], id).toBe("true");
      expect(control.attrs["aria-describedby"]?.split(" ")[0], id).toBe(`${id}-error`);
      expect((await element(page, `#${id}-error`)).text, id).toContain("Error: ");
    }
    expect((await element(page, "#f-email")).attrs["aria-describedby"]).toBe("f-email-error f-email-help");
    expect((await element(page, "#f-card")).attrs).not.toHaveProperty("aria-invalid");

    // Nothing typed is lost.
    expect((await element(page, "#f-email")).attrs.value).toBe("not-an-address");
    expect((await element(page, "#f-card")).attrs.value).toBe("12345");
    expect((await element(page, "#f-no-transcript")).attrs).toHaveProperty("checked");
    expect(await sessions()).toBe(before);
  });

  it("keeps the selected option and long answers, and refuses what is over the limits", async () => {
    const { formId } = await libraryWithForm();
    const long = "q".repeat(LIMITS.questionChars + 1);
    const res = await postHostedForm({ formId, question: long, name: "n".repeat(LIMITS.nameChars + 1), "field:patron-type": "Faculty" });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect((await elements(page, ".error-summary a")).map((a) => a.attrs.href)).toEqual(["#f-question", "#f-name"]);
    expect((await element(page, "#f-question-error")).text).toContain(`Keep it under ${LIMITS.questionChars} characters`);
    expect((await element(page, "#f-question")).text).toBe(long);
    expect((await element(page, "#f-patron-type option[selected]")).text).toBe("Faculty");
  });

  it("shows scripts typed into the form as text when it comes back", async () => {
    const { formId } = await libraryWithForm([]);
    const name = `"><script>alert(1)</script>`;
    const question = `</textarea><script>alert(2)</script>`;
    const page = await (await postHostedForm({ formId, question, name, email: "nope" })).text();
    expect(page).not.toContain("<script>alert");
    // As written in the page: every character that could end the attribute or open a tag is escaped.
    expect((await element(page, "#f-name")).attrs.value).toBe("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    expect((await element(page, "#f-question")).text).toBe("&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;");
  });

  it("answers a missing or turned-off form, or an unreadable post, with a page — not JSON — and stores nothing", async () => {
    const library = await createLibrary({ name: "Gone Library", contactEmail: "gone@library.test" });
    const off = await createForm(library.id, { enabled: false });
    const before = await sessions();

    const missing = await postHostedForm({ formId: "no-such-form", question: "Hi" });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/^text\/html/);
    expect((await element(await missing.text(), "h1")).text).toBe("Chat form not found");

    const bogus = await postHostedForm({ formId: "../../etc/passwd", question: "Hi" });
    expect(bogus.status).toBe(404);

    const turnedOff = await postHostedForm({ formId: off, question: "Hi" });
    expect(turnedOff.status).toBe(410);
    const offPage = await turnedOff.text();
    expect(offPage).toContain("Gone Library is not taking chats through this form any more.");
    expect(offPage).toContain("gone@library.test");

    const tooBig = await postHostedForm({ formId: off, question: "x".repeat(LIMITS.bodyBytes) });
    expect(tooBig.status).toBe(413);
    expect(tooBig.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await tooBig.text()).toContain(`Request bodies are limited to ${LIMITS.bodyBytes} bytes.`);

    expect(await sessions()).toBe(before);
  });

  it("refuses a form post from another site (CSRF) before anything is read", async () => {
    const { formId } = await libraryWithForm([]);
    const before = await sessions();
    const res = await call("/api/chats", {
      method: "POST",
      body: new URLSearchParams({ formId, question: "Forged" }).toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.test", "cf-connecting-ip": patronIp() },
    });
    expect(res.status).toBe(403);
    expect(await sessions()).toBe(before);
  });
});
