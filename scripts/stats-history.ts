/**
 * A deterministic, realistic history of ended chats and monitoring for
 * statistics: each library staffs its desk in its opening hours (now and then
 * a stretch goes unstaffed), partners staff the cooperative's queue in the
 * evening shifts of its schedule, and patrons ask more at midday than at
 * night. A request is answered at home when the desk is staffed (waits grow
 * with the hour's load), rolls over to the cooperative when it is not and a
 * partner is on its shift, and is turned away when nobody is there; some
 * patrons give up while waiting. Codes, ratings, sites and a few comments
 * follow.
 *
 * Chats become facts through the product's own code (factOf), and the
 * cooperative and coverage rollups are added up with the very contributions
 * filing and the presence catch-up write — so the demo (`npm start`) and the
 * statistics benchmark (bench/stats.mjs) count exactly as the product does.
 * Bundled with esbuild and run by scripts/local-state.mjs and bench/stats.mjs.
 */
import type { EndedSession } from "../src/questions/ended-session";
import type { FiledResolution } from "../src/shared/codes";
import { contributions, RollupTotals, type RollupRow } from "../src/stats/contributions";
import { factOf, storedIds, type StatFact } from "../src/stats/fact";
import { DAY_MS, HOUR_MS, localCell, startOfLocalDay, weekdayOf } from "../src/stats/local-time";
import { mergePresence, presenceRows, type Interval, type PresenceRow, type Span } from "../src/stats/presence";

export interface PlanLibrary {
  id: string;
  timeZone: string;
  /** Librarian ids; the first ones staff the desk. */
  librarians: string[];
  /** The library site the Qwidget runs on. */
  site: string;
  /** Requests on an ordinary weekday. */
  dailyRequests: number;
  /** Desk hours (local): weekdays and weekends. */
  opens: number;
  closes: number;
  weekendOpens: number;
  weekendCloses: number;
}

export interface PlanShift {
  libraryId: string;
  /** 1 = Monday … 7 = Sunday, in the library's zone. */
  weekday: number;
  from: number;
  to: number;
}

export interface HistoryPlan {
  seed: number;
  /** Local days (days since 1970-01-01) the history covers, inclusive. */
  fromDay: number;
  toDay: number;
  /** Nothing later than this instant is generated (a day still going on is cut short). */
  untilMs: number;
  groupId: string;
  groupZone: string;
  libraries: PlanLibrary[];
  shifts: PlanShift[];
  /** Descriptive codes, most used first. */
  codes: string[];
  /** How many of the most recent rated chats carry a comment (kept in a chat_sessions row, as a real chat's is). */
  comments: number;
}

/** Where generated rows go: one call per row. */
export interface HistorySink {
  row(table: string, columns: readonly string[], values: readonly unknown[]): void;
}

const COMMENTS = [
  "Quick and friendly, thank you!",
  "Found exactly the article I needed.",
  "Took a while to get connected, but the help was great.",
  "The librarian walked me through the database step by step.",
  "Not what I hoped for, but I know where to look now.",
  "Very patient with my questions about my account.",
  "Helpful links, thanks.",
];

/** mulberry32: a small, fast, seeded generator (the same history on every machine). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Demand by local hour: little at night, a morning rise, a midday peak, a quieter evening. */
const HOUR_WEIGHT = [0.1, 0.05, 0.03, 0.03, 0.03, 0.05, 0.15, 0.35, 0.7, 1.0, 1.25, 1.4, 1.35, 1.3, 1.35, 1.25, 1.05, 0.9, 0.8, 0.75, 0.65, 0.5, 0.35, 0.2];
const HOUR_TOTAL = HOUR_WEIGHT.reduce((a, b) => a + b, 0);

const uuid = (rand: () => number) => {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** A count around `mean` (a Poisson draw; normal beyond 30). */
function countAround(mean: number, rand: () => number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * (rand() + rand() + rand() - 1.5) * 2));
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = rand(); p > limit; p *= rand()) k++;
  return k;
}

interface Staffed {
  librarianId: string;
  libraryId: string;
  queueId: string;
  from: number;
  to: number;
}

function pick<T>(xs: readonly T[], rand: () => number): T {
  return xs[Math.floor(rand() * xs.length)]!;
}

/** A Zipf-like pick: earlier items far more often. */
function zipf<T>(xs: readonly T[], rand: () => number): T {
  return xs[Math.min(xs.length - 1, Math.floor(xs.length * rand() ** 2.6))]!;
}

