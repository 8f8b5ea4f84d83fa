// Variables that wrangler.toml leaves out on purpose, so production never has
// them and `npm run types` cannot see them: local development and the browser
// tests pass them to `wrangler dev` with `--var` (scripts/local-state.mjs).

interface LocalOnlyVars {
  /** "true" lets the framing check fetch loopback and private addresses, where the local pages live. Absent means off. */
  FRAMING_CHECK_ALLOW_PRIVATE?: string;
  /** "true" serves the demo and test pages under /demo/ (src/routes/demo-pages.ts). Absent means they answer 404. */
  DEMO_PAGES?: string;
}

interface Env extends LocalOnlyVars {}

declare namespace Cloudflare {
  interface Env extends LocalOnlyVars {}
}
