/**
 * The request and frame schemas on their own, at their edges (plain Node, no
 * runtime): every schema exported by src/shared/*-api.ts and every client
 * frame union of src/shared/protocol.ts, found by walking the modules (a new
 * schema is covered without a list), judges any value — edge values drawn
 * from its own JSON Schema, and arbitrary JSON — without throwing (a throw in
 * a refinement is a 500 in the route); the co-browse stream guard judges page
 * events of any JSON shape without throwing (a throw drops the frame
 * unanswered); every day the question search accepts has a start and an end
 * in every time zone; every time the schedule accepts is a time of day.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CALENDAR_DATES, JSON_SHAPES, TIME_TEXTS, TIME_ZONE_TEXTS, dateText } from "../../bench/hostile/properties/edge-values";
import { probing, type JsonSchema } from "../../bench/hostile/properties/schema-values";
import { newNodeKinds, streamProblem } from "../../src/cobrowse/stream-guard";
import { parseMinute } from "../../src/coverage/schedule";
import { endOfDay, startOfDay } from "../../src/questions/dates";
import * as adminApi from "../../src/shared/admin-api";
import * as api from "../../src/shared/api";
import * as coopApi from "../../src/shared/coop-api";
import { ERROR_CODES, cobrowseClientMessageSchema, parseFrame, queueClientMessageSchema, sessionClientMessageSchema } from "../../src/shared/protocol";
import { questionListQuerySchema } from "../../src/shared/questions-api";
import * as questionsApi from "../../src/shared/questions-api";

const SEED = 20_260_303;
const noFixtures = () => [];

/** Every zod schema a module exports, by name. */
const schemasOf = (module: Record<string, unknown>, prefix: string) =>
  Object.entries(module)
    .filter((entry): entry is [string, z.ZodType] => entry[1] instanceof z.ZodType)
    .map(([name, schema]) => [`${prefix}.${name}`, schema] as const);

const SCHEMAS = [...schemasOf(api, "api"), ...schemasOf(adminApi, "admin-api"), ...schemasOf(coopApi, "coop-api"), ...schemasOf(questionsApi, "questions-api")];
const FRAMES: [string, z.ZodType][] = [
  ["session", sessionClientMessageSchema],
  ["queue", queueClientMessageSchema],
  ["cobrowse", cobrowseClientMessageSchema],
];

const jsonSchemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;

describe("every request schema judges any value without throwing", () => {
  it("finds the schemas by walking the modules", () => {
    expect(SCHEMAS.length).toBeGreaterThan(30);
  });

  it.each(SCHEMAS)("%s", (_name, schema) => {
    const values = fc.oneof({ arbitrary: probing(jsonSchemaOf(schema), noFixtures), weight: 3 }, { arbitrary: fc.jsonValue(), weight: 1 });
    fc.assert(
      fc.property(values, (value) => {
        const parsed = schema.safeParse(value);
        if (!parsed.success) expect(parsed.error.issues.length).toBeGreaterThan(0);
      }),
      { numRuns: 40, seed: SEED },
    );
  });
});

describe("every client frame is parsed or refused with a known code, never thrown", () => {
  it.each(FRAMES)("%s socket", (_name, schema) => {
    const text = fc.oneof(
      probing(jsonSchemaOf(schema), noFixtures).map((v) => JSON.stringify(v) ?? "null"),
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.jsonValue().map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(text, (raw) => {
        const parsed = parseFrame(schema, raw);
        if (!parsed.ok) {
          expect(ERROR_CODES).toContain(parsed.error.code);
          expect(parsed.error.message.length).toBeGreaterThan(5);
        }
      }),
      { numRuns: 100, seed: SEED },
    );
  });
});

