// The demo installation: one cooperative, three libraries, their librarians and
// chat request forms. `npm start` seeds it; the browser tests seed it too.
// Every demo librarian's password is DEMO_PASSWORD (documented in the README).

export const DEMO_PASSWORD = "refdesk-demo";

export const DEMO_GROUPS = [{ id: "statewide", name: "Statewide Ask a Librarian Cooperative", members: ["springfield", "shelbyville", "capital-u"] }];

const DEMO_ORIGINS = ["http://localhost:8787", "http://127.0.0.1:8787", "http://localhost:8788", "http://127.0.0.1:8788"];

export const DEMO_LIBRARIES = [
  {
    id: "springfield",
    name: "Springfield Public Library",
    timeZone: "America/Chicago",
    contactEmail: "ask@springfield-library.example",
    phone: "(555) 010-2000",
    hoursText: "Mon–Thu 9–8, Fri–Sat 9–5, Sun 1–5",
    unavailableMessage: "Our librarians are not online right now.",
    fallbackLinks: [
      { label: "Frequently asked questions", url: "https://springfield-library.example/faq" },
      { label: "Library catalog", url: "https://springfield-library.example/catalog" },
    ],
    brandColor: "#1d4ed8",
    allowedOrigins: DEMO_ORIGINS,
  },
  {
    id: "shelbyville",
    name: "Shelbyville Public Library",
    timeZone: "America/New_York",
    contactEmail: "reference@shelbyville-library.example",
    phone: "(555) 010-3000",
    hoursText: "Mon–Sat 10–6",
    unavailableMessage: null,
    fallbackLinks: [{ label: "Ask us by e-mail", url: "https://shelbyville-library.example/ask" }],
    brandColor: "#0f5132",
    allowedOrigins: DEMO_ORIGINS,
  },
  {
    id: "capital-u",
    name: "Capital City University Library",
    timeZone: "America/Los_Angeles",
    contactEmail: "askus@capital-u.example",
    phone: "(555) 010-4000",
    hoursText: "Reference desk: Mon–Fri 8–10, weekends 12–6",
    unavailableMessage: "No reference librarian is online right now.",
    fallbackLinks: [
      { label: "Research guides", url: "https://library.capital-u.example/guides" },
      { label: "Book a research consultation", url: "https://library.capital-u.example/consult" },
    ],
    brandColor: "#7a1f1f",
    allowedOrigins: DEMO_ORIGINS,
  },
];

export const DEMO_LIBRARIANS = [
  { id: "marge", libraryId: "springfield", email: "marge@springfield-library.example", displayName: "Marge", role: "library_admin" },
  { id: "lisa", libraryId: "springfield", email: "lisa@springfield-library.example", displayName: "Lisa", role: "librarian" },
  { id: "apu", libraryId: "shelbyville", email: "apu@shelbyville-library.example", displayName: "Apu", role: "library_admin" },
  { id: "frink", libraryId: "capital-u", email: "frink@capital-u.example", displayName: "Dr. Frink", role: "library_admin" },
  { id: "edna", libraryId: "capital-u", email: "edna@capital-u.example", displayName: "Edna", role: "group_admin" },
];

