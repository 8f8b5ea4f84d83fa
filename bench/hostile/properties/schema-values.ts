/**
 * Values for a JSON Schema (the schemas the OpenAPI document and the frame
 * protocol publish, of what a client sends): values it accepts, values at
 * and past its edges, and — for a whole body or frame — a value it accepts
 * with one or two of its fields pushed to an edge, so that a refinement deep
 * inside a route or an object is reached, not only its first check.
 */
import fc from "fast-check";
import { CALENDAR_DATES, EDGE_TEXTS, JSON_SHAPES, NUMBER_TEXTS, PROTOTYPE_KEYS, TIME_TEXTS, TIME_ZONE_TEXTS, dateText, edgeText, lengthEdges, numberEdges, withEdgeInside } from "./edge-values";

/** The part of JSON Schema (draft 2020-12, as zod writes it) the generator reads. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

/** Values that exist in the system under test (ids, e-mail addresses), by the name of the field or parameter. */
export type Fixtures = (name: string) => readonly unknown[];

const alternatives = (s: JsonSchema): JsonSchema[] | undefined => s.anyOf ?? s.oneOf;

/** Every type a schema (or any of its alternatives) names. */
function typesOf(s: JsonSchema): string[] {
  const own = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  return [...own, ...(alternatives(s) ?? []).flatMap(typesOf)];
}

const looksLikeDate = (s: JsonSchema, name: string) => /\\d\{4\}-/.test(s.pattern ?? "") || /date|^from$|^to$|day|since|until/i.test(name);
const looksLikeTime = (s: JsonSchema, name: string) => /:\[0-5\]/.test(s.pattern ?? "") || /^(start|end)$|time(?!zone)|minute/i.test(name);
const looksLikeZone = (name: string) => /zone/i.test(name);
const looksLikeNumber = (name: string) => /days|before|after|page|size|limit|offset|count|seq|rating|position|weekday|seconds/i.test(name);

/** A string the schema's own keywords accept (refinements beyond JSON Schema are the server's to judge); days, times and zones at their edges. */
function conformingString(s: JsonSchema, name: string): fc.Arbitrary<string> {
  if (looksLikeDate(s, name)) return fc.constantFrom(...CALENDAR_DATES);
  if (looksLikeTime(s, name)) return fc.constantFrom("00:00", "00:30", "12:00", "23:59", "24:00");
  if (looksLikeZone(name)) return fc.constantFrom(...TIME_ZONE_TEXTS.slice(0, 10));
  const min = s.minLength ?? 0;
  const max = Math.min(s.maxLength ?? 40, Math.max(min, 40));
  if (s.format === "email") return fc.emailAddress().filter((e) => e.length <= (s.maxLength ?? 254));
  if (s.format === "uri") return fc.webUrl({ validSchemes: ["https", "http"] }).filter((u) => u.length <= (s.maxLength ?? 2000));
  if (s.format === "uuid") return fc.uuid();
  if (s.pattern) {
    try {
      return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length >= min && v.length <= (s.maxLength ?? Infinity));
    } catch {
      // A pattern fast-check cannot generate from: plain text, which the server judges.
    }
  }
  return fc.string({ minLength: min, maxLength: max });
}

/**
 * Values that pass what JSON Schema cannot say about a field of this name
 * (a colour with enough contrast, a form that keeps its question field, a
 * section that exists, an address a browser could open): so that a body
 * can be right everywhere but the one field pushed to an edge. A target's
 * own fixtures (ids that exist) come first.
 */
const WELL_FORMED: Readonly<Record<string, readonly unknown[]>> = {
  brandColor: ["#1d4ed8", "#000000"],
  allowedOrigins: [["https://library.example"], []],
  url: ["https://library.example/hours"],
  websiteUrl: ["https://library.example/"],
  pageUrl: ["https://library.example/catalog"],
  email: ["ada@patron.test"],
  contactEmail: ["ask@library.example"],
  reportEmail: ["reports@library.example"],
  fields: [
    [
      { id: "question", label: "Your question", kind: "textarea", required: true },
      { id: "name", label: "Your name", kind: "text", required: false },
      { id: "email", label: "Your e-mail", kind: "email", required: false },
    ],
  ],
  sections: [{ hours: "<p>Open every day, 9 to 5.</p>" }, {}],
  links: [[{ kind: "catalog", label: "Catalog", url: "https://library.example/catalog" }], []],
  fallbackLinks: [[{ label: "Hours", url: "https://library.example/hours" }], []],
};

