/**
 * Server-rendered cooperative administration, plain HTML forms that post back
 * here and share their rules with the JSON APIs:
 * - /admin/cooperation — a library administrator's routing settings (roll-over
 *   time, overflow mode, group order) and pending group invitations;
 * - /admin/groups/:groupId/cooperation — a group administrator's members and invitations,
 *   coverage schedule, group page and each member's contribution;
 * - /feedback — quality feedback between cooperative libraries.
 */
import { Hono, type Context } from "hono";
import { html } from "hono/html";
import type { Librarian } from "../auth/librarian";
import { feedbackAboutMe, feedbackGiven, leaveFeedback, sessionsAnsweredByPartners, type FeedbackEntry } from "../coop/feedback";
import { contribution, findGroup, inviteLibrary, joinGroup, memberLibraries, pendingInvitations } from "../coop/groups";
import { WEEKDAYS } from "../coverage/schedule";
import { coverageGaps } from "../coverage/monitor-coverage";
import { loadShifts, prefersScheduled, replaceSchedule, setPrefersScheduled } from "../coverage/store";
import { libraryTimeZone } from "../libraries/time-zone";
import { assertGroupAdmin, assertLibraryAdmin } from "../db/tenancy";
import type { AppEnv } from "../http/app-env";
import { ApiError, notFound } from "../http/errors";
import { readFields, validate } from "../http/validate";
import { loadRoutingSettings, saveRoutingSettings } from "../libraries/routing-settings";
import { coopPage, renderPageError, signInFirst } from "../pages/coop-layout";
import type { Html } from "../pages/layout";
import { loadGroupPage, saveGroupPage } from "../policies/store";
import { POLICY_LIMITS } from "../policies/sections";
import { OVERFLOW_MODES, OVERFLOW_MODE_LABELS, ROLLOVER_LIMITS } from "../queues/routing-policy";
import { slugSchema } from "../shared/api";
import { FEEDBACK_RATINGS, FEEDBACK_RATING_LABELS, feedbackSchema, groupRoutingSchema, inviteLibrarySchema, routingSettingsSchema, scheduleSchema } from "../shared/coop-api";
import { SIGNED_IN_PAGE, signedIn } from "./openapi/callers";
import { documentedPage } from "./openapi/pages";
import { PARAMS } from "./openapi/shapes";

const LIBRARY_COOPERATION = signedIn("`library_admin` of their library, or `service_admin`", ["library_admin", "service_admin"]);
const LIBRARY_COOPERATION_POST = signedIn("`library_admin` of their library, or `service_admin`; same origin", ["library_admin", "service_admin"]);
const GROUP_COOPERATION = signedIn("Group administrator", ["group_admin", "service_admin"]);
const GROUP_COOPERATION_POST = signedIn("Group administrator, same origin", ["group_admin", "service_admin"]);

export const coopAdminPageRoutes = new Hono<AppEnv>();

type Notice = { kind: "ok" | "error"; message: string; field?: string } | null;

function librarianPage(handler: (c: Context<AppEnv>, librarian: Librarian) => Promise<Response>) {
  return async (c: Context<AppEnv>) => {
    const librarian = c.get("librarian");
    if (!librarian) return signInFirst(c);
    try {
      return await handler(c, librarian);
    } catch (err) {
      return renderPageError(c, err);
    }
  };
}

/** Runs a form action; a 400/409 becomes a notice on the re-rendered page (status 400), anything else propagates. */
async function formAction(action: () => Promise<string>): Promise<Notice> {
  try {
    return { kind: "ok", message: await action() };
  } catch (err) {
    if (err instanceof ApiError && (err.status === 400 || err.status === 409)) return { kind: "error", message: err.message, field: err.field };
    throw err;
  }
}

function noticeBlock(n: Notice): Html | string {
  if (!n) return "";
  return n.kind === "ok" ? html`<p class="saved" role="status">${n.message}</p>` : html`<div class="error-summary" role="alert" id="form-error"><p>${n.message}</p></div>`;
}

const asForm = async (c: Context<AppEnv>) => (await readFields(c, POLICY_LIMITS.bodyBytes)) as Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

