/**
 * Logs are structured everywhere on the server: every console call in the
 * Worker, its routes, domain modules and Durable Objects writes one JSON object
 * with an `event` (src/ops/log.ts says why: ids, never personal data). The
 * front ends (src/client) log to the browser's console and are left out.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..", "..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return full.endsWith(`${path.sep}client`) ? [] : sources(full);
    return /\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [full] : [];
  });
}

describe("server logs", () => {
  it("are one JSON object with an event, in every server module", () => {
    const loose: string[] = [];
    // src/ops/log.ts is where the JSON line is written.
    const files = [...sources(path.join(root, "src")), ...sources(path.join(root, "durable-objects"))].filter((f) => !f.endsWith(path.join("src", "ops", "log.ts")));
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/console\.(log|info|warn|error|debug)\(([^\n]*)/g)) {
        const args = m[2]!;
        // A script the Worker serves to browsers (its body, not a log of ours) is a string literal.
        if (text.slice(Math.max(0, m.index! - 1), m.index!) === "`" || text.slice(Math.max(0, m.index! - 1), m.index!) === '"') continue;
        if (!/^JSON\.stringify\(\{\s*event[:,]/.test(args)) loose.push(`${path.relative(root, file)}: console.${m[1]}(${args.slice(0, 60)}`);
      }
    }
    expect(loose).toEqual([]);
  });
});
