/**
 * Request bodies of the cooperative APIs: routing settings, groups
 * and invitations, the coverage schedule, policy pages, feedback. The routes
 * and the HTML form handlers validate with these; docs/cooperation.md lists them.
 */
import { z } from "zod";
import { OVERFLOW_MODES, ROLLOVER_LIMITS } from "../queues/routing-policy";
import { LINK_KINDS, POLICY_LIMITS, POLICY_SECTION_IDS } from "../policies/sections";
import { SCHEDULE_LIMITS } from "../coverage/schedule";
import { checkbox, emailSchema, lineText, optionalText, slugSchema, text } from "./api";
import { cleanText } from "./display-text";

export const routingSettingsSchema = z.object({
  rolloverSeconds: z.coerce
    .number({ message: "Enter the roll-over time in seconds" })
    .int("Whole seconds, please")
    .min(ROLLOVER_LIMITS.minSeconds, `The roll-over time is at least ${ROLLOVER_LIMITS.minSeconds} seconds`)
    .max(ROLLOVER_LIMITS.maxSeconds, `The roll-over time is at most ${ROLLOVER_LIMITS.maxSeconds} seconds`),
  overflowMode: z.enum(OVERFLOW_MODES, { message: "Choose when requests go to the cooperative" }),
  /** The library's groups in roll-over order (every group it belongs to, each once). */
  groupOrder: z.array(slugSchema).max(50).optional(),
});

export const createGroupSchema = z.object({
  id: slugSchema,
  name: lineText(120).min(1, "Give the group a name"),
});

export const inviteLibrarySchema = z.object({ libraryId: slugSchema });

/** A time of day, 00:00 to 24:00 (the end of a day): 24:30 is no time, whatever the digits allow. */
const clock = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, "Use 24-hour time from 00:00 to 24:00, e.g. 18:00");

export const shiftInputSchema = z.object({
  libraryId: slugSchema,
  weekday: z.coerce.number().int().min(1, "Choose a day of the week").max(7, "Choose a day of the week"),
  start: clock,
  end: clock,
  endsNextDay: checkbox,
  /** IANA zone the times are meant in; the staffing library's own zone when left out. */
  timeZone: z.string().max(64).optional(),
});

export const scheduleSchema = z.object({
  shifts: z.array(shiftInputSchema).max(SCHEDULE_LIMITS.maxShifts, `A schedule has at most ${SCHEDULE_LIMITS.maxShifts} shifts`),
});
export type ScheduleBody = z.input<typeof scheduleSchema>;

// Rich text is HTML (sanitised where it is shown); its text is cleaned like any other.
const richText = z.string().overwrite(cleanText).max(POLICY_LIMITS.sectionChars, `Keep each section under ${POLICY_LIMITS.sectionChars} characters`);

export const policyPageSchema = z.object({
  sections: z
    .record(z.string(), richText)
    .default({})
    .superRefine((sections, ctx) => {
      for (const key of Object.keys(sections)) {
        if (!(POLICY_SECTION_IDS as string[]).includes(key)) ctx.addIssue({ code: "custom", message: `There is no section "${key}" (use ${POLICY_SECTION_IDS.join(", ")})`, path: [key] });
      }
    }),
  links: z
    .array(
      z.object({
        kind: z.enum(LINK_KINDS),
        label: lineText(POLICY_LIMITS.titleChars).min(1, "Give the link a label"),
        url: z.string().trim().max(POLICY_LIMITS.urlChars).regex(/^https?:\/\//i, "Links must start with http:// or https://").pipe(z.url("Enter a valid web address")),
      }),
    )
    .max(POLICY_LIMITS.links)
    .default([]),
  quickAnswers: z
    .array(z.object({ title: lineText(POLICY_LIMITS.titleChars).min(1, "Give the answer a title"), text: text(POLICY_LIMITS.quickAnswerChars).min(1, "Write the answer") }))
    .max(POLICY_LIMITS.quickAnswers)
    .default([]),
  reportEmail: z
    .union([emailSchema, z.literal("")])
    .optional()
    .transform((v) => (v ? v : null)),
});
export type PolicyPageBody = z.input<typeof policyPageSchema>;

export const groupPageSchema = z.object({ body: richText });

/** A group's roll-over setting: offer a rolling-over request to the library scheduled now first (src/queues/routing-policy.ts). */
export const groupRoutingSchema = z.object({ rolloverPrefersScheduled: checkbox });

export const FEEDBACK_RATINGS = ["excellent", "good", "needs_improvement", "poor"] as const;
export type FeedbackRating = (typeof FEEDBACK_RATINGS)[number];
export const FEEDBACK_RATING_LABELS: Record<FeedbackRating, string> = {
  excellent: "Excellent",
  good: "Good",
  needs_improvement: "Needs improvement",
  poor: "Poor",
};

export const feedbackSchema = z.object({
  sessionId: z.string().regex(/^[0-9a-f-]{36}$/, "Not a chat session id"),
  rating: z.enum(FEEDBACK_RATINGS, { message: "Choose a rating" }),
  comment: optionalText(2000),
});