// ---- /admin/cooperation ---------------------------------------------------------------

async function libraryAdminPage(c: Context<AppEnv>, librarian: Librarian, notice: Notice) {
  assertLibraryAdmin(librarian, librarian.libraryId, "its settings");
  const routing = await loadRoutingSettings(c.env.DB, librarian.libraryId);
  const invitations = await pendingInvitations(c.env.DB, { libraryId: librarian.libraryId });
  const invalid = (field: string) => (notice?.kind === "error" && notice.field?.startsWith(field) ? html`aria-invalid="true" aria-describedby="form-error"` : "");
  return coopPage(
    c,
    {
      title: `Settings of ${librarian.libraryName}`,
      body: html`<h1>Cooperative settings of ${librarian.libraryName}</h1>
${noticeBlock(notice)}
<p><a href="/policies/${librarian.libraryId}/edit">Edit our policy page</a> · <a href="/policies/${librarian.libraryId}">See it as partners do</a></p>
<section aria-labelledby="routing-h"><h2 id="routing-h">Routing to the cooperative</h2>
<form method="post" action="/admin/cooperation/routing" class="stack">
  <div class="field">
    <label for="rollover">Roll-over time (seconds)</label>
    <p class="help" id="rollover-help">How long our own librarians have to accept a request before partner libraries see it too (${ROLLOVER_LIMITS.minSeconds}–${ROLLOVER_LIMITS.maxSeconds}, shorter than our wait limit of ${routing.waitLimitSeconds} seconds).</p>
    <input id="rollover" name="rolloverSeconds" type="number" inputmode="numeric" min="${ROLLOVER_LIMITS.minSeconds}" max="${ROLLOVER_LIMITS.maxSeconds}" value="${routing.rolloverSeconds}" aria-describedby="rollover-help" ${invalid("rolloverSeconds")}>
  </div>
  <fieldset>
    <legend>When do our patrons' requests go to the cooperative?</legend>
    ${OVERFLOW_MODES.map(
      (m) => html`<div class="radio"><input type="radio" id="overflow-${m}" name="overflowMode" value="${m}" ${m === routing.overflowMode ? "checked" : ""}><label for="overflow-${m}">${OVERFLOW_MODE_LABELS[m]}</label></div>`,
    )}
  </fieldset>
  ${routing.groups.length > 1
    ? html`<fieldset><legend>Order of our groups (requests roll over to the first, then the next)</legend>
    ${routing.groups.map(
      (g, i) => html`<div class="field inline-field"><label for="order-${g.id}">Position of ${g.name}</label>
      <input id="order-${g.id}" name="order:${g.id}" type="number" min="1" max="${routing.groups.length}" value="${i + 1}" ${invalid("groupOrder")}></div>`,
    )}</fieldset>`
    : routing.groups.length === 1
      ? html`<p>Our group: <a href="/groups/${routing.groups[0]!.id}">${routing.groups[0]!.name}</a>.</p>`
      : html`<p>We are not a member of any group yet.</p>`}
  <button type="submit" class="primary">Save routing settings</button>
</form></section>
<section aria-labelledby="inv-h"><h2 id="inv-h">Invitations to join a group</h2>
${invitations.length === 0
  ? html`<p>No pending invitations.</p>`
  : html`<ul class="invitations">${invitations.map(
      (i) => html`<li><form method="post" action="/admin/cooperation/join" class="inline"><input type="hidden" name="groupId" value="${i.groupId}">
      ${i.groupName} invited ${i.libraryName}. <button type="submit" class="primary">Join ${i.groupName}</button></form></li>`,
    )}</ul>`}
</section>
<section aria-labelledby="groups-h"><h2 id="groups-h">Our groups</h2>
<ul>${routing.groups.map((g) => html`<li><a href="/groups/${g.id}">${g.name}</a></li>`)}</ul></section>`,
    },
    notice?.kind === "error" ? 400 : 200,
  );
}

