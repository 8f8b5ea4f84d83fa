/**
 * What the admin pages receive: the bootstrap each page shell embeds and the
 * shapes the admin API answers with. Types only, shared by the server and the
 * admin client (which must not import server modules).
 */
import type { ChatMethod, IpMode } from "./admin-limits";
import type { FormField } from "./forms";
import type { Language } from "../i18n/languages";
import type { FormTranslations } from "./form-translations";

export type RoleName = "librarian" | "library_admin" | "group_admin" | "service_admin";

export type LibraryPageName = "librarians" | "forms" | "settings" | "privacy" | "audit" | "scripts" | "ratings";

export interface AdminBootstrap {
  page: "overview" | "account" | "group" | "form" | LibraryPageName | "service-libraries" | "service-groups" | "service-health";
  params: Record<string, string>;
  me: { id: string; displayName: string; email: string; role: RoleName; libraryId: string; libraryName: string; groupIds: string[] };
  /** Where patrons reach this service: the base of form URLs and embed code. */
  origin: string;
}

export interface AccountRow {
  id: string;
  libraryId: string;
  email: string;
  displayName: string;
  role: RoleName;
  status: "active" | "invited" | "disabled";
  disabledAt: number | null;
  createdAt: number;
  manageable: boolean;
}

export interface QueueChoice {
  id: string;
  name: string;
}

export interface FormRow {
  id: string;
  libraryId: string | null;
  groupId: string | null;
  queueId: string;
  title: string;
  intro: string | null;
  fields: FormField[];
  chatMethod: ChatMethod;
  brandColor: string | null;
  logoUrl: string | null;
  enabled: boolean;
  createdAt: number;
  /** The languages offered to patrons, the default (the texts above are in it) and the texts in the others. */
  languages: Language[];
  defaultLanguage: Language;
  translations: FormTranslations;
  formUrl: string;
  embedCode: string;
}

export interface LibrarySettings {
  id: string;
  name: string;
  contactEmail: string | null;
  phone: string | null;
  websiteUrl: string | null;
  timeZone: string;
  hoursText: string | null;
  /** Hours per weekday, Monday first (seven lines, or none). */
  hoursByWeekday: string[];
  unavailableMessage: string | null;
  fallbackLinks: { label: string; url: string }[];
  brandColor: string;
  rolloverSeconds: number;
  waitLimitSeconds: number;
  idleEndMinutes: number;
  retentionDays: number;
  ipMode: IpMode;
  /** Whether files (images, PDFs) may be sent in the library's chats. */
  filesAllowed: boolean;
  mailSenderName: string | null;
  transcriptTemplate: string | null;
  allowedOrigins: string[];
}

export interface AuditRow {
  id: number;
  libraryId: string | null;
  groupId: string | null;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  createdAt: number;
}

/** One sign-in or failed sign-in to a library's account (GET /api/admin/libraries/:id/sign-ins). */
export interface SignInRow {
  id: number;
  librarianId: string | null;
  librarianName: string | null;
  outcome: "signed_in" | "failed";
  /** The network as an IPv4 /24 or an IPv6 /48, never the address. */
  network: string | null;
  createdAt: number;
}

export interface ScrubRunRow {
  id: number;
  scheduledAt: number;
  startedAt: number;
  finishedAt: number | null;
  ok: boolean;
  sessionsScrubbed: number;
  questionsScrubbed: number;
  mailsScrubbed: number;
  cutoff: number | null;
}

export interface SignInSessionRow {
  id: string;
  createdAt: number;
  expiresAt: number;
  current?: boolean;
}