/** A value the schema accepts, preferring fixture values (and well-formed values) for a field of this name. */
export function conforming(s: JsonSchema, name: string, fixtures: Fixtures, full = false): fc.Arbitrary<unknown> {
  const fixed = fixtures(name);
  const known = fixed.length > 0 ? fixed : (WELL_FORMED[name] ?? []);
  const own = conformingBySchema(s, name, fixtures, full);
  return known.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 5 }, { arbitrary: own, weight: 1 }) : own;
}

/**
 * `full`: every optional property present and every list holding an item,
 * so that any field of the schema can be pushed to an edge in place.
 */
function conformingBySchema(s: JsonSchema, name: string, fixtures: Fixtures, full: boolean): fc.Arbitrary<unknown> {
  if ("const" in s) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alts = alternatives(s);
  if (alts) return fc.oneof(...alts.map((a) => conformingBySchema(a, name, fixtures, full)));
  const type = typesOf(s)[0];
  switch (type) {
    case "string":
      return conformingString(s, name);
    case "integer":
      return fc.integer({ min: Math.max(s.minimum ?? -1000, -(2 ** 31)), max: Math.min(s.maximum ?? 1000, 2 ** 31) });
    case "number":
      return fc.double({ min: s.minimum ?? -1000, max: s.maximum ?? 1000, noNaN: true, noDefaultInfinity: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array": {
      const min = Math.max(s.minItems ?? 0, full ? 1 : 0);
      return fc.array(conforming(s.items ?? {}, name, fixtures, full), { minLength: min, maxLength: Math.max(min, Math.min(s.maxItems ?? 3, 3)) });
    }
    case "object":
      return conformingObject(s, fixtures, full);
    default:
      return fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean());
  }
}

function conformingObject(s: JsonSchema, fixtures: Fixtures, full: boolean): fc.Arbitrary<Record<string, unknown>> {
  const properties = s.properties ?? {};
  const model = Object.fromEntries(Object.entries(properties).map(([k, p]) => [k, conforming(p, k, fixtures, full)]));
  const requiredKeys = full ? Object.keys(properties) : (s.required ?? []).filter((k) => k in properties);
  return fc.record(model, { requiredKeys }) as fc.Arbitrary<Record<string, unknown>>;
}

/** A value at or past the schema's edges: its limits, the text and numbers that break things, and other types. */
export function edgeOf(s: JsonSchema, name: string, fixtures: Fixtures): fc.Arbitrary<unknown> {
  const types = new Set(typesOf(s));
  const anyType = types.size === 0;
  const pools: fc.WeightedArbitrary<unknown>[] = [{ arbitrary: fc.constantFrom(...JSON_SHAPES), weight: 1 }];
  if (anyType || types.has("string")) {
    pools.push(
      { arbitrary: fc.constantFrom(...lengthEdges(s.minLength, s.maxLength)), weight: 2 },
      { arbitrary: fc.constantFrom(...EDGE_TEXTS), weight: 3 },
      { arbitrary: edgeText(), weight: 2 },
      { arbitrary: conforming(s, name, fixtures).chain((v) => withEdgeInside(String(v ?? ""))), weight: 3 },
      { arbitrary: fc.constantFrom(...NUMBER_TEXTS), weight: looksLikeNumber(name) ? 6 : 1 },
    );
    if (looksLikeDate(s, name)) pools.push({ arbitrary: dateText(), weight: 12 });
    if (looksLikeTime(s, name)) pools.push({ arbitrary: fc.constantFrom(...TIME_TEXTS), weight: 12 });
    if (looksLikeZone(name)) pools.push({ arbitrary: fc.constantFrom(...TIME_ZONE_TEXTS), weight: 12 });
  }
  if (types.has("integer") || types.has("number")) {
    pools.push({ arbitrary: fc.constantFrom(...numberEdges(s.minimum, s.maximum)), weight: 6 }, { arbitrary: fc.constantFrom(...NUMBER_TEXTS), weight: 2 });
  }
  if (types.has("boolean")) pools.push({ arbitrary: fc.constantFrom<unknown>("true", "on", "false", 1, 0, "yes", "TRUE"), weight: 2 });
  if (s.enum || "const" in s) {
    const values = (s.enum ?? [s.const]).map(String);
    pools.push({ arbitrary: fc.constantFrom(...values).chain((v) => fc.constantFrom(v.toUpperCase(), ` ${v}`, `${v}\u0000`, `${v}\u200b`, v.normalize("NFD") + "\u0301")), weight: 3 });
  }
  if (types.has("array")) {
    const item = conforming(s.items ?? {}, name, fixtures);
    pools.push(
      { arbitrary: fc.constant([]), weight: 1 },
      { arbitrary: fc.array(item, { minLength: (s.maxItems ?? 50) + 1, maxLength: (s.maxItems ?? 50) + 1 }), weight: 1 },
      { arbitrary: fc.array(edgeOf(s.items ?? {}, name, fixtures), { minLength: 1, maxLength: 3 }), weight: 2 },
      { arbitrary: fc.constant(Array.from({ length: 2000 }, () => null)), weight: 1 },
    );
  }
  if (alternatives(s)?.some((a) => a.properties)) pools.push({ arbitrary: probing(s, fixtures), weight: 4 });
  return fc.oneof(...pools);
}