coopAdminPageRoutes.get("/admin/cooperation", documentedPage({
  summary: "A library's cooperation settings",
  description: "The library's routing settings and its invitations to groups (plain HTML forms).",
  who: LIBRARY_COOPERATION,
}), librarianPage((c, librarian) => libraryAdminPage(c, librarian, null)));

coopAdminPageRoutes.post(
  "/admin/cooperation/routing",
  documentedPage({
    summary: "Save routing settings (form post)",
    description: "Saves routing settings (`routingSettingsSchema`); the page again with a notice.",
    who: LIBRARY_COOPERATION_POST,
  }),
  librarianPage(async (c, librarian) => {
    assertLibraryAdmin(librarian, librarian.libraryId, "its settings");
    const form = await asForm(c);
    const notice = await formAction(async () => {
      const order = Object.entries(form)
        .filter(([k]) => k.startsWith("order:"))
        .map(([k, v]) => ({ id: k.slice(6), position: Number(one(v)) }));
      if (new Set(order.map((o) => o.position)).size !== order.length) throw new ApiError(400, "validation_failed", "Give each group a different position.", "groupOrder");
      const body = validate(routingSettingsSchema, {
        rolloverSeconds: one(form.rolloverSeconds),
        overflowMode: one(form.overflowMode),
        groupOrder: order.length ? order.sort((a, b) => a.position - b.position).map((o) => o.id) : undefined,
      });
      await saveRoutingSettings(c.env.DB, librarian.libraryId, body);
      return "Routing settings saved.";
    });
    return libraryAdminPage(c, librarian, notice);
  }),
);

coopAdminPageRoutes.post(
  "/admin/cooperation/join",
  documentedPage({
    summary: "Join a group (form post)",
    description: "Joins a group the library is invited to; the page again with a notice.",
    who: LIBRARY_COOPERATION_POST,
  }),
  librarianPage(async (c, librarian) => {
    const form = await asForm(c);
    const notice = await formAction(async () => {
      const groupId = one(form.groupId);
      await joinGroup(c.env.DB, librarian, groupId);
      return `${librarian.libraryName} is now a member of the group.`;
    });
    return libraryAdminPage(c, librarian, notice);
  }),
);

// ---- /admin/groups/:groupId/cooperation ---------------------------------------------------------

const BLANK_SHIFT_ROWS = 3;
/** The period of the unstaffed-hours list on the page (the API takes others). */
const GAP_DAYS_SHOWN = 7;

