/**
 * /admin/libraries/:id/settings — name and contact, time zone, hours, the
 * "not available" message and other ways to get help, roll-over time, wait
 * limit, the transcript e-mail, and the sites allowed to embed the Qwidget.
 */
import { useEffect, useState } from "preact/hooks";
import { ADMIN_TEXT_LIMITS, SETTING_RANGES } from "../../shared/admin-limits";
import type { AdminBootstrap, LibrarySettings } from "../../shared/admin-views";
import { brandColorProblem } from "../../shared/color";
import { parseEmbedOrigin } from "../../shared/embed-origin";
import { api } from "./api";
import { AdminLayout } from "./layout";
import { describe, ErrorSummary, errorsFrom, Field, FieldError, inputChecked, inputValue, StatusLine, useStatus, type FieldErrors } from "./ui";

/** Time zones the browser knows, for the suggestions list. */
function knownZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.("timeZone") ?? [];
}

type Draft = Omit<LibrarySettings, "id" | "rolloverSeconds" | "waitLimitSeconds" | "idleEndMinutes" | "retentionDays" | "ipMode" | "allowedOrigins" | "contactEmail" | "phone" | "websiteUrl" | "hoursText" | "unavailableMessage" | "mailSenderName" | "transcriptTemplate"> & {
  contactEmail: string;
  phone: string;
  websiteUrl: string;
  hoursText: string;
  unavailableMessage: string;
  mailSenderName: string;
  transcriptTemplate: string;
  rolloverSeconds: string;
  waitLimitSeconds: string;
  idleEndMinutes: string;
  allowedOrigins: string;
};

function draftOf(s: LibrarySettings): Draft {
  return {
    name: s.name,
    contactEmail: s.contactEmail ?? "",
    phone: s.phone ?? "",
    websiteUrl: s.websiteUrl ?? "",
    timeZone: s.timeZone,
    hoursText: s.hoursText ?? "",
    hoursByWeekday: s.hoursByWeekday.length === 7 ? s.hoursByWeekday : ["", "", "", "", "", "", ""],
    unavailableMessage: s.unavailableMessage ?? "",
    fallbackLinks: s.fallbackLinks,
    brandColor: s.brandColor,
    rolloverSeconds: String(s.rolloverSeconds),
    waitLimitSeconds: String(s.waitLimitSeconds),
    idleEndMinutes: String(s.idleEndMinutes),
    filesAllowed: s.filesAllowed,
    mailSenderName: s.mailSenderName ?? "",
    transcriptTemplate: s.transcriptTemplate ?? "",
    allowedOrigins: s.allowedOrigins.join("\n"),
  };
}

const WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

