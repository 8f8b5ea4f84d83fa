import { defineConfig } from "drizzle-kit";

// drizzle-kit writes SQL migrations that `wrangler d1 migrations apply` and the
// test pool's applyD1Migrations both read from ./migrations.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "./migrations",
});