async function groupAdminPage(c: Context<AppEnv>, librarian: Librarian, groupId: string, notice: Notice, submittedShifts?: ShiftRow[]) {
  await assertGroupAdmin(c.env.DB, librarian, groupId);
  const group = await findGroup(c.env.DB, groupId);
  const members = await memberLibraries(c.env.DB, groupId);
  const invitations = await pendingInvitations(c.env.DB, { groupId });
  const stored = await loadShifts(c.env.DB, groupId);
  const rows: ShiftRow[] = submittedShifts ?? stored.map((s) => ({ libraryId: s.libraryId, weekday: String(s.weekday), start: s.start, end: s.end, endsNextDay: s.endsNextDay, timeZone: s.timeZone, remove: false }));
  const allRows = [...rows, ...Array.from({ length: BLANK_SHIFT_ROWS }, () => ({ libraryId: "", weekday: "", start: "", end: "", endsNextDay: false, timeZone: "", remove: false }))];
  const days = Number(c.req.query("days") ?? "30");
  const period = Number.isInteger(days) && days >= 1 && days <= 366 ? days : 30;
  const to = Date.now() + 1;
  const contrib = await contribution(c.env.DB, groupId, to - period * 24 * 3600_000, to);
  const groupPage = await loadGroupPage(c.env.DB, groupId);
  const zone = (await libraryTimeZone(c.env.DB, librarian.libraryId)) ?? "UTC";
  const [gaps, preferScheduled] = await Promise.all([coverageGaps(c.env, groupId, Date.now() - GAP_DAYS_SHOWN * 24 * 3600_000, Date.now(), zone), prefersScheduled(c.env.DB, groupId)]);
  const invalid = (field: string) => (notice?.kind === "error" && notice.field !== undefined && (notice.field === field || notice.field.startsWith(`${field}.`)) ? html`aria-invalid="true" aria-describedby="form-error"` : "");
  return coopPage(
    c,
    {
      title: `Administer ${group!.name}`,
      scripts: ["/build/policies.js"],
      body: html`<p class="breadcrumb"><a href="/groups/${groupId}">The group's page</a></p>
<h1>Administer ${group!.name}</h1>
${noticeBlock(notice)}
<section aria-labelledby="members-h"><h2 id="members-h">Members</h2>
<ul>${members.map((m) => html`<li><a href="/policies/${m.id}">${m.name}</a> (${m.timeZone})</li>`)}</ul>
<form method="post" action="/admin/groups/${groupId}/cooperation/invite" class="inline-form">
  <label for="invite-library">Invite a library (its id)</label>
  <input id="invite-library" name="libraryId" type="text" required ${invalid("libraryId")}>
  <button type="submit">Invite</button>
</form>
${invitations.length ? html`<h3>Waiting for an answer</h3><ul>${invitations.map((i) => html`<li>${i.libraryName}</li>`)}</ul>` : ""}
</section>
<section aria-labelledby="schedule-h"><h2 id="schedule-h">Coverage schedule</h2>
<p class="help">Which member staffs the cooperative queue when. Times are on the staffing library's clock (its time zone unless you name another) and stay put across daylight saving. Shifts may not overlap; for a shift past midnight, tick “ends the next day”.</p>
<form method="post" action="/admin/groups/${groupId}/cooperation/schedule">
  <input type="hidden" name="rows" value="${allRows.length}">
  <table class="schedule-editor"><caption>Weekly shifts</caption>
  <thead><tr><th scope="col">Library</th><th scope="col">Day</th><th scope="col">Starts</th><th scope="col">Ends</th><th scope="col">Ends the next day</th><th scope="col">Time zone</th><th scope="col">Remove</th></tr></thead>
  <tbody>${allRows.map((r, i) => {
    const n = i + 1;
    return html`<tr>
    <td><label class="visually-hidden" for="s${i}-lib">Shift ${n}: library</label><select id="s${i}-lib" name="s${i}-library" ${invalid(`shifts.${i}`)}><option value="">—</option>${members.map((m) => html`<option value="${m.id}" ${m.id === r.libraryId ? "selected" : ""}>${m.name}</option>`)}</select></td>
    <td><label class="visually-hidden" for="s${i}-day">Shift ${n}: day</label><select id="s${i}-day" name="s${i}-weekday"><option value="">—</option>${WEEKDAYS.map((d, k) => html`<option value="${k + 1}" ${String(k + 1) === r.weekday ? "selected" : ""}>${d}</option>`)}</select></td>
    <td><label class="visually-hidden" for="s${i}-start">Shift ${n}: starts</label><input id="s${i}-start" name="s${i}-start" type="time" value="${r.start}" ${invalid(`shifts.${i}.start`)}></td>
    <td><label class="visually-hidden" for="s${i}-end">Shift ${n}: ends</label><input id="s${i}-end" name="s${i}-end" type="time" value="${r.end === "24:00" ? "00:00" : r.end}" ${invalid(`shifts.${i}.end`)}></td>
    <td><input id="s${i}-next" name="s${i}-next" type="checkbox" ${r.endsNextDay ? "checked" : ""}><label class="visually-hidden" for="s${i}-next">Shift ${n}: ends the next day</label></td>
    <td><label class="visually-hidden" for="s${i}-zone">Shift ${n}: time zone</label><input id="s${i}-zone" name="s${i}-zone" type="text" value="${r.timeZone}" placeholder="library's own" ${invalid(`shifts.${i}.timeZone`)}></td>
    <td><input id="s${i}-remove" name="s${i}-remove" type="checkbox" ${r.remove ? "checked" : ""}><label class="visually-hidden" for="s${i}-remove">Shift ${n}: remove</label></td>
  </tr>`;
  })}</tbody></table>
  <button type="submit" class="primary">Save the schedule</button>
</form>
<form method="post" action="/admin/groups/${groupId}/cooperation/routing" class="stack">
  <div class="checkbox"><input id="prefer-scheduled" name="rolloverPrefersScheduled" type="checkbox" ${preferScheduled ? "checked" : ""} aria-describedby="prefer-scheduled-help">
  <label for="prefer-scheduled">When a request rolls over to the cooperative, offer it first to the library whose shift it is</label></div>
  <p class="help" id="prefer-scheduled-help">The scheduled library's own librarians see it in their library's queue; everyone on the cooperative's queue sees it at the next roll-over (at once when nobody there is monitoring).</p>
  <button type="submit">Save the roll-over setting</button>
</form>
<h3 id="gaps-h">Scheduled but unstaffed, last ${GAP_DAYS_SHOWN} days</h3>
${gaps.length === 0
  ? html`<p>Every scheduled hour was staffed by its library.</p>`
  : html`<table class="coverage-gaps" aria-labelledby="gaps-h"><thead><tr><th scope="col">When (${zone})</th><th scope="col">Scheduled library</th><th scope="col">Minutes nobody from it was monitoring</th></tr></thead>
  <tbody>${gaps.map((g) => html`<tr><td><time datetime="${g.startsAt}">${g.local}</time></td><td>${g.libraryName}</td><td>${g.minutes}</td></tr>`)}</tbody></table>`}
</section>
<section aria-labelledby="contrib-h"><h2 id="contrib-h">Contribution, last ${period} days</h2>
<table class="contribution"><caption>Chats answered across the group (practice and spam left out)</caption>
<thead><tr><th scope="col">Library</th><th scope="col">Answered for other members</th><th scope="col">Its patrons answered by other members</th><th scope="col">Answered by itself</th></tr></thead>
<tbody>${contrib.map((m) => html`<tr><th scope="row">${m.libraryName}</th><td>${m.answeredForOthers}</td><td>${m.answeredByOthers}</td><td>${m.answeredOwn}</td></tr>`)}</tbody></table>
<form method="get" action="/admin/groups/${groupId}/cooperation" class="inline-form"><label for="days">Period in days</label><input id="days" name="days" type="number" min="1" max="366" value="${period}"><button type="submit">Show</button></form>
</section>
<section aria-labelledby="gp-h"><h2 id="gp-h">The group's page</h2>
<form method="post" action="/admin/groups/${groupId}/cooperation/page" class="stack">
  <div class="field"><label for="group-body" id="group-body-label">Cooperative rules, shown to every member's librarians</label>
  <textarea id="group-body" name="body" rows="8" maxlength="${POLICY_LIMITS.sectionChars}" data-rich-text ${invalid("body")}>${groupPage.body}</textarea></div>
  <button type="submit" class="primary">Save the group's page</button>
</form></section>`,
    },
    notice?.kind === "error" ? 400 : 200,
  );
}