export function SettingsPage({ boot }: { boot: AdminBootstrap }) {
  const libraryId = boot.params.libraryId!;
  const [draft, setDraft] = useState<Draft | null>(null);
  const [placeholders, setPlaceholders] = useState<string[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [status, say] = useStatus();
  useEffect(() => {
    void api<{ settings: LibrarySettings; placeholders: string[] }>(`/api/admin/libraries/${libraryId}/settings`).then((r) => {
      if (!r.ok) return say(r.error.message);
      setDraft(draftOf(r.data.settings));
      setPlaceholders(r.data.placeholders);
    });
  }, []);
  if (!draft) return <AdminLayout boot={boot} title="Library settings" libraryId={libraryId}><p class="loading">Loading…</p></AdminLayout>;
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const text = (key: keyof Draft) => ({ value: draft[key] as string, onInput: (e: Event) => set({ [key]: inputValue(e) } as Partial<Draft>) });
  const origins = draft.allowedOrigins.split("\n").map((o) => o.trim()).filter(Boolean);

  const save = async (e: Event) => {
    e.preventDefault();
    const found: FieldErrors = {};
    if (!draft.name.trim()) found.name = "Enter the library's name";
    const colour = brandColorProblem(draft.brandColor);
    if (colour) found.brandColor = colour;
    origins.forEach((o, i) => {
      const parsed = parseEmbedOrigin(o);
      if (!parsed.ok && !found.allowedOrigins) found.allowedOrigins = `Line ${i + 1}: ${parsed.message}`;
    });
    setErrors(found);
    if (Object.keys(found).length) return;
    const body = {
      ...draft,
      rolloverSeconds: Number(draft.rolloverSeconds),
      waitLimitSeconds: Number(draft.waitLimitSeconds),
      idleEndMinutes: Number(draft.idleEndMinutes),
      allowedOrigins: origins,
      fallbackLinks: draft.fallbackLinks.filter((l) => l.label || l.url),
    };
    const r = await api<{ settings: LibrarySettings; changed: string[] }>(`/api/admin/libraries/${libraryId}/settings`, { method: "PATCH", body });
    if (!r.ok) {
      // "allowedOrigins.2" is about line 3 of the one text box.
      const m = /^allowedOrigins\.(\d+)$/.exec(r.error.field ?? "");
      if (m) return setErrors({ allowedOrigins: `Line ${Number(m[1]) + 1}: ${errorsFrom(r.error)[r.error.field!]}` });
      const l = /^fallbackLinks\.(\d+)\.(label|url)$/.exec(r.error.field ?? "");
      if (l) return setErrors({ [`fallbackLinks.${l[1]}.${l[2]}`]: errorsFrom(r.error)[r.error.field!]! });
      return setErrors(errorsFrom(r.error));
    }
    setDraft(draftOf(r.data.settings));
    say(r.data.changed.length ? "Settings saved." : "Nothing had changed.");
  };
  const setLink = (i: number, patch: Partial<{ label: string; url: string }>) => set({ fallbackLinks: draft.fallbackLinks.map((l, j) => (j === i ? { ...l, ...patch } : l)) });

  return (
    <AdminLayout boot={boot} title="Library settings" libraryId={libraryId}>
      <StatusLine text={status} />
      <p>
        Scripts (canned messages) are on the <a href={`/admin/libraries/${libraryId}/scripts`}>scripts page</a>; descriptive codes on the <a href="/questions/codes">codes page</a>. Retention and IP addresses are on the{" "}
        <a href={`/admin/libraries/${libraryId}/privacy`}>privacy page</a>.
      </p>
      <form class="stack" onSubmit={save} noValidate>
        <ErrorSummary errors={errors} />
        <h2>Name and contact</h2>
        <Field path="name" label="Library name" errors={errors}>
          <input type="text" maxLength={ADMIN_TEXT_LIMITS.libraryName} {...text("name")} {...describe("name", errors)} />
        </Field>
        <Field path="contactEmail" label="Contact e-mail" hint="Shown to patrons when nobody can chat, and the reply-to of transcript mails." errors={errors} optional>
          <input type="email" {...text("contactEmail")} {...describe("contactEmail", errors, true)} />
        </Field>
        <Field path="phone" label="Phone" errors={errors} optional>
          <input type="text" maxLength={ADMIN_TEXT_LIMITS.phone} {...text("phone")} {...describe("phone", errors)} />
        </Field>
        <Field path="websiteUrl" label="Website" errors={errors} optional>
          <input type="text" inputMode="url" {...text("websiteUrl")} {...describe("websiteUrl", errors)} />
        </Field>
        <Field path="brandColor" label="Brand colour" hint="As #rrggbb, dark enough for white text. Forms may set their own." errors={errors}>
          <input type="text" spellcheck={false} {...text("brandColor")} {...describe("brandColor", errors, true)} />
        </Field>

        <h2>Hours and when nobody is available</h2>
        <Field path="timeZone" label="Time zone" hint="An IANA time zone, e.g. America/Chicago." errors={errors}>
          <input type="text" list="zones" {...text("timeZone")} {...describe("timeZone", errors, true)} />
        </Field>
        <datalist id="zones">
          {knownZones().map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        <Field path="hoursText" label="Chat hours" hint="As patrons should read them, e.g. Mon–Fri 9–5." errors={errors} optional>
          <textarea rows={2} maxLength={ADMIN_TEXT_LIMITS.hoursText} {...text("hoursText")} {...describe("hoursText", errors, true)} />
        </Field>
        <fieldset>
          <legend>Hours each day</legend>
          <p class="help">Optional, e.g. 9:00–17:00 or Closed. Scripts say today's line, in the library's time zone, where they have {"{{hoursToday}}"}; without these, the chat hours above.</p>
          <FieldError path="hoursByWeekday" errors={errors} />
          <div class="weekday-hours">
            {WEEKDAY_NAMES.map((day, i) => (
              <div class="field" key={day}>
                <label for={`fld-hoursByWeekday-${i}`}>{day}</label>
                <input
                  id={`fld-hoursByWeekday-${i}`}
                  type="text"
                  maxLength={ADMIN_TEXT_LIMITS.dayHours}
                  value={draft.hoursByWeekday[i] ?? ""}
                  onInput={(e) => set({ hoursByWeekday: draft.hoursByWeekday.map((h, j) => (j === i ? inputValue(e) : h)) })}
                />
              </div>
            ))}
          </div>
        </fieldset>
        <Field path="unavailableMessage" label="“Not available” message" hint="What a patron reads when no librarian can take the chat." errors={errors} optional>
          <textarea rows={2} maxLength={ADMIN_TEXT_LIMITS.unavailableMessage} {...text("unavailableMessage")} {...describe("unavailableMessage", errors, true)} />
        </Field>
        <fieldset>
          <legend>Other ways to get help (links shown with that message)</legend>
          <FieldError path="fallbackLinks" errors={errors} />
          {draft.fallbackLinks.map((l, i) => (
            <div class="link-row" key={i}>
              <Field path={`fallbackLinks.${i}.label`} label={<>Link text<span class="visually-hidden"> {i + 1}</span></>} errors={errors}>
                <input type="text" value={l.label} onInput={(e) => setLink(i, { label: inputValue(e) })} {...describe(`fallbackLinks.${i}.label`, errors)} />
              </Field>
              <Field path={`fallbackLinks.${i}.url`} label={<>Address<span class="visually-hidden"> of link {i + 1}</span></>} errors={errors}>
                <input type="text" inputMode="url" value={l.url} onInput={(e) => setLink(i, { url: inputValue(e) })} {...describe(`fallbackLinks.${i}.url`, errors)} />
              </Field>
              <button type="button" class="danger" onClick={() => set({ fallbackLinks: draft.fallbackLinks.filter((_, j) => j !== i) })}>
                Remove<span class="visually-hidden"> link {i + 1}</span>
              </button>
            </div>
          ))}
          {draft.fallbackLinks.length < ADMIN_TEXT_LIMITS.fallbackLinks ? (
            <button type="button" onClick={() => set({ fallbackLinks: [...draft.fallbackLinks, { label: "", url: "" }] })}>
              Add a link
            </button>
          ) : null}
        </fieldset>

        <h2>Timing</h2>
        <Field path="rolloverSeconds" label="Roll-over time (seconds)" hint={`How long a request waits for your librarians before your cooperatives see it too: ${SETTING_RANGES.rolloverSeconds.min}–${SETTING_RANGES.rolloverSeconds.max}.`} errors={errors}>
          <input type="number" inputMode="numeric" min={SETTING_RANGES.rolloverSeconds.min} max={SETTING_RANGES.rolloverSeconds.max} {...text("rolloverSeconds")} {...describe("rolloverSeconds", errors, true)} />
        </Field>
        <Field path="waitLimitSeconds" label="Wait limit (seconds)" hint={`After this long without a librarian the patron is shown your other ways to get help: ${SETTING_RANGES.waitLimitSeconds.min}–${SETTING_RANGES.waitLimitSeconds.max}.`} errors={errors}>
          <input type="number" inputMode="numeric" min={SETTING_RANGES.waitLimitSeconds.min} max={SETTING_RANGES.waitLimitSeconds.max} {...text("waitLimitSeconds")} {...describe("waitLimitSeconds", errors, true)} />
        </Field>
        <Field path="idleEndMinutes" label="Idle chats end after (minutes)" hint={`A chat with no message for this long — or one the patron left and nobody ended — ends by itself, is filed for follow-up and mailed as the patron chose: ${SETTING_RANGES.idleEndMinutes.min}–${SETTING_RANGES.idleEndMinutes.max}.`} errors={errors}>
          <input type="number" inputMode="numeric" min={SETTING_RANGES.idleEndMinutes.min} max={SETTING_RANGES.idleEndMinutes.max} {...text("idleEndMinutes")} {...describe("idleEndMinutes", errors, true)} />
        </Field>

        <h2>Files in chats</h2>
        <div class="field checkbox">
          <input type="checkbox" id="fld-filesAllowed" checked={draft.filesAllowed} onChange={(e) => set({ filesAllowed: inputChecked(e) })} aria-describedby="fld-filesAllowed-hint" />
          <label for="fld-filesAllowed">Patrons and librarians may send files</label>
        </div>
        <p class="help" id="fld-filesAllowed-hint">
          Images (PNG, JPEG, WebP, GIF) and PDFs up to 10 MB, shown in the chat and linked from the transcript mail; deleted with the chat after the retention period. When off, new chats take no files. A librarian can also refuse files in one chat.
        </p>

        <h2>Transcript e-mail</h2>
        <Field path="mailSenderName" label="Sender name" hint="The name the transcript mail comes from; your library's name if empty." errors={errors} optional>
          <input type="text" maxLength={ADMIN_TEXT_LIMITS.mailSenderName} {...text("mailSenderName")} {...describe("mailSenderName", errors, true)} />
        </Field>
        <Field path="transcriptTemplate" label="Opening text" hint={`Placeholders: ${placeholders.map((p) => `{{${p}}}`).join(", ")}. The transcript follows it. Empty for Refdesk's standard wording.`} errors={errors} optional>
          <textarea rows={4} maxLength={ADMIN_TEXT_LIMITS.transcriptTemplate} {...text("transcriptTemplate")} {...describe("transcriptTemplate", errors, true)} />
        </Field>

        <h2>Sites allowed to embed your Qwidget</h2>
        <Field path="allowedOrigins" label="Allowed sites, one per line" hint="Scheme and host, with a port if it has one — no path. For example https://www.library.org" errors={errors} optional>
          <textarea rows={4} spellcheck={false} {...text("allowedOrigins")} {...describe("allowedOrigins", errors, true)} />
        </Field>
        <button type="submit" class="primary">
          Save settings
        </button>
      </form>
    </AdminLayout>
  );
}