/**
 * Generates the history into `sink`: facts and their codes, monitoring
 * stretches, the cooperative's and the coverage rollups, the group's zone,
 * the presence cursor past the stretches written, and the comments' chats.
 * Returns how many chats and stretches it wrote.
 */
export function writeHistory(plan: HistoryPlan, sink: HistorySink): { chats: number; spans: number } {
  const rand = random(plan.seed);
  const zones = new Map([[plan.groupId, plan.groupZone]]);
  const groupQueue = `group:${plan.groupId}`;
  const totals = new RollupTotals();
  const presence = new Map<string, PresenceRow>();
  const lastRated: StatFact[] = [];
  let chats = 0;
  let spans = 0;

  const addPresence = (rows: PresenceRow[]) => {
    for (const r of rows) {
      const id = `${r.table}|${Object.values(r.key).join("|")}`;
      const known = presence.get(id);
      if (!known) presence.set(id, { table: r.table, key: r.key, values: { ...r.values } });
      else for (const [c, v] of Object.entries(r.values)) known.values[c] = (known.values[c] ?? 0) + v;
    }
  };
  const earlierOf = new Map<string, Interval[]>();
  const writeSpan = (s: Staffed) => {
    if (s.to <= s.from || s.from >= plan.untilMs) return;
    const span: Span = { queueId: s.queueId, librarianId: s.librarianId, libraryId: s.libraryId, startedAt: s.from, endedAt: Math.min(s.to, plan.untilMs) };
    const earlier = earlierOf.get(s.librarianId) ?? [];
    const libraryZone = plan.libraries.find((l) => l.id === s.libraryId)!.timeZone;
    addPresence(presenceRows(span, earlier.filter(([a, b]) => a < span.endedAt && b > span.startedAt), { libraryZone, groups: [{ groupId: plan.groupId, zone: plan.groupZone }] }));
    earlier.push([span.startedAt, span.endedAt]);
    earlierOf.set(s.librarianId, earlier.slice(-8));
    sink.row("monitoring_spans", ["id", "queue_id", "librarian_id", "library_id", "started_at", "ended_at"], [uuid(rand), span.queueId, span.librarianId, span.libraryId, span.startedAt, span.endedAt]);
    spans++;
  };

  for (let day = plan.fromDay; day <= plan.toDay; day++) {
    // Who is on the desk and on the cooperative's queue today, library by library (each in its own zone).
    const staffing: Staffed[] = [];
    for (const lib of plan.libraries) {
      const weekday = weekdayOf(day);
      const weekend = weekday >= 6;
      const [opens, closes] = weekend ? [lib.weekendOpens, lib.weekendCloses] : [lib.opens, lib.closes];
      const midnight = startOfLocalDay(lib.timeZone, day);
      const at = (hour: number) => midnight + hour * HOUR_MS;
      if (closes > opens) {
        const middle = Math.round((opens + closes) / 2);
        const first = lib.librarians[day % Math.min(2, lib.librarians.length)]!;
        const second = lib.librarians[(day + 1) % Math.min(2, lib.librarians.length)]!;
        // Now and then a stretch goes unstaffed (a meeting, illness): patrons are turned away or roll over.
        const gap = rand() < 0.12 ? opens + Math.floor(rand() * (closes - opens)) : -1;
        for (const [who, from, to] of [[first, opens, middle], [second, middle, closes]] as const) {
          if (gap >= from && gap < to) {
            staffing.push({ librarianId: who, libraryId: lib.id, queueId: `lib:${lib.id}`, from: at(from), to: at(gap) });
            staffing.push({ librarianId: who, libraryId: lib.id, queueId: `lib:${lib.id}`, from: at(gap + 1), to: at(to) });
          } else staffing.push({ librarianId: who, libraryId: lib.id, queueId: `lib:${lib.id}`, from: at(from) + Math.floor(rand() * 300_000), to: at(to) - Math.floor(rand() * 300_000) });
        }
        // Busy libraries put a second librarian on at midday; they watch the cooperative's queue too.
        if (lib.librarians.length > 2 && !weekend) {
          const helper = lib.librarians[2 + (day % (lib.librarians.length - 2))]!;
          staffing.push({ librarianId: helper, libraryId: lib.id, queueId: `lib:${lib.id}`, from: at(11), to: at(15) });
          staffing.push({ librarianId: helper, libraryId: lib.id, queueId: groupQueue, from: at(11), to: at(15) });
        }
      }
      for (const shift of plan.shifts.filter((s) => s.libraryId === lib.id && s.weekday === weekday)) {
        // A scheduled shift is sometimes missed: the schedule shows it as unstaffed.
        if (rand() < 0.08) continue;
        staffing.push({ librarianId: lib.librarians[(day + 1) % lib.librarians.length]!, libraryId: lib.id, queueId: groupQueue, from: at(shift.from), to: at(shift.to) });
      }
    }
    for (const s of staffing) writeSpan(s);

    // Rows of days no chat or stretch can still reach are written as the history goes (a year of rollups would not fit in memory).
    writeRollups(sink, totals.takeBefore(day - 2));
    writePresence(sink, takePresenceBefore(presence, day - 2));
    for (const lib of plan.libraries) {
      const midnight = startOfLocalDay(lib.timeZone, day);
      const weekend = weekdayOf(day) >= 6;
      for (let hour = 0; hour < 24; hour++) {
        const expected = (lib.dailyRequests * (weekend ? 0.45 : 1) * HOUR_WEIGHT[hour]!) / HOUR_TOTAL;
        const n = countAround(expected, rand);
        for (let i = 0; i < n; i++) {
          const createdAt = midnight + hour * HOUR_MS + Math.floor(rand() * HOUR_MS);
          if (createdAt >= plan.untilMs - 3_600_000) continue;
          const home = staffing.filter((s) => s.libraryId === lib.id && s.queueId === `lib:${lib.id}` && s.from <= createdAt && createdAt < s.to);
          const coop = staffing.filter((s) => s.queueId === groupQueue && s.from <= createdAt && createdAt < s.to);
          const load = expected / Math.max(1, home.length);
          const queueIds = [`lib:${lib.id}`];
          let librarian: Staffed | null = null;
          let turnedAway = false;
          let waitS = 0;
          if (home.length > 0 && rand() > 0.04 + load * 0.01) {
            librarian = pick(home, rand);
            waitS = Math.round((8 + load * 9) * -Math.log(1 - rand() * 0.97));
          } else if (home.length === 0 && coop.length > 0) {
            queueIds.push(groupQueue);
            if (rand() > 0.07) {
              librarian = pick(coop, rand);
              waitS = Math.round(45 + 30 * -Math.log(1 - rand() * 0.97));
            }
          } else if (home.length === 0) {
            turnedAway = true;
          }
          const answered = librarian !== null;
          const roll = rand();
          const resolution: FiledResolution = answered
            ? roll < 0.76 ? "answered" : roll < 0.82 ? "followup_by_me" : roll < 0.88 ? "followup_by_library" : roll < 0.91 ? "auto_ended" : roll < 0.95 ? "lost_call" : roll < 0.99 ? "answered" : roll < 0.995 ? "practice" : "spam"
            : roll < 0.45 ? "followup_by_library" : "lost_call";
          const acceptedAt = answered ? createdAt + waitS * 1000 : null;
          const lengthMs = answered ? Math.round(Math.exp(Math.log(420) + 0.75 * (rand() + rand() + rand() - 1.5) * 1.6) * 1000) : Math.round((20 + rand() * 240) * 1000);
          const endedAt = (acceptedAt ?? createdAt) + (resolution === "auto_ended" ? 30 * 60_000 + lengthMs : lengthMs);
          const codeCount = answered && resolution !== "spam" ? Math.floor(rand() * 3.2) : 0;
          const codes = [...new Set(Array.from({ length: codeCount }, () => zipf(plan.codes, rand)))];
          const origin = rand() < 0.65 ? lib.site : null;
          const rated = answered && resolution !== "practice" && resolution !== "spam" && rand() < 0.16;
          const rating = rated ? (waitS < 60 ? [5, 5, 5, 4, 4, 4, 3, 2] : [5, 4, 4, 3, 3, 2, 1])[Math.floor(rand() * (waitS < 60 ? 8 : 7))]! : null;
          const ended: EndedSession = {
            sessionId: uuid(rand),
            libraryId: lib.id,
            question: "",
            patronName: null,
            patronEmail: null,
            transcriptOptOut: true,
            librarian: librarian ? { id: librarian.librarianId, name: "", libraryId: librarian.libraryId } : null,
            resolution,
            descriptiveCodes: codes,
            note: null,
            source: !answered && resolution === "followup_by_library" && turnedAway ? "email" : "chat",
            messages: [],
            createdAt,
            acceptedAt,
            endedAt,
            facts: {
              formId: `${lib.id}-chat`,
              homeQueueId: queueIds[0]!,
              queueIds,
              acceptedQueueId: librarian ? librarian.queueId : null,
              patronOrigin: origin,
              turnedAway,
              endedAutomatically: resolution === "auto_ended",
              patronMessages: 1 + Math.floor(rand() * 8),
              librarianMessages: answered ? 1 + Math.floor(rand() * 10) : 0,
            },
          };
          const groups = [plan.groupId];
          const fact = factOf(ended, rating, groups);
          writeFact(sink, fact);
          totals.add(contributions(fact, zones));
          if (rated && plan.comments > 0) {
            lastRated.push(fact);
            if (lastRated.length > plan.comments * 4) lastRated.splice(0, lastRated.length - plan.comments * 4);
          }
          chats++;
        }
      }
    }
  }

  // A few of the latest rated chats carry a comment, kept with the chat itself (and gone with its retention).
  lastRated
    .filter((_, i) => i % 4 === 0)
    .slice(-plan.comments)
    .forEach((fact, i) => {
      sink.row(
        "chat_sessions",
        ["id", "library_id", "form_id", "queue_id", "status", "question", "librarian_id", "answering_library_id", "resolution_code", "descriptive_codes", "rating", "rating_comment", "created_at", "accepted_at", "ended_at"],
        [fact.sessionId, fact.libraryId, fact.formId, fact.homeQueueId, "ended", "(demo history)", fact.librarianId, fact.answeringLibraryId, fact.resolution, JSON.stringify(fact.codes), fact.rating, COMMENTS[i % COMMENTS.length], fact.createdAt, fact.acceptedAt, fact.endedAt],
      );
    });

  writeRollups(sink, totals.all());
  writePresence(sink, [...presence.values()]);
  sink.row("stat_group_zones", ["group_id", "time_zone", "chosen_at"], [plan.groupId, plan.groupZone, plan.fromDay * DAY_MS]);
  return { chats, spans };
}

