// Every public route of the Worker, with its request schemas, read from the
// OpenAPI document the server itself serves (GET /api/openapi.json, built from
// the documentation every route declares on itself). Read from the running
// server rather than listed by hand, so a route added later is swept without
// anyone remembering to add it — a route missing from the document fails
// test/worker/protocol-routes.test.ts.

/**
 * [{ method, path, body }] for every route in the document, paths as the
 * document writes them ("/api/chats/{id}"); `body` is the JSON Schema of the
 * JSON body the route declares (undefined when it takes none).
 * @param {string} base the server's origin
 */
export async function publicRoutes(base) {
  const res = await fetch(`${base}/api/openapi.json`);
  if (!res.ok) throw new Error(`GET /api/openapi.json answered ${res.status}`);
  const doc = await res.json();
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      body: op.requestBody?.content?.["application/json"]?.schema,
    })),
  );
}

/** Fills a route's "{param}" placeholders with `value` (URL-encoded). */
export function fillParams(routePath, value) {
  return routePath.replace(/\{(\w+)\}/g, () => encodeURIComponent(value));
}

const typesOf = (schema) => [schema?.type, ...(schema?.anyOf ?? []).map((s) => s.type)].flat().filter(Boolean);

/**
 * A body that breaks a declared schema in every property it names: strings
 * get an object, everything else a string (which no number, boolean, list or
 * object accepts, coerced or not). Null when the schema names no properties
 * (a union, a raw body), as no such body can be made for sure.
 * @param {any} schema JSON Schema of the body
 * @param {string} marker the run's marker, so the server log can be searched for it
 */
export function schemaBreakingBody(schema, marker) {
  const properties = Object.entries(schema?.properties ?? {});
  if (properties.length === 0) return null;
  return Object.fromEntries(properties.map(([name, p]) => [name, typesOf(p).includes("string") ? { [marker]: [1] } : marker]));
}
