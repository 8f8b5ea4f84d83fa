declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("@cloudflare/vitest-plugin").D1Migration[] extends never ? never : { name: string; queries: string[] }[];
  }
}

declare module "*?raw" {
  const text: string;
  export default text;
}