const FACT_COLUMNS = [
  "session_id", "library_id", "answering_library_id", "librarian_id", "form_id", "home_queue_id", "accepted_queue_id", "queue_ids", "queue_count", "patron_origin", "source", "outcome",
  "resolution", "codes", "ended_automatically", "left_out", "created_at", "accepted_at", "ended_at", "wait_ms", "duration_ms", "wait_bin", "duration_bin", "patron_messages",
  "librarian_messages", "rating", "group_ids", "counted", "version",
] as const;

function writeFact(sink: HistorySink, f: StatFact): void {
  sink.row("stat_chats", FACT_COLUMNS, [
    f.sessionId, f.libraryId, f.answeringLibraryId, f.librarianId, f.formId, f.homeQueueId, f.acceptedQueueId, storedIds(f.queueIds), f.queueCount, f.patronOrigin, f.source, f.outcome,
    f.resolution, JSON.stringify(f.codes), f.endedAutomatically ? 1 : 0, f.leftOut ? 1 : 0, f.createdAt, f.acceptedAt, f.endedAt, f.waitMs, f.durationMs, f.waitBin, f.durationBin, f.patronMessages,
    f.librarianMessages, f.rating, storedIds(f.groupIds), 1, 0,
  ]);
  for (const code of f.codes) sink.row("stat_chat_codes", ["session_id", "code"], [f.sessionId, code]);
}

/** Takes out the presence rows of local days before `day`. */
function takePresenceBefore(presence: Map<string, PresenceRow>, day: number): PresenceRow[] {
  const out: PresenceRow[] = [];
  for (const [id, row] of presence) {
    if (Number(row.key.local_day) < day) {
      out.push(row);
      presence.delete(id);
    }
  }
  return out;
}

function writePresence(sink: HistorySink, rows: PresenceRow[]): void {
  for (const r of mergePresence(rows)) sink.row(r.table, [...Object.keys(r.key), ...Object.keys(r.values)], [...Object.values(r.key), ...Object.values(r.values)]);
}

function writeRollups(sink: HistorySink, rows: RollupRow[]): void {
  for (const r of rows) sink.row(r.table, [...Object.keys(r.key), ...Object.keys(r.values)], [...Object.values(r.key), ...Object.values(r.values)]);
}

/** The local day of an instant in a zone (for callers choosing a range). */
export const dayIn = (zone: string, ms: number) => localCell(zone, ms).day;