/** A place in a value of a schema: the path to it (keys and list indexes), its schema and its field name. */
interface Place {
  path: (string | number)[];
  schema: JsonSchema;
  name: string;
}

/** Every place a schema describes below its root: each property, each list's first item, and what lies inside them. */
function placesOf(s: JsonSchema, path: (string | number)[] = [], name = ""): Place[] {
  const here = path.length > 0 ? [{ path, schema: s, name }] : [];
  if (s.properties) return [...here, ...Object.entries(s.properties).flatMap(([k, p]) => placesOf(p, [...path, k], k))];
  if (s.items && typesOf(s).includes("array")) return [...here, ...placesOf(s.items, [...path, 0], name)];
  return here;
}

/** Sets (or with `undefined`, removes) the value at `path`, as an own property even when its name is `__proto__`. */
function setAt(root: unknown, path: (string | number)[], value: unknown): void {
  let at = root;
  for (const key of path.slice(0, -1)) {
    if (at === null || typeof at !== "object") return;
    at = (at as Record<string | number, unknown>)[key];
  }
  if (at === null || typeof at !== "object") return;
  const key = path[path.length - 1]!;
  if (value === undefined) delete (at as Record<string | number, unknown>)[key];
  else Object.defineProperty(at, key, { value, enumerable: true, writable: true, configurable: true });
}

type Change = { path: (string | number)[]; value: unknown };

/**
 * What a whole body or frame gets: mostly a value the schema accepts with one
 * or two of its fields — at any depth — pushed to an edge, removed, or joined
 * by prototype keys and strangers; sometimes the accepted value itself;
 * sometimes the wrong shape altogether.
 */
export function probing(s: JsonSchema, fixtures: Fixtures): fc.Arbitrary<unknown> {
  const alts = alternatives(s);
  if (alts && alts.length > 0) return fc.oneof(...alts.map((a) => probing(a, fixtures)));
  const places = placesOf(s);
  if (places.length === 0) return fc.oneof({ arbitrary: edgeOf(s, "", fixtures), weight: 3 }, { arbitrary: conforming(s, "", fixtures), weight: 1 });
  const change: fc.Arbitrary<Change> = fc.oneof(
    { arbitrary: fc.constantFrom(...places).chain((p) => edgeOf(p.schema, p.name, fixtures).map((value): Change => ({ path: p.path, value }))), weight: 8 },
    { arbitrary: fc.constantFrom(...places).map((p): Change => ({ path: p.path, value: undefined })), weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom(...PROTOTYPE_KEYS, "unexpected", "", "\u0000"), fc.constantFrom(...JSON_SHAPES)).map(([k, value]): Change => ({ path: [k], value })), weight: 1 },
  );
  const changed = fc.tuple(conforming(s, "", fixtures, true), fc.array(change, { minLength: 1, maxLength: 2 })).map(([base, changes]) => {
    const out = structuredClone(base);
    for (const c of changes) setAt(out, c.path, c.value);
    return out;
  });
  return fc.oneof(
    { arbitrary: changed, weight: 8 },
    { arbitrary: conforming(s, "", fixtures), weight: 1 },
    { arbitrary: fc.oneof(fc.constantFrom(...JSON_SHAPES), conforming(s, "", fixtures).map((b) => [b])), weight: 1 },
  );
}

/** Bodies that are not the JSON they claim to be, or JSON at the edges of what a parser takes. */
export const RAW_JSON_TEXTS = [
  "",
  "{",
  '{"a":',
  "null",
  "[]",
  "1e309",
  "-0",
  '"\\ud800"',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  "\ufeff{}",
  "{} trailing",
  '{"a":1,"a":2}',
  `${"[".repeat(5000)}${"]".repeat(5000)}`,
  `{"__proto__":{"isAdmin":true}}`,
  "NaN",
  "{'single':'quotes'}",
];

/**
 * A value as an HTML form would post it: top-level fields as text, lists as
 * repeated fields, anything else as its JSON.
 */
export function formEncoded(value: unknown): string {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return new URLSearchParams({ value: JSON.stringify(value) ?? "" }).toString();
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(value)) {
    if (Array.isArray(v)) for (const item of v) form.append(k, typeof item === "object" ? JSON.stringify(item) : String(item));
    else form.append(k, v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));
  }
  return form.toString();
}