interface ShiftRow {
  libraryId: string;
  weekday: string;
  start: string;
  end: string;
  endsNextDay: boolean;
  timeZone: string;
  remove: boolean;
}

function shiftRowsOf(form: Record<string, string | string[] | undefined>): ShiftRow[] {
  const count = Math.min(Number(one(form.rows)) || 0, 500);
  const rows: ShiftRow[] = [];
  for (let i = 0; i < count; i++) {
    const row: ShiftRow = {
      libraryId: one(form[`s${i}-library`]),
      weekday: one(form[`s${i}-weekday`]),
      start: one(form[`s${i}-start`]),
      end: one(form[`s${i}-end`]),
      endsNextDay: one(form[`s${i}-next`]) === "on",
      timeZone: one(form[`s${i}-zone`]).trim(),
      remove: one(form[`s${i}-remove`]) === "on",
    };
    if (row.libraryId || row.weekday || row.start || row.end) rows.push(row);
  }
  return rows;
}

const groupIdOf = (c: Context<AppEnv>) => {
  const id = c.req.param("groupId") ?? "";
  if (!slugSchema.safeParse(id).success) throw notFound("Group");
  return id;
};

coopAdminPageRoutes.get("/admin/groups/:groupId/cooperation", documentedPage({
  summary: "A group's cooperation page",
  description: "A group's members, invitations, coverage schedule, page and contribution.",
  who: GROUP_COOPERATION,
  params: PARAMS.coopGroupId,
  query: { days: "The contribution report's period, in days." },
}), librarianPage((c, librarian) => groupAdminPage(c, librarian, groupIdOf(c), null)));

