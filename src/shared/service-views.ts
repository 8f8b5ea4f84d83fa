/**
 * What the service administration API answers with (/healthz and
 * /api/admin/service/*): types only, shared by the server and the admin pages.
 * Nothing here names a patron: counts, times, ids and library names.
 */

/** /healthz: the state of D1, the mail queue and the daily cron. */
export interface ServiceHealth {
  ok: boolean;
  checkedAt: number;
  d1: { ok: boolean; latencyMs: number; error?: string };
  /** Null when D1 could not be asked. */
  mail: { ok: boolean; waiting: number; oldestWaitingSeconds: number | null; failed: number; deadLettered: number } | null;
  cron: { ok: boolean; lastRunAt: number | null; lastRunFinished: boolean | null; lastRunOk: boolean | null } | null;
}

export interface MailNeedingAttention {
  eventKey: string;
  kind: string;
  libraryId: string;
  libraryName: string | null;
  questionId: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: number;
  deadLettered: boolean;
  deadLetteredAt: number | null;
}

export interface FilingRetry {
  sessionId: string;
  libraryId: string;
  libraryName: string | null;
  status: string;
  attempts: number | null;
  failedAt: number | null;
  endedAt: number | null;
}

export interface ErrorEvent {
  id: number;
  event: string;
  detail: Record<string, unknown>;
  createdAt: number;
}

export interface ArchiveExportRow {
  id: number;
  kind: "library" | "group";
  ownerId: string;
  objectKey: string | null;
  bytes: number | null;
  startedAt: number;
  finishedAt: number | null;
  error: string | null;
}

/** The service health page. */
export interface HealthReport {
  checks: ServiceHealth;
  mail: { waiting: number; sent: number; failed: number; deadLettered: number; discarded: number; needingAttention: MailNeedingAttention[] };
  filings: FilingRetry[];
  lastScrub: {
    id: number;
    scheduledAt: number;
    startedAt: number;
    finishedAt: number | null;
    error: string | null;
    librariesChecked: number;
    sessionsScrubbed: number;
    questionsScrubbed: number;
    mailsScrubbed: number;
    changes: { libraryId: string; libraryName: string | null; sessionsScrubbed: number; questionsScrubbed: number; mailsScrubbed: number }[];
  } | null;
  exports: ArchiveExportRow[];
  errors: ErrorEvent[];
}

/** A library as the service administrators' list shows it. */
export interface ServiceLibraryRow {
  id: string;
  name: string;
  timeZone: string;
  contactEmail: string | null;
  archivedAt: number | null;
  createdAt: number;
  /** Enabled accounts with an administrator's role, and how many of those have not set a password yet. */
  administrators: number;
  invitedAdministrators: number;
  groups: { id: string; name: string }[];
}

/** A group as the service administrators' list shows it. */
export interface ServiceGroupRow {
  id: string;
  name: string;
  createdAt: number;
  members: { id: string; name: string; archived: boolean }[];
}

/** What an import created. */
export interface ImportResult {
  kind: "library" | "group";
  id: string;
  name: string;
  /** Rows created, per section of the archive. */
  counts: Record<string, number>;
  /** Accounts created without a password: each needs a password reset (a fresh invitation) to sign in. */
  accountsWithoutPassword: number;
  /** What the import changed on the way in (e.g. a service administrator's role lowered). */
  notes: string[];
}
