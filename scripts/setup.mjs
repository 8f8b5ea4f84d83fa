// `npm run setup -- --email ADDRESS [--remote]`: the installation's first
// service administrator. Applies pending migrations, refuses when a service
// administrator already exists, else creates one and prints a one-use link
// to set their password (valid for seven days).
//
//   --email ADDRESS   the administrator's e-mail (their sign-in name)
//   --name NAME       their display name (default: the part of the address before @)
//   --remote          against the deployed D1 (default: the local state `npm start` uses)
//   --env NAME        a wrangler environment (staging, production)
//   --origin URL      where the service is reached, for the link (default: PUBLIC_ORIGIN, else http://localhost:8787)
//   --persist-to DIR  local state in DIR instead of wrangler's default (tests)
//   --reissue         a fresh link for the existing service administrator who has not set a password yet
import { parseArgs } from "node:util";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { EXISTING_SERVICE_ADMINS_SQL, firstServiceAdminStatements, inlineSql, invitationStatements } from "../src/admin/bootstrap.ts";
import { ACCOUNT_LINK_TTL_MS } from "../src/shared/admin-limits.ts";
import { DEFAULT_DESCRIPTIVE_CODES } from "../src/shared/codes.ts";
import { digestToken, newToken } from "../src/auth/tokens.ts";
import { wrangler } from "./local-state.mjs";

const root = path.resolve(import.meta.dirname, "..");

function fail(message, code = 1) {
  console.error(`\nSetup refused: ${message}\n`);
  process.exit(code);
}

let options;
try {
  ({ values: options } = parseArgs({
    options: {
      email: { type: "string" },
      name: { type: "string" },
      remote: { type: "boolean", default: false },
      env: { type: "string" },
      origin: { type: "string" },
      "persist-to": { type: "string" },
      reissue: { type: "boolean", default: false },
    },
  }));
} catch (error) {
  fail(`${error.message}. Usage: npm run setup -- --email ADDRESS [--remote]`, 2);
}

const email = (options.email ?? "").trim().toLowerCase();
if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) fail("give the administrator's e-mail address: npm run setup -- --email you@example.org", 2);
const displayName = (options.name ?? email.split("@")[0]).trim().slice(0, 100) || email;
if (options.remote && options["persist-to"]) fail("--persist-to is for local state; leave it out with --remote", 2);
const where = options.remote ? "the deployed database" : `the local database${options["persist-to"] ? ` in ${options["persist-to"]}` : " that npm start uses"}`;

/** wrangler d1 arguments for the chosen database. */
const target = [options.remote ? "--remote" : "--local", ...(options.env ? ["--env", options.env] : [])];
const persist = options.remote ? undefined : options["persist-to"];

function query(sql) {
  const out = wrangler(["d1", "execute", "DB", ...target, "--json", "--command", sql], persist);
  const parsed = JSON.parse(out.slice(out.indexOf("[")));
  return parsed[0]?.results ?? [];
}

function execute(statements, name) {
  const file = path.join(root, ".wrangler", `${name}-${process.pid}.sql`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, statements.map(inlineSql).join("\n"));
  wrangler(["d1", "execute", "DB", ...target, "--file", file], persist);
}

async function publicOrigin() {
  if (options.origin) return options.origin.replace(/\/+$/, "");
  try {
    const { unstable_readConfig } = await import("wrangler");
    const config = unstable_readConfig({ config: path.join(root, "wrangler.toml"), env: options.env });
    const configured = config.vars?.PUBLIC_ORIGIN;
    if (typeof configured === "string" && configured) return configured.replace(/\/+$/, "");
  } catch {
    // Fall through to the local default.
  }
  return options.remote ? null : `http://localhost:${process.env.PORT ?? 8787}`;
}

console.log(`Applying pending migrations to ${where}…`);
wrangler(["d1", "migrations", "apply", "DB", ...target], persist);

const existing = query(EXISTING_SERVICE_ADMINS_SQL);
const token = newToken();
const tokenHash = await digestToken(token);
const now = Date.now();
let invited;

if (options.reissue) {
  const pending = existing.find((a) => a.email === email);
  if (!pending) fail(`${email} is not a service administrator here; --reissue only renews the link of one who has not set a password yet.`);
  if (pending.active) fail(`${email} has set a password already: they sign in at /login (a forgotten password is reset by another administrator).`);
  execute(invitationStatements(pending.id, tokenHash, now, ACCOUNT_LINK_TTL_MS.invite), "setup-reissue");
  invited = pending.id;
} else {
  if (existing.length > 0) {
    const first = existing[0];
    fail(
      `this installation already has a service administrator (${first.email}${first.active ? "" : ", who has not set a password yet"}). ` +
        (first.active
          ? "They invite other people from the administration pages."
          : `If their link was lost: npm run setup -- --email ${first.email} --reissue${options.remote ? " --remote" : ""}`),
    );
  }
  invited = crypto.randomUUID();
  execute(
    firstServiceAdminStatements({ librarianId: invited, email, displayName, tokenHash, inviteTtlMs: ACCOUNT_LINK_TTL_MS.invite, codes: DEFAULT_DESCRIPTIVE_CODES, now }),
    "setup",
  );
}

// The statements change nothing when another setup got there first: check that this one's link exists.
const opened = query(`SELECT librarian_id FROM account_tokens WHERE token_hash = '${tokenHash}' AND librarian_id = '${invited}' AND used_at IS NULL`);
if (opened.length !== 1) fail("another setup created a service administrator at the same moment; run this again to see who.");

const origin = await publicOrigin();
const link = `/account/set-password/${token}`;
const expires = new Date(now + ACCOUNT_LINK_TTL_MS.invite).toISOString().replace("T", " ").slice(0, 16);
console.log(`
${options.reissue ? "A fresh link for" : "Created the service administrator"} ${email} in ${where}.

Open this one-use link to choose a password (it works once, until ${expires} UTC):

  ${origin ? `${origin}${link}` : `https://<your Worker's address>${link}`}

Then sign in and go to ${origin ?? ""}/admin/service to create libraries and invite their administrators.
`);
