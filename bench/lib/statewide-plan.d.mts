// Types of ./statewide-plan.mjs, for the suite's quick version of the statistics benchmark.
import type { HistoryPlan, HistorySink } from "../../scripts/stats-history";

export declare const STATEWIDE_GROUP: string;
export declare const STATEWIDE_VIEWERS: { group: string; library: string; librarian: string };
export declare const STAT_REPORT_IDS: string[];
export declare function statewideLibraryId(n: number): string;
export declare function statewideEmail(libraryNumber: number, librarianNumber: number): string;
export declare function statewidePlan(options: { chats: number; libraries?: number; from: string; to: string }): HistoryPlan;
export declare function statewideRows(
  plan: HistoryPlan,
  options: {
    insert: HistorySink["row"];
    writeHistory: (plan: HistoryPlan, sink: HistorySink) => { chats: number; spans: number };
    passwordHash: string;
    now: number;
  },
): { chats: number; spans: number };
export declare function statewideCases(range: { from: string; to: string }): { name: string; url: string; as: keyof typeof STATEWIDE_VIEWERS }[];