coopAdminPageRoutes.post(
  "/admin/groups/:groupId/cooperation/schedule",
  documentedPage({
    summary: "Replace the schedule (form post)",
    description: "Replaces the schedule (`scheduleSchema`).",
    who: GROUP_COOPERATION_POST,
    params: PARAMS.coopGroupId,
  }),
  librarianPage(async (c, librarian) => {
    const groupId = groupIdOf(c);
    await assertGroupAdmin(c.env.DB, librarian, groupId);
    const rows = shiftRowsOf(await asForm(c));
    const kept = rows.filter((r) => !r.remove);
    const notice = await formAction(async () => {
      // A time input's midnight (00:00) as a same-day end means 24:00.
      const shifts = kept.map((r) => ({ ...r, end: r.end === "00:00" && !r.endsNextDay ? "24:00" : r.end, timeZone: r.timeZone || undefined }));
      await replaceSchedule(c.env.DB, groupId, validate(scheduleSchema, { shifts }));
      return "Schedule saved.";
    });
    return groupAdminPage(c, librarian, groupId, notice, notice?.kind === "error" ? kept : undefined);
  }),
);

coopAdminPageRoutes.post(
  "/admin/groups/:groupId/cooperation/routing",
  documentedPage({
    summary: "Change the group's roll-over setting (form post)",
    description: "Turns offering a rolling-over request to the library scheduled now first on or off (`groupRoutingSchema`).",
    who: GROUP_COOPERATION_POST,
    params: PARAMS.coopGroupId,
  }),
  librarianPage(async (c, librarian) => {
    const groupId = groupIdOf(c);
    await assertGroupAdmin(c.env.DB, librarian, groupId);
    const form = await asForm(c);
    const notice = await formAction(async () => {
      const body = validate(groupRoutingSchema, { rolloverPrefersScheduled: one(form.rolloverPrefersScheduled) });
      await setPrefersScheduled(c.env.DB, groupId, body.rolloverPrefersScheduled);
      return body.rolloverPrefersScheduled ? "Requests rolling over go to the library scheduled now first." : "Requests rolling over go to the whole cooperative at once.";
    });
    return groupAdminPage(c, librarian, groupId, notice);
  }),
);

coopAdminPageRoutes.post(
  "/admin/groups/:groupId/cooperation/invite",
  documentedPage({
    summary: "Invite a library (form post)",
    description: "Invites a library.",
    who: GROUP_COOPERATION_POST,
    params: PARAMS.coopGroupId,
  }),
  librarianPage(async (c, librarian) => {
    const groupId = groupIdOf(c);
    const form = await asForm(c);
    const notice = await formAction(async () => {
      const { libraryId } = validate(inviteLibrarySchema, { libraryId: one(form.libraryId).trim() });
      const invitation = await inviteLibrary(c.env.DB, librarian, groupId, libraryId);
      return `${invitation.libraryName} has been invited. Its administrator accepts on their settings page.`;
    });
    return groupAdminPage(c, librarian, groupId, notice);
  }),
);

coopAdminPageRoutes.post(
  "/admin/groups/:groupId/cooperation/page",
  documentedPage({
    summary: "Save the group's page (form post)",
    description: "Saves the group's page.",
    who: GROUP_COOPERATION_POST,
    params: PARAMS.coopGroupId,
  }),
  librarianPage(async (c, librarian) => {
    const groupId = groupIdOf(c);
    await assertGroupAdmin(c.env.DB, librarian, groupId);
    const form = await asForm(c);
    const notice = await formAction(async () => {
      await saveGroupPage(c.env.DB, groupId, one(form.body), librarian.id);
      return "The group's page is saved.";
    });
    return groupAdminPage(c, librarian, groupId, notice);
  }),
);

// ---- /feedback -----------------------------------------------------------------------

