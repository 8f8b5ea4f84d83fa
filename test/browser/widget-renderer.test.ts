/**
 * The Qwidget's own renderer (src/client/qwidget/renderer.ts) against Preact,
 * in real Chromium: the same scenarios (./renderer-scenarios.tsx), built once
 * on each, must leave the page the same — focus kept through keyed changes,
 * the caret kept in a controlled field, effects in Preact's order, properties
 * and attributes as Preact sets them, components that render nothing kept in
 * their place.
 */
import path from "node:path";
import { build } from "esbuild";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ownRenderer } from "../../scripts/own-renderer.mjs";
import { useBrowser } from "./browser";

const harness = useBrowser();

async function bundle(onOwnRenderer: boolean): Promise<string> {
  const result = await build({
    entryPoints: [path.join(import.meta.dirname, "renderer-scenarios.tsx")],
    bundle: true,
    format: "iife",
    globalName: "scenarios",
    jsx: "automatic",
    jsxImportSource: "preact",
    target: "es2020",
    write: false,
    logLevel: "warning",
    plugins: onOwnRenderer ? [ownRenderer] : [],
  });
  return result.outputFiles[0]!.text;
}

async function pageWith(onOwnRenderer: boolean): Promise<Page> {
  const page = await (await harness.context()).newPage();
  await page.setContent('<!doctype html><html lang="en"><head><title>renderer</title></head><body></body></html>');
  await page.addScriptTag({ content: await bundle(onOwnRenderer) });
  return page;
}

const run = (page: Page, name: string) => page.evaluate((n) => (globalThis as unknown as { scenarios: { run(n: string): Promise<unknown> } }).scenarios.run(n), name);

/** Types into the controlled field, moves the caret back and types again. */
async function typeInField(page: Page) {
  await run(page, "controlledField");
  await page.focus("#controlled");
  await page.keyboard.type("hello");
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowLeft");
  await page.keyboard.type("XY");
  return { value: await page.inputValue("#controlled"), mirror: await page.textContent("#mirror"), caret: await page.$eval("#controlled", (t: HTMLTextAreaElement) => t.selectionStart) };
}

describe("the Qwidget's renderer", () => {
  it("does what Preact does with the same components", async () => {
    const [preact, own] = await Promise.all([pageWith(false), pageWith(true)]);
    for (const name of ["keyedRows", "effectOrder", "attributes", "placeholders"]) {
      const [expected, actual] = await Promise.all([run(preact, name), run(own, name)]);
      expect(actual, name).toEqual(expected);
    }
    expect(await typeInField(own)).toEqual(await typeInField(preact));
  });

  it("keeps the focused element through keyed changes and the caret where the patron types", async () => {
    const page = await pageWith(true);
    expect(await run(page, "keyedRows")).toEqual([
      { values: "zabcd", sameElement: true, focused: true },
      { values: "zbd", sameElement: true, focused: true },
      { values: "yzbde", sameElement: true, focused: true },
    ]);
    expect(await typeInField(page)).toEqual({ value: "heXYllo", mirror: "heXYllo", caret: 4 });
  });

  it("runs layout effects at once and children first, effects after, and cleans up before each re-run and at unmount", async () => {
    const page = await pageWith(true);
    const { log, doubled } = (await run(page, "effectOrder")) as { log: string[]; doubled: string };
    expect(doubled).toBe("4");
    expect(log).toEqual([
      "memo 1",
      "child layout 1",
      "parent layout 1",
      "rendered",
      "child effect 1",
      "child mounted",
      "parent effect 1",
      "memo 2",
      "child layout cleanup 1",
      "child layout 2",
      "parent layout 2",
      "child effect cleanup 1",
      "child effect 2",
      "parent effect 2",
      "child layout cleanup 2",
      "child effect cleanup 2",
      "child unmounted",
      "parent layout 2",
    ]);
  });

  it("sets properties and attributes as Preact does, swaps handlers and keeps nothing-rendering components in place", async () => {
    const page = await pageWith(true);
    const a = (await run(page, "attributes")) as { first: { html: string; select: string; ref: boolean }; second: string; clicks: number; refs: unknown[]; brand: string };
    expect(a.first.select).toBe("b");
    expect(a.first.ref).toBe(true);
    expect(a.first.html).toContain('aria-expanded="true"');
    expect(a.second).toContain('aria-expanded="false"');
    expect(a.second).toContain("hidden");
    expect(a.second).not.toContain('class="on"');
    expect(a.clicks).toBe(11);
    expect(a.refs).toEqual(["B", null]);
    expect(a.brand).toBe("#654321");
    expect(await run(page, "placeholders")).toEqual(["134text", "122½34text", "134text", "<b>1</b><b>3</b><em>4</em>text"]);
  });
});
