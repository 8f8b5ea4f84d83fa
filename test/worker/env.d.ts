declare namespace Cloudflare {
  interface Env {
    /** A second D1 database, empty (vitest.config.ts): another installation. */
    EMPTY_DB: D1Database;
    TEST_MIGRATIONS: import("@cloudflare/vitest-plugin").D1Migration[] extends never ? never : { name: string; queries: string[] }[];
  }
}

declare module "*?raw" {
  const text: string;
  export default text;
}
