// Extra data for the benchmarks: libraries of their own (so one scenario's
// queue never sees another's requests), each with a chat form and as many
// librarians as the scenario needs. Every bench librarian's password is the
// demo password.
import { DEMO_PASSWORD } from "../../scripts/demo-data.mjs";
import { hashPassword } from "../../scripts/local-state.mjs";

/** The bench libraries and how many librarians each gets. Ids are also form ids (`<id>-chat`) and queue ids (`lib:<id>`). */
export const BENCH_LIBRARIES = [
  { id: "bench-load", librarians: 100 },
  { id: "bench-fanout", librarians: 50 },
  { id: "bench-queue", librarians: 60 },
  { id: "bench-race", librarians: 50 },
  { id: "bench-faults", librarians: 10 },
  // bench-hostile: 1 serves, 2 does not, 3 gets locked out by the password flood, 4 is the library's administrator.
  { id: "bench-hostile", librarians: 4, admins: [4] },
  { id: "bench-outsider", librarians: 1 },
  // 20 serve the normal chats, the 21st the flooding patron's.
  { id: "bench-noisy", librarians: 21 },
];

/** A chat stays "waiting" this long in bench libraries, longer than any run. */
const WAIT_LIMIT_SECONDS = 3600;

/** The e-mail of bench librarian `n` (1-based) of `libraryId`. */
export function benchLibrarianEmail(libraryId, n) {
  return `${libraryId}-${String(n).padStart(3, "0")}@bench.example`;
}

export function benchLibrarianName(libraryId, n) {
  return `${libraryId} librarian ${n}`;
}

export const benchFormId = (libraryId) => `${libraryId}-chat`;
export const benchQueueId = (libraryId) => `lib:${libraryId}`;

function sql(value) {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") return String(value);
  return `'${String(value).replaceAll("'", "''")}'`;
}

/** SQL that adds the bench libraries, forms and librarians (INSERT OR IGNORE: seeding twice changes nothing). */
export async function benchSeedSql({ origins = [] } = {}) {
  const now = Date.now();
  const hash = await hashPassword(DEMO_PASSWORD);
  const lines = [];
  for (const lib of BENCH_LIBRARIES) {
    lines.push(
      `INSERT OR IGNORE INTO libraries (id, name, time_zone, contact_email, wait_limit_seconds, allowed_origins, created_at) VALUES (${[
        lib.id,
        `Bench library ${lib.id}`,
        "UTC",
        `${lib.id}@bench.example`,
        WAIT_LIMIT_SECONDS,
        JSON.stringify(origins),
        now,
      ]
        .map(sql)
        .join(", ")});`,
    );
    lines.push(
      `INSERT OR IGNORE INTO forms (id, library_id, queue_id, title, fields, created_at) VALUES (${[benchFormId(lib.id), lib.id, benchQueueId(lib.id), `Ask ${lib.id}`, "[]", now]
        .map(sql)
        .join(", ")});`,
    );
    for (let n = 1; n <= lib.librarians; n++) {
      lines.push(
        `INSERT OR IGNORE INTO librarians (id, library_id, email, display_name, password_hash, role, created_at) VALUES (${[
          `${lib.id}-${n}`,
          lib.id,
          benchLibrarianEmail(lib.id, n),
          benchLibrarianName(lib.id, n),
          hash,
          lib.admins?.includes(n) ? "library_admin" : "librarian",
          now,
        ]
          .map(sql)
          .join(", ")});`,
      );
    }
  }
  return lines.join("\n");
}