export const DEMO_FORMS = [
  {
    id: "springfield-chat",
    libraryId: "springfield",
    queueId: "lib:springfield",
    title: "Chat with a Springfield librarian",
    intro: "Ask us anything: books, research, your library account, local history.",
    fields: [
      { id: "patron-type", label: "I am a…", kind: "select", required: false, options: ["Adult", "Teen", "Child", "Educator", "Visitor"] },
      { id: "card", label: "Library card number", kind: "text", required: false, help: "Only if your question is about your account." },
    ],
    // English and Spanish; the Spanish texts below, the rest in English.
    languages: ["en", "es"],
    defaultLanguage: "en",
    translations: {
      es: {
        title: "Hable por chat con un/a bibliotecario/a de Springfield",
        intro: "Pregúntenos lo que quiera: libros, investigación, su cuenta de la biblioteca, historia local.",
        unavailableMessage: "En este momento nuestro personal bibliotecario no está en línea.",
        fields: {
          "patron-type": { label: "Soy…" },
          card: { label: "Número de carné de la biblioteca", help: "Solo si su pregunta se refiere a su cuenta." },
        },
      },
    },
  },
  {
    id: "shelbyville-chat",
    libraryId: "shelbyville",
    queueId: "lib:shelbyville",
    title: "Ask Shelbyville",
    intro: "Chat with a reference librarian.",
    fields: [],
  },
  {
    id: "capital-u-chat",
    libraryId: "capital-u",
    queueId: "lib:capital-u",
    title: "Ask a Capital City University librarian",
    intro: "Research help for students, faculty and staff.",
    fields: [
      { id: "affiliation", label: "Affiliation", kind: "select", required: true, options: ["Undergraduate", "Graduate student", "Faculty", "Staff", "Alumni", "Visitor"] },
      { id: "course", label: "Course (if this is for a class)", kind: "text", required: false },
    ],
    // English, French and Arabic (right to left).
    languages: ["en", "fr", "ar"],
    defaultLanguage: "en",
    translations: {
      fr: {
        title: "Posez votre question à un bibliothécaire de Capital City University",
        intro: "Aide à la recherche pour les étudiants, les enseignants et le personnel.",
        unavailableMessage: "Aucun bibliothécaire de référence n’est en ligne pour le moment.",
        fields: { affiliation: { label: "Statut" }, course: { label: "Cours (si votre question porte sur un cours)" } },
      },
      ar: {
        title: "اسأل أمين مكتبة في جامعة كابيتال سيتي",
        intro: "مساعدة بحثية للطلاب وأعضاء هيئة التدريس والموظفين.",
        unavailableMessage: "لا يوجد أمين مكتبة مرجعي متصل حاليًا.",
        fields: { affiliation: { label: "صفتك في الجامعة" }, course: { label: "المقرر الدراسي (إن كان سؤالك يتعلق بمقرر)" } },
      },
    },
  },
];

// ---- cooperative reference ----------------------------------------------------------
// Policy pages for partner librarians, the statewide group's own page and its
// coverage schedule. Nobody from Springfield monitoring → a Springfield patron's
// request rolls over to the statewide queue, where Shelbyville or Capital City
// librarians answer with Springfield's policy page open.

export const DEMO_POLICY_PAGES = [
  {
    libraryId: "springfield",
    sections: {
      serves: "<p>Residents of <strong>Springfield</strong> and Shelbyville Township; anyone may use the building and the chat service.</p>",
      hours: "<ul><li>Mon–Thu 9:00–20:00</li><li>Fri–Sat 9:00–17:00</li><li>Sun 13:00–17:00</li></ul><p>Closed on state holidays.</p>",
      borrowing:
        "<p>Books: 3 weeks, DVDs: 1 week. Up to <strong>2 renewals</strong> online unless someone has a hold. No fines for children's items.</p><p>A lost card costs $2 to replace at the front desk.</p>",
      remote_access:
        '<p>Databases work from home through the proxy: patrons sign in with their <em>14-digit card number</em> and PIN (last four digits of their phone number unless they changed it).</p><p>If the proxy says "card expired", send them to <a href="https://springfield-library.example/renew-card">renew the card online</a>.</p>',
      ill: "<p>Interlibrary loan is free for adult cardholders, at most 5 requests at a time, usually 1–2 weeks. Request through the catalog account.</p>",
      contacts: "<ul><li>Reference desk: (555) 010-2000, ask@springfield-library.example</li><li>Circulation (accounts, fines): (555) 010-2001</li><li>Local history room: by appointment, history@springfield-library.example</li></ul>",
      notes:
        "<ul><li>The <strong>Local history room</strong> is closed for renovation until spring; refer genealogy questions to the reference desk by e-mail.</li><li>Our catalog calls holds “requests”.</li></ul>",
    },
    links: [
      { kind: "catalog", label: "Springfield catalog", url: "https://springfield-library.example/catalog" },
      { kind: "databases", label: "Databases A–Z", url: "https://springfield-library.example/databases" },
      { kind: "account", label: "My account (renewals, holds)", url: "https://springfield-library.example/account" },
    ],
    quickAnswers: [
      { title: "Renewing items", text: "You can renew items twice online at https://springfield-library.example/account unless someone has placed a hold on them." },
      { title: "Databases from home", text: "Sign in with your 14-digit library card number and your PIN at https://springfield-library.example/databases. If it fails, call (555) 010-2001." },
    ],
    reportEmail: "webmaster@springfield-library.example",
  },
  {
    libraryId: "shelbyville",
    sections: {
      serves: "<p>Residents of Shelbyville County. Visitors can get a 3-month card for $10.</p>",
      hours: "<p>Mon–Sat 10:00–18:00.</p>",
      borrowing: "<p>4 weeks for everything, 1 renewal.</p>",
      remote_access: "<p>Remote access for residents only; sign in with card number and surname.</p>",
      notes: "<p>We do not answer questions about Springfield's tax office.</p>",
    },
    links: [{ kind: "catalog", label: "Shelbyville catalog", url: "https://shelbyville-library.example/catalog" }],
    quickAnswers: [{ title: "Visitor cards", text: "Visitors can get a 3-month card for $10 at any Shelbyville branch." }],
    reportEmail: "reference@shelbyville-library.example",
  },
  {
    libraryId: "capital-u",
    sections: {
      serves: "<p>Students, faculty and staff of Capital City University; alumni have limited database access.</p>",
      remote_access: "<p>All databases through the university's single sign-on; alumni get JSTOR and EBSCO only.</p>",
      ill: "<p>Free for students and staff through the ILL form; articles in 1–3 days.</p>",
    },
    links: [{ kind: "databases", label: "Research databases", url: "https://library.capital-u.example/databases" }],
    quickAnswers: [],
    reportEmail: "askus@capital-u.example",
  },
];

