import { applyD1Migrations, env } from "cloudflare:test";

// Each test file starts with the schema applied to its own fresh D1.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
