import type { Librarian } from "../auth/librarian";

/** Hono's typing for every route: the Worker's bindings and what middleware puts on the context. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    /** The signed-in librarian, or null for patrons and visitors. */
    librarian: Librarian | null;
  };
}
