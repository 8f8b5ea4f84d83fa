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
  },
];
