// This module is imported directly by Node scripts (scripts/seed.mjs): keep it free of imports.
/**
 * The one place for both code lists: the resolution codes (fixed, each decides
 * where a transcript goes next) and the default descriptive codes every new
 * library starts with (each library may then rename, hide or add its own).
 */

export const RESOLUTION_CODES = [
  { code: "answered", label: "Answered" },
  { code: "followup_by_me", label: "Followup By Me" },
  { code: "followup_by_library", label: "Followup by patron's library" },
  { code: "lost_call", label: "Lost call / patron left" },
  { code: "practice", label: "Practice" },
  { code: "spam", label: "Spam or abuse" },
] as const;

/**
 * Resolutions the service gives, never a librarian: a chat that went quiet
 * ends by itself (the library's idle setting) and says so.
 */
export const AUTOMATIC_RESOLUTIONS = [{ code: "auto_ended", label: "Ended automatically (idle)" }] as const;

/** A code a librarian chooses (ending a chat, recoding a question). */
export type ResolutionCode = (typeof RESOLUTION_CODES)[number]["code"];
/** Any resolution a filed chat may carry: a librarian's, or one the service gave. */
export type FiledResolution = ResolutionCode | (typeof AUTOMATIC_RESOLUTIONS)[number]["code"];

export const RESOLUTION_CODE_VALUES = RESOLUTION_CODES.map((r) => r.code) as [ResolutionCode, ...ResolutionCode[]];

/** Every resolution a filed chat may carry, for lists and searches. */
export const ALL_RESOLUTIONS = [...RESOLUTION_CODES, ...AUTOMATIC_RESOLUTIONS];
export const FILED_RESOLUTION_VALUES = ALL_RESOLUTIONS.map((r) => r.code) as [FiledResolution, ...FiledResolution[]];

export function resolutionLabel(code: FiledResolution): string {
  return ALL_RESOLUTIONS.find((r) => r.code === code)?.label ?? code;
}

/** At most this many descriptive codes per session. */
export const MAX_DESCRIPTIVE_CODES = 4;

/**
 * The default descriptive codes, in display order. Codes are stable
 * identifiers (stored with sessions); labels are what librarians see.
 */
export const DEFAULT_DESCRIPTIVE_CODES: readonly { code: string; label: string }[] = [
  // Kind of question
  { code: "ready_reference", label: "Ready reference" },
  { code: "research_help", label: "Research help" },
  { code: "citation_help", label: "Citation help" },
  { code: "known_item", label: "Known item search" },
  { code: "catalog_search", label: "Catalog search" },
  { code: "database_search", label: "Database search" },
  { code: "database_recommendation", label: "Database recommendation" },
  { code: "article_access", label: "Full-text article access" },
  { code: "ebook_access", label: "E-book access" },
  { code: "remote_access", label: "Remote access / proxy" },
  { code: "login_problem", label: "Login or password problem" },
  { code: "account_fines", label: "Account, fines or fees" },
  { code: "renewals", label: "Renewals" },
  { code: "holds_requests", label: "Holds and requests" },
  { code: "interlibrary_loan", label: "Interlibrary loan" },
  { code: "course_reserves", label: "Course reserves" },
  { code: "library_card", label: "Library card" },
  { code: "hours_locations", label: "Hours and locations" },
  { code: "directions", label: "Directions" },
  { code: "policies", label: "Library policies" },
  { code: "services", label: "Library services" },
  { code: "printing_copying", label: "Printing, copying, scanning" },
  { code: "technology_help", label: "Technology help" },
  { code: "wifi_devices", label: "Wi-Fi and devices" },
  { code: "website_navigation", label: "Website navigation" },
  { code: "events_programs", label: "Events and programs" },
  { code: "room_booking", label: "Room booking" },
  { code: "local_history", label: "Local history" },
  { code: "genealogy", label: "Genealogy" },
  { code: "government_info", label: "Government information" },
  { code: "legal_info", label: "Legal information" },
  { code: "health_info", label: "Health information" },
  { code: "business_info", label: "Business information" },
  { code: "statistics_data", label: "Statistics and data" },
  { code: "maps_gis", label: "Maps and GIS" },
  { code: "readers_advisory", label: "Readers' advisory" },
  { code: "homework_help", label: "Homework help" },
  { code: "job_career", label: "Jobs and careers" },
  { code: "tax_forms", label: "Tax forms" },
  { code: "copyright", label: "Copyright" },
  { code: "patents_trademarks", label: "Patents and trademarks" },
  { code: "archives_special", label: "Archives and special collections" },
  { code: "thesis_dissertation", label: "Theses and dissertations" },
  { code: "data_management", label: "Research data management" },
  { code: "open_access", label: "Open access and publishing" },
  { code: "instruction_request", label: "Instruction request" },
  { code: "purchase_suggestion", label: "Purchase suggestion" },
  { code: "donations", label: "Donations" },
  { code: "accessibility_services", label: "Accessibility services" },
  { code: "non_library", label: "Non-library question" },
  // How it went
  { code: "referred_subject_specialist", label: "Referred to subject specialist" },
  { code: "referred_other_library", label: "Referred to another library" },
  { code: "referred_other_department", label: "Referred to another department" },
  { code: "pushed_pages", label: "Pushed pages" },
  { code: "cobrowsed", label: "Co-browsed" },
  { code: "language_other_than_english", label: "Language other than English" },
  { code: "complex_question", label: "Complex question (over 20 minutes)" },
  { code: "technical_difficulties", label: "Technical difficulties" },
  { code: "feedback_compliment", label: "Feedback or compliment" },
  { code: "complaint", label: "Complaint" },
];