const FEEDBACK_WINDOW_MS = 90 * 24 * 3600_000;

function feedbackList(entries: FeedbackEntry[], whose: "about-me" | "given"): Html {
  if (entries.length === 0) return html`<p>None yet.</p>`;
  return html`<ul class="feedback-list">${entries.map(
    (f) => html`<li><p><strong>${FEEDBACK_RATING_LABELS[f.rating]}</strong> — ${whose === "about-me" ? `from ${f.homeLibraryName}` : `about ${f.answeringLibrarianName ?? "a librarian"} of ${f.answeringLibraryName}`},
      ${new Date(f.createdAt).toISOString().slice(0, 10)}</p>
    <p class="question">Question: ${f.question}</p>${f.comment ? html`<blockquote>${f.comment}</blockquote>` : ""}</li>`,
  )}</ul>`;
}

async function feedbackPage(c: Context<AppEnv>, librarian: Librarian, notice: Notice) {
  const [aboutMe, given, toRate] = await Promise.all([
    feedbackAboutMe(c.env.DB, librarian),
    feedbackGiven(c.env.DB, librarian),
    sessionsAnsweredByPartners(c.env.DB, librarian, Date.now() - FEEDBACK_WINDOW_MS),
  ]);
  const unrated = toRate.filter((s) => !s.rated);
  return coopPage(
    c,
    {
      title: "Cooperative feedback",
      body: html`<h1>Cooperative feedback</h1>
${noticeBlock(notice)}
<section aria-labelledby="me-h"><h2 id="me-h">About the chats you answered for other libraries</h2>${feedbackList(aboutMe, "about-me")}</section>
<section aria-labelledby="rate-h"><h2 id="rate-h">Our patrons' chats answered by partner libraries</h2>
${unrated.length === 0
  ? html`<p>Nothing waiting for feedback.</p>`
  : html`<ul class="to-rate">${unrated.map(
      (s) => html`<li><form method="post" action="/feedback" class="stack">
      <input type="hidden" name="sessionId" value="${s.sessionId}">
      <p>${s.librarianName ?? "A librarian"} of ${s.answeringLibraryName} answered: “${s.question}”</p>
      <fieldset><legend>Rating for the chat “${s.question.slice(0, 60)}”</legend>
      ${FEEDBACK_RATINGS.map((r) => html`<div class="radio"><input type="radio" id="r-${s.sessionId}-${r}" name="rating" value="${r}"><label for="r-${s.sessionId}-${r}">${FEEDBACK_RATING_LABELS[r]}</label></div>`)}
      </fieldset>
      <div class="field"><label for="c-${s.sessionId}">Comment for the answering librarian (optional)</label><textarea id="c-${s.sessionId}" name="comment" rows="2" maxlength="2000"></textarea></div>
      <button type="submit">Send feedback</button></form></li>`,
    )}</ul>`}
</section>
<section aria-labelledby="given-h"><h2 id="given-h">Feedback our library has given</h2>${feedbackList(given, "given")}</section>`,
    },
    notice?.kind === "error" ? 400 : 200,
  );
}

coopAdminPageRoutes.get("/feedback", documentedPage({
  summary: "Feedback",
  description: "Feedback about your chats, your library's feedback about partners, and chats to rate.",
  who: SIGNED_IN_PAGE,
}), librarianPage((c, librarian) => feedbackPage(c, librarian, null)));

coopAdminPageRoutes.post(
  "/feedback",
  documentedPage({
    summary: "Leave feedback (form post)",
    description: "Leaves feedback (`feedbackSchema`); the page again with a notice.",
    who: signedIn("Librarian of the chat's home library, same origin"),
  }),
  librarianPage(async (c, librarian) => {
    const form = await asForm(c);
    const notice = await formAction(async () => {
      await leaveFeedback(c.env.DB, librarian, validate(feedbackSchema, { sessionId: one(form.sessionId), rating: one(form.rating) || undefined, comment: one(form.comment) }));
      return "Thank you: your feedback was sent to the answering librarian.";
    });
    return feedbackPage(c, librarian, notice);
  }),
);
