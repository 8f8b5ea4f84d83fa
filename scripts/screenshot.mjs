// Takes the README's screenshot: a librarian's monitor and a patron's chat window,
// side by side, in the middle of a real chat on a local wrangler dev.
//   node scripts/screenshot.mjs   (writes docs/screenshot.png)
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { DEMO_PASSWORD } from "./demo-data.mjs";
import { buildFrontEnds, prepareLocalState, startWranglerDev, stopWranglerDev } from "./local-state.mjs";

const root = path.resolve(import.meta.dirname, "..");
buildFrontEnds();
const persistDir = mkdtempSync(path.join(os.tmpdir(), "refdesk-shot-"));
await prepareLocalState(persistDir);
const server = await startWranglerDev({ port: 8799, persistDir });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  const lib = await browser.newContext({ baseURL: server.base, viewport: { width: 1100, height: 760 } });
  const monitor = await lib.newPage();
  await monitor.goto("/login?next=/monitor");
  await monitor.getByLabel("E-mail").fill("lisa@springfield-library.example");
  await monitor.getByLabel("Password").fill(DEMO_PASSWORD);
  await monitor.getByRole("button", { name: "Sign in" }).click();
  await monitor.waitForURL("**/monitor");
  await monitor.getByText(/1 monitoring/).waitFor();

  const pat = await browser.newContext({ baseURL: server.base, viewport: { width: 420, height: 760 } });
  const patron = await pat.newPage();
  await patron.goto("/f/springfield-chat");
  await patron.getByLabel("Your question").fill("Do you have the 1880 census for Ohio? I'm tracing my great-grandmother.");
  await patron.getByLabel(/Your name/).fill("Homer");
  await patron.getByRole("button", { name: "Ask a librarian" }).click();
  await patron.waitForURL(/\/chat\//);
  await patron.getByLabel("Add details while you wait").fill("She lived in Cuyahoga County.");
  await patron.keyboard.press("Enter");
  await monitor.getByText("She lived in Cuyahoga County.").waitFor();
  await monitor.getByRole("button", { name: /^Accept/ }).first().click();
  await patron.getByText(/You are chatting with/).waitFor();
  await monitor.getByLabel("Message to Homer").fill("Happy to help! The 1880 schedules are free at https://www.census.gov/ and our genealogy databases have the Ohio index.");
  await monitor.keyboard.press("Enter");
  await patron.getByText("Happy to help!").waitFor();
  await patron.getByLabel("Your message").fill("Wonderful, thank you!");
  await patron.keyboard.press("Enter");
  await monitor.getByText("Wonderful, thank you!").waitFor();

  const [a, b] = await Promise.all([monitor.screenshot(), patron.screenshot()]);
  const composer = await browser.newPage({ viewport: { width: 1540, height: 760 } });
  await composer.setContent(
    `<body style="margin:0;display:flex;gap:20px;background:#d0d5dd"><img src="data:image/png;base64,${a.toString("base64")}"><img src="data:image/png;base64,${b.toString("base64")}"></body>`,
  );
  await composer.screenshot({ path: path.join(root, "docs", "screenshot.png") });
  console.log("wrote docs/screenshot.png");
} finally {
  await browser.close();
  stopWranglerDev(server.child);
}