describe("the co-browse stream guard", () => {
  it("judges page events of any JSON shape without throwing", () => {
    // rrweb's node shape, with every field any JSON — objects whose toString is not a function among them.
    const unprintable = fc.constantFrom<unknown>({ toString: 1 }, { toString: "x", valueOf: {} });
    const any = fc.oneof(unprintable, fc.constantFrom(...JSON_SHAPES), fc.jsonValue({ maxDepth: 2 }));
    const { node } = fc.letrec((tie) => ({
      node: fc.record({
        type: fc.oneof(fc.constant<unknown>(2), any),
        id: fc.oneof(fc.nat({ max: 20 }), any),
        tagName: fc.oneof(fc.constantFrom<unknown>("input", "textarea", "select"), any),
        attributes: fc.oneof(fc.dictionary(fc.constantFrom("type", "value", "autocomplete", "checked"), any, { maxKeys: 4 }), any),
        childNodes: fc.oneof({ depthSize: "small" }, any, fc.array(tie("node"), { maxLength: 3 })),
      }),
    }));
    const event = fc.record({
      type: fc.constantFrom(2, 3, 4),
      data: fc.oneof({ arbitrary: any, weight: 1 }, { weight: 4, arbitrary: fc.record({ node, source: fc.constantFrom<unknown>(0, 5, "0"), adds: fc.oneof(any, fc.array(fc.record({ node }), { maxLength: 2 })), id: fc.oneof(fc.nat({ max: 20 }), any), text: any }) }),
    });
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 4 }), (events) => {
        const problem = streamProblem(events, newNodeKinds());
        expect(problem === null || typeof problem === "string").toBe(true);
      }),
      { numRuns: 300, seed: SEED },
    );
  });
});

/** Whether YYYY-MM-DD names a real day of the proleptic Gregorian calendar. */
function isRealDay(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

describe("the question search's days", () => {
  const zones = fc.constantFrom(...TIME_ZONE_TEXTS.slice(0, 10), "America/Chicago", "Europe/Berlin", "Australia/Sydney", "America/Santiago", "Asia/Gaza");

  it("accepts exactly the real days from 0000-01-01 to 9999-12-31", () => {
    fc.assert(
      fc.property(dateText(), (day) => {
        expect(questionListQuerySchema.safeParse({ from: day }).success, day).toBe(isRealDay(day));
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it("gives every accepted day a start and an end in every time zone: finite, in order, at most a day and a half apart, the end the next day's start", () => {
    const day = fc.oneof(fc.constantFrom(...CALENDAR_DATES), dateText().filter(isRealDay), fc.date({ min: new Date("0000-01-01T00:00:00Z"), max: new Date("9999-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)));
    fc.assert(
      fc.property(day, zones, (d, zone) => {
        const start = startOfDay(d, zone);
        const end = endOfDay(d, zone);
        expect(Number.isFinite(start) && Number.isFinite(end), `${d} in ${zone}`).toBe(true);
        expect(end, `${d} in ${zone}`).toBeGreaterThanOrEqual(start);
        expect(end - start, `${d} in ${zone}`).toBeLessThanOrEqual(36 * 3600_000);
        const [y, m, dd] = d.split("-").map(Number) as [number, number, number];
        const next = new Date(0);
        next.setUTCFullYear(y, m - 1, dd + 1);
        if (next.getUTCFullYear() <= 9999) expect(startOfDay(next.toISOString().slice(0, 10), zone)).toBe(end);
      }),
      { numRuns: 300, seed: SEED },
    );
  });
});

describe("the coverage schedule's times", () => {
  it("accepts a start or an end only when it is a time of day from 00:00 to 24:00", () => {
    const time = fc.oneof(fc.constantFrom(...TIME_TEXTS), fc.tuple(fc.integer({ min: 0, max: 29 }), fc.integer({ min: 0, max: 99 })).map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`));
    fc.assert(
      fc.property(time, time, (start, end) => {
        const parsed = coopApi.scheduleSchema.safeParse({ shifts: [{ libraryId: "lib", weekday: 1, start, end }] });
        if (parsed.success) {
          expect(parseMinute(start), start).not.toBeNull();
          expect(parseMinute(end), end).not.toBeNull();
        }
        const accepted = (t: string) => /^(\d{2}):(\d{2})$/.test(t) && Number(t.slice(0, 2)) * 60 + Number(t.slice(3)) <= 1440 && Number(t.slice(3)) < 60;
        expect(parsed.success, `${start}–${end}`).toBe(accepted(start) && accepted(end));
      }),
      { numRuns: 300, seed: SEED },
    );
  });
});
