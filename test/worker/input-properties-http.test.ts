/**
 * Every route, at the edges of what it declares. The routes and their path,
 * query and body schemas are read from the app's own OpenAPI document (GET
 * /api/openapi.json), so a route added later is covered here without a list
 * to keep; for each, generated requests (bench/hostile/properties/) carry
 * calendar-edge dates, numbers at ±0 / 2^53 / 1e308 / "NaN", lengths at and
 * past their limits, control characters, lone surrogates, bidi and zero-width
 * marks, emoji, right-to-left text, SQL and LIKE wildcards and JSON of the
 * wrong shape, signed out, as a librarian, as administrators and (where a route
 * takes one) with a patron's token. Each answer must be a clear JSON refusal
 * `{ error: { code, message, field? } }` or the documented success — never a
 * 5xx — and a refusal must leave every stored row, in D1 and in the objects,
 * as it was.
 *
 * Quick and seeded here; `npm run bench:hostile -- --properties=N` runs the
 * same properties N times over.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { bodyFieldNames, operationsOf, type OpenApiDocument } from "../../bench/hostile/properties/request-cases";
import { checkOperation } from "../../bench/hostile/properties/runner";
import { servedDocument } from "./openapi-document";
import { propertyWorld } from "./property-world";

/** Cases per route, and the seed they are drawn with (the bench draws more with other seeds). */
const RUNS = 3;
const SEED = 20_260_301;

const operations = operationsOf((await servedDocument()) as unknown as OpenApiDocument);
const looseFields = bodyFieldNames(operations);

let world: Awaited<ReturnType<typeof propertyWorld>>;
beforeAll(async () => {
  world = await propertyWorld();
}, 60_000);

describe("every route answers input at its schema's edges with a clear refusal or its documented success, and a refusal stores nothing", () => {
  it("reads the routes from the OpenAPI document", () => {
    expect(operations.length).toBeGreaterThan(100);
    expect(looseFields).toContain("question");
  });

  it.each(operations.map((op) => [`${op.method} ${op.path}`, op] as const))("%s", async (_name, op) => {
    const checks = await checkOperation(op, world.target, { runs: RUNS, seed: SEED, looseFields });
    expect(checks).toHaveLength(RUNS);
    expect(checks.filter((c) => c.problem !== null).map((c) => `${c.name}\n    → ${c.problem}`)).toEqual([]);
  });
});