export const DEMO_GROUP_PAGES = [
  {
    groupId: "statewide",
    body: "<p>Answer every patron as your own. Never ask for a library card number or PIN in chat.</p><p>If a question needs the patron's own library, end with <strong>Followup by patron's library</strong>.</p>",
  },
];

/** Weekly shifts of the statewide queue, each in the staffing library's own time zone. */
export const DEMO_COVERAGE_SHIFTS = [
  ...[1, 2, 3, 4, 5].map((weekday) => ({ groupId: "statewide", libraryId: "shelbyville", timeZone: "America/New_York", weekday, start: 18 * 60, end: 22 * 60, endsNextDay: false })),
  ...[1, 2, 3, 4, 5].map((weekday) => ({ groupId: "statewide", libraryId: "capital-u", timeZone: "America/Los_Angeles", weekday, start: 19 * 60, end: 23 * 60, endsNextDay: false })),
  { groupId: "statewide", libraryId: "springfield", timeZone: "America/Chicago", weekday: 6, start: 9 * 60, end: 17 * 60, endsNextDay: false },
];

// ---- statistics: a history at the desk ------------------------------------------------
// `npm start` seeds months of ended chats and monitoring (scripts/stats-history.ts), so
// the statistics pages show real-looking figures at once: each library's desk hours and
// demand, its librarians, the site its Qwidget runs on. The cooperative's evening shifts
// are DEMO_COVERAGE_SHIFTS.

/** Days of history, ending now. */
export const DEMO_HISTORY_DAYS = 150;

export const DEMO_HISTORY_LIBRARIES = [
  { id: "springfield", librarians: ["lisa", "marge"], site: DEMO_ORIGINS[0], dailyRequests: 30, opens: 9, closes: 20, weekendOpens: 13, weekendCloses: 17 },
  { id: "shelbyville", librarians: ["apu"], site: DEMO_ORIGINS[0], dailyRequests: 14, opens: 10, closes: 18, weekendOpens: 10, weekendCloses: 16 },
  { id: "capital-u", librarians: ["frink", "edna"], site: DEMO_ORIGINS[0], dailyRequests: 24, opens: 8, closes: 22, weekendOpens: 12, weekendCloses: 18 },
];

/** The descriptive codes librarians pick most, in order of use; the other defaults follow. */
export const DEMO_POPULAR_CODES = [
  "ready_reference", "research_help", "catalog_search", "database_search", "account_fines", "renewals", "holds_requests", "article_access", "remote_access", "login_problem",
  "hours_locations", "citation_help", "known_item", "library_card", "ebook_access", "interlibrary_loan", "homework_help", "genealogy", "technology_help", "readers_advisory",
];
