/** How far the code fulfils a requirement today. */
export type RequirementStatus = 'implemented' | 'partial' | 'planned';

/** The groups the catalogue is presented in, with their titles. */
export const requirementGroups = {
  scope: 'Scope',
  disclosure: 'AI identity and labelling',
  time: 'Usage time, exit and service notices',
  content: 'Content and behaviour',
  risk: 'Risk identification and intervention',
  minors: 'Minors',
  elderly: 'Elderly users',
  registration: 'Registration',
  data: 'Interaction data and logs',
  complaints: 'Complaints',
  assessment: 'Security assessment and oversight',
} as const;

export interface Requirement {
  readonly group: keyof typeof requirementGroups;
  /** What the obligation asks for, in one line. */
  readonly meaning: string;
  /**
   * `implemented`: the code enforces it and tests prove it. `partial`: part of it is enforced and tested;
   * `note` says what is missing. `planned`: nothing enforces it yet; `note` may say what exists.
   */
  readonly status: RequirementStatus;
  readonly note?: string;
}

/**
 * Every obligation companion-guard turns into running behaviour, by stable ID. Audit events, directives and
 * test names cite these IDs; `npm run requirements` writes `docs/requirements.md` from this catalogue and the
 * code, and `npm run check` fails when the two disagree or when an implemented or partial ID has no test.
 */
export const requirementCatalogue = {
  'SCOPE-1': {
    group: 'scope',
    meaning:
      'Every character says whether it is a companion (sustained emotional interaction) or a tool; companion rules follow from that.',
    status: 'implemented',
    note: "characters declare `scope` (set by admins in the console, audited); tool characters get no usage reminders (TIME-1), no DISC-6 repeats or break prompts and no over-reliance notice (DISC-3); the AI notice, crisis handling, content rules, exit and minors' rules apply to both (docs/jurisdictions.md)",
  },
  'SCOPE-2': {
    group: 'scope',
    meaning:
      'The rules come from a policy profile (cn-2026 by default, cn-2025-draft, us-ca-sb243, us-ny-art47, eu-ai-act) chosen per user region, validated data, not code.',
    status: 'implemented',
    note: "each user's turns follow the profile their registered region maps to (`profiles.byRegion`; EU member states through `EU`; others the default); every audit event of a turn names it, a region change is audited as `profile-switched`; deployment-wide settings (retention, incident timers, sign-in) follow the default profile",
  },
  'DISC-1': {
    group: 'disclosure',
    meaning: 'At first use, tell the user prominently that they are talking to an AI, not a person.',
    status: 'implemented',
    note: 'also EU AI Act Art. 50(1)/(5) in `eu-ai-act`: the notice comes with the first reply of every session',
  },
  'DISC-2': {
    group: 'disclosure',
    meaning: 'Tell them again when they come back after a configurable absence (a new login).',
    status: 'implemented',
  },
  'DISC-3': {
    group: 'disclosure',
    meaning: 'When the user shows over-reliance, pop up a reminder that the replies are AI-generated.',
    status: 'implemented',
  },
  'DISC-4': {
    group: 'disclosure',
    meaning: 'Every assistant message carries a visible AI label for the UI and a content ID of its own.',
    status: 'implemented',
    note: 'where the profile asks (`disclosure.machineReadableMark`, on in `eu-ai-act`: EU AI Act Art. 50(2)) the label also marks the reply machine-readably (`ai_generated`, `producer`) and the response carries `AI-Disclosure: mode=ai-originated`',
  },
  'DISC-5': {
    group: 'disclosure',
    meaning:
      'Copies, downloads and exports of a conversation keep the visible label and the implicit AIGC metadata.',
    status: 'implemented',
    note: 'GET /v1/users/{user}/export (JSON and HTML) labels every AI message with its content ID and the GB 45438 AIGC keys (also <meta name="AIGC">); the demo chat copies and downloads with the label',
  },
  'DISC-6': {
    group: 'disclosure',
    meaning:
      'US cadences: NY gives everyone the not-a-human notice at the start and every 3 h; CA gives known minors the notice and a break prompt every 3 h.',
    status: 'implemented',
  },
  'TIME-1': {
    group: 'time',
    meaning:
      'Remind the user of their usage time at every 2 h of continuous use; an idle gap ends continuity.',
    status: 'implemented',
  },
  'EXIT-1': {
    group: 'time',
    meaning: "The UI's close button ends the session through an API call.",
    status: 'implemented',
  },
  'EXIT-2': {
    group: 'time',
    meaning: 'A configurable exit word in the chat, or a voice exit the client reports, ends the session.',
    status: 'implemented',
  },
  'EXIT-3': {
    group: 'time',
    meaning:
      'After an exit the model says nothing more in that session and nothing tries to hold the user back; a short fixed text confirms.',
    status: 'implemented',
  },
  'NOTICE-1': {
    group: 'time',
    meaning:
      'Announce planned removals of features or of the service in advance; announce and handle unplanned outages.',
    status: 'implemented',
    note: 'compliance staff schedule notices of a character, a function or the service with the profile’s minimum advance (`notices.minAdvanceDays`); affected users get a `service-notice` directive once per session until the effective time, when the withdrawal takes effect; the gateway raises an outage notice after `controls.outageNoticeAfterMs` of upstream failures and lifts it on recovery; `GET /v1/notices` lets the app show them outside the chat; docs/notices.md',
  },
  'CONTENT-1': {
    group: 'content',
    meaning: 'Block prohibited content (TC260 / GB/T 45654 categories) in user input and in model output.',
    status: 'implemented',
  },
  'CONTENT-2': {
    group: 'content',
    meaning: 'Model output never encourages, glamorises or hints at suicide or self-harm.',
    status: 'implemented',
  },
  'CONTENT-3': {
    group: 'content',
    meaning:
      'No verbal abuse, and no emotional manipulation or traps that push the user into decisions against their interest.',
    status: 'implemented',
  },
  'CONTENT-4': {
    group: 'content',
    meaning: 'The service never coaxes secrets, private details or personal information out of the user.',
    status: 'partial',
    note: 'requests for passwords, codes, ID and card numbers or addresses are withheld; state, work and trade secrets are not covered',
  },
  'CONTENT-5': {
    group: 'content',
    meaning:
      "No sycophancy, no fostering of emotional dependence or addiction, nothing that harms the user's real-life relationships.",
    status: 'partial',
    note: 'sycophantic output is withheld; fostering dependence and harming relationships are not detected in output',
  },
  'CONTENT-6': {
    group: 'content',
    meaning: 'Minors get nothing that invites them to copy unsafe behaviour, extreme emotions or bad habits.',
    status: 'implemented',
    note: "minors' replies (registered minors and minor mode) are scanned by `unsafe-imitation` (zh/en lexicon, clause context: negation, warnings, invitation cues) and withheld; it finds only what its lexicon names, and a cue in a later clause of a streamed reply is caught by the final pass, after the clause was shown",
  },
  'RISK-1': {
    group: 'risk',
    meaning:
      "Assess the user's emotional state and dependence with privacy kept: store signals and scores, never extra copies of text.",
    status: 'implemented',
    note: 'a running emotion and dependence score per user from the detector signals (numbers only, weekly half-life, a row per day for the trend); operators see it on the incident; a sustained dependence brings the DISC-3 notice at session start',
  },
  'RISK-2': {
    group: 'risk',
    meaning:
      'Extreme emotion or addiction gets a prompt, soothing reply from preset templates that points to help.',
    status: 'partial',
    note: 'extreme emotion and distress get the preset reply and help lines; signs of addiction get only the DISC-3 notice',
  },
  'RISK-3': {
    group: 'risk',
    meaning:
      'A threat to life, health or property gets comfort and the help lines of the region (CN 12356, 400-161-9995, 120/110; US 988).',
    status: 'implemented',
  },
  'RISK-4': {
    group: 'risk',
    meaning:
      "Explicit suicide or self-harm intent: the model's reply is withheld, a human takes over and an emergency response starts.",
    status: 'implemented',
    note: 'a tier-2 finding opens a critical incident; the model is withheld; an on-duty operator claims it and writes to the user (marked human), hands back with a safety instruction or closes it; unclaimed incidents escalate with a fallback message',
  },
  'RISK-5': {
    group: 'risk',
    meaning: 'In those cases, and on major property loss, reach the guardian or emergency contact promptly.',
    status: 'partial',
    note: 'crisis and scam incidents call the notifier with the contacts and record the first notification time; the delivery adapters (webhook, SMTP, SMS) come separately',
  },
  'RISK-6': {
    group: 'risk',
    meaning:
      'An open crisis follows the user into new sessions, other characters, other devices and restarts until an operator or a cooldown ends it.',
    status: 'implemented',
    note: 'the incident in the store follows the user across sessions, characters, devices and restarts until an operator closes it or the cooldown ends it',
  },
  'MINOR-1': {
    group: 'minors',
    meaning:
      'A minor mode: daily limits by age, rest reminders, a night curfew, and leaving the mode only with guardian verification.',
    status: 'implemented',
    note: "minor mode for declared minors and users put in it (suspected, guardian); daily limits by band counted per user per local day across sessions, characters and devices, rest and reality reminders, quiet hours in the user's time zone, all from the profile and adjustable by the guardian within its bounds; an adult age registered later does not end it (audited `minor-mode-kept`), the 18th birthday does; the guardian signed in by a code sent to the registered contact ends it for suspected or guardian-kept users, never for a registered minor age (`409 minor-by-age`, the console says so); an upheld appeal of a suspected minor (MINOR-5) ends it too",
  },
  'MINOR-2': {
    group: 'minors',
    meaning:
      "Guardian consent for minors' emotional companionship, and for any service to children under 14.",
    status: 'implemented',
    note: 'without a recorded, unrevoked guardian consent a minor gets `consent-required` and no model output (companion characters; any character under 14); the guardian gets a consent link by SMTP (or the SMS interface) at most once per `guardians.consentResendHours` per user across instances (own quota, never spending sign-in codes; the chat turn does not wait for delivery), confirms by link or in the guardian console; the directive text says whether the guardian is being asked, was asked recently, is not registered or cannot be reached; minors registered before the guardian index are linked when asked; recorded with time, method and policy version, revocable, audited; proven end to end through the openai client with loopback SMTP',
  },
  'MINOR-3': {
    group: 'minors',
    meaning: 'Never serve virtual-kin or romantic-partner characters to minors.',
    status: 'implemented',
    note: 'characters whose `relation` the profile refuses to minors (partner, kin) and characters the guardian blocked get `character-not-allowed` for users in minor mode, before and after consent; `GET /v1/characters?user=` leaves them out; in-chat requests to play a partner or kin are refused (`roleplay-refused`)',
  },
  'MINOR-4': {
    group: 'minors',
    meaning:
      'Guardians get risk alerts, usage summaries without transcripts, character blocks, time limits and spending blocks.',
    status: 'implemented',
    note: 'guardian console and API: sign-in by one-time code, linked minors only, risk alerts by the notifier (e-mail, webhook) and risk events in the console (polled every 15 s, never text), 7-day usage, blocks, daily limit and quiet hours within the profile bounds, spending switch and `POST /v1/spending/check`, leaving minor mode, deletion of the history with a signed receipt (DATA-5); guardians never see transcripts (there is no such control); the blind index survives master-key rotation',
  },
  'MINOR-5': {
    group: 'minors',
    meaning:
      'Spot likely minors who gave no age from privacy-preserving signals, switch them to minor mode, and let them appeal.',
    status: 'implemented',
    note: "stated ages, grades (with traps), school words, parents' rules and sessions started in school hours raise a per-user score (no text kept); past the profile's threshold the user is moved to minor mode with one `minor-mode` directive that says why and carries how to appeal; the app files the appeal (`POST /v1/users/{user}/appeals`, or `POST /v1/complaints` with kind `appeal` and ref `minor-mode`: it is a complaint too, COMPLAINT-1; the user's words sealed under their data key), compliance staff decide it (`/api/appeals`, or resolve/reject it in the complaints queue); upheld ends the mode and clears the score in the same commit, the outcome is a `minor-mode` directive on the next turn; every step audited (`suspicion-raised`, `appeal-filed`, `appeal-decided`, `appeal-outcome-shown`). Signals are heuristics: no age verification",
  },
  'MINOR-6': {
    group: 'minors',
    meaning:
      "An exportable record for the yearly audit of minors' personal data: what was processed, consented to and deleted.",
    status: 'implemented',
    note: '`report minors-pi --year Y`: minors (a minor age band at the start or end of the UTC year), the profile fields held and messages (counts, no values), consents given, revoked and held, deletions from receipts and history-deleted events',
  },
  'ELDER-1': {
    group: 'elderly',
    meaning: 'Lead elderly users to set an emergency contact.',
    status: 'implemented',
    note: 'an `emergency-contact-needed` directive when a session of an elderly user without an emergency contact starts; the user profile lists it as missing',
  },
  'ELDER-2': {
    group: 'elderly',
    meaning:
      "When an elderly user's life, health or property is in danger, notify their emergency contact and offer help channels.",
    status: 'partial',
    note: 'crisis and scam signals open an incident that notifies the emergency contact (e-mail, SMS interface) and shows help lines or a risk warning; other health dangers are not detected',
  },
  'ELDER-3': {
    group: 'elderly',
    meaning:
      "Never play an elderly user's relatives or other people close to them, whether asked in the chat or set up as a character.",
    status: 'implemented',
    note: 'requests in the chat are refused (`roleplay-refused`) for users whose registered age makes them elderly; `kin` characters get `character-not-allowed` for them (profile `elderly.refuseKinCharacters`, default on) and are left out of `GET /v1/characters?user=`',
  },
  'ELDER-4': {
    group: 'elderly',
    meaning: 'Show conspicuous risk warnings on signs of scams or property loss.',
    status: 'implemented',
  },
  'REG-1': {
    group: 'registration',
    meaning: "Registration records the user's age or age band and a guardian or emergency contact.",
    status: 'implemented',
    note: '`PUT /v1/users/{user}` records birth date or age and encrypted contacts; `GET` derives the age band and lists what is missing',
  },
  'DATA-1': {
    group: 'data',
    meaning:
      'Conversation data is encrypted at rest and access-controlled; every staff read of plaintext is authorised and audited.',
    status: 'partial',
    note: 'messages and contacts are encrypted under per-user keys; staff sign in with roles (TOTP for admins) and every staff read of a conversation states a purpose and is audited; conversation reads are limited to the operator holding the user’s incident; the master key rotates without downtime (keys rotate-master re-wraps every data key and staff TOTP secret while the gateway serves; master-key-rotated audited; the keys of the guardians’ blind index and notification dedupe hashes are random per database, sealed under the master key and re-sealed, so lookups survive it; an instance checks for a rotation before sealing a new data key or TOTP secret; with several hosts and key files the data directory must be shared, or the keys given in the environment); the data dir is 0700 and its files 0600. Not yet: an external KMS/HSM for the master key',
  },
  'DATA-2': {
    group: 'data',
    meaning:
      "Conversation data reaches third parties only on a legal basis or with separate consent (the guardian's for minors).",
    status: 'partial',
    note: 'separate third_party consent (a minor’s — any user in minor mode, suspected ones too — only from the guardian); guard models marked third-party are skipped, and audited, for users without it where the profile says so; the upstream chat model itself is the deployment’s own processor and is not gated',
  },
  'DATA-3': {
    group: 'data',
    meaning: 'Users can export a copy of their conversation history.',
    status: 'implemented',
    note: 'GET /v1/users/{user}/export?format=json|html (app key), audited as history-exported',
  },
  'DATA-4': {
    group: 'data',
    meaning:
      'Users can delete their history for good, backups included (by destroying its key), and get a receipt.',
    status: 'implemented',
    note: 'DELETE /v1/users/{user}/history[?character_id=] destroys the per-(user, character) keys and rows in one audited transaction and returns an Ed25519-signed receipt (kept; `receipt verify`); a full deletion destroys the user-wide key too (messages before migration 0008, hand-back notes — erased —), re-sealing contacts, notification facts and appeal texts under a new one in the same transaction; a per-character deletion keeps the user-wide key and lists it as retained when it removed older messages under it',
  },
  'DATA-5': {
    group: 'data',
    meaning: "Guardians can have a minor's history deleted.",
    status: 'implemented',
    note: '`POST /api/guardian/minors/{id}/history/delete` `{character_id?}` (guardian signed in by code, CSRF, linked minors only) and the guardian console’s confirmed button call the same deletion service as DATA-4: keys destroyed, rows removed, `history-deleted` (DATA-5, requestedBy guardian, the guardian’s keyed id as actor), signed receipt returned and downloadable',
  },
  'DATA-6': {
    group: 'data',
    meaning:
      "No model training on conversations or sensitive personal data without separate, versioned, revocable, provable consent (the guardian's under 14).",
    status: 'implemented',
    note: 'append-only consent records (training, third_party, sensitive) with text version, giver, method and time, audited; for every minor band and any user in minor mode only the guardian’s count; the training export takes only users whose consent holds now',
  },
  'DATA-7': {
    group: 'data',
    meaning: 'Training-data exports record the source, consent basis and time of every item.',
    status: 'implemented',
    note: '`export --purpose training`: each conversation names its consent record; manifest.json with per-user consent, time range, counts, exclusions and redactions (phone, ID, e-mail, address, names given)',
  },
  'LOG-1': {
    group: 'data',
    meaning:
      'Logs are kept at least 6 months (configurable), are tamper-evident, and are purged on schedule afterwards.',
    status: 'implemented',
    note: 'the audit hash chain is anchored by Ed25519-signed checkpoints kept outside the database (each instance appends to its own JSON-lines file whatever the database says, optionally published over HTTP); audit verify checks signatures, the hashes at checkpoints and truncation, names the first bad seq, and fails when events wait unanchored longer than 3 checkpoint intervals (one with no checkpoint at all); retention per profile (audit and network logs at least 183 days, messages by their own setting) purged hourly once across instances in short batches, audited as one retention-purged per run that deleted anything; network logs kept in the store are the staff sign-in sessions (the process log goes to stdout, kept by the operator’s log pipeline); events after the newest checkpoint are anchored only at the next one, and the staleness check trusts event times a database writer could rewrite',
  },
  'COMPLAINT-1': {
    group: 'complaints',
    meaning:
      'Easy complaint, report and appeal channels with a published process and deadlines; handling is tracked against them.',
    status: 'implemented',
    note: "the app files complaints, reports (of a message of the user's own or a character) and appeals (of minor mode on suspicion, the MINOR-5 appeal, or of a blocked message) with `POST /v1/complaints`, refs validated against the user; the process and the profile's deadlines (`complaints`: acknowledge within hours, resolve within days per kind) are published by `GET /v1/complaints/process` (zh/en) and docs/complaints.md; compliance staff work the queue (`/api/complaints`, console): overdue flags against the deadlines, assignment, in progress, resolved or rejected (the reason is for staff and the audit trail; the user sees the status and the replies), replies; a reply reaches the user as a `complaint-reply` directive once, at once on the open session's events stream or with the next turn; the user's words and replies are sealed under their data key, staff reads audited (`complaint-texts-read`); every step audited without text (`complaint-filed`, `-assigned`, `-status`, `-replied`, `-reply-shown`); `store.complaints.summary` counts received, on-time and overdue for the report. Deadlines are calendar time (no working-day calendar); no reminder is sent to staff when a deadline nears",
  },
  'ASSESS-1': {
    group: 'assessment',
    meaning:
      'Notice when a security assessment is due: launch or new functions, major technical change, 1,000,000 registered or 100,000 monthly active users.',
    status: 'partial',
    note: 'registered and monthly-active thresholds (profile `assessment`) checked every minute and a character enabled by an admin are recorded once (`assessment-triggered`), e-mailed to `notify.compliance` and listed by `GET /api/stats`; a major technical change is not detected',
  },
  'ASSESS-2': {
    group: 'assessment',
    meaning:
      'Write the assessment report for the provincial CAC: safeguards, training data, crisis handling and takeovers, user scale and ages, minors and elderly, complaints, fixes.',
    status: 'implemented',
    note: '`report assessment` (CLI), `GET /api/reports/assessment` and the console button: the Final Art. 23 sections, the filing record and the self-inspection checklist, from the stats counters, incidents, consent records, deletion receipts, appeals and audit events of the period; Chinese with English; self-contained HTML with inline SVG charts, Markdown or JSON with the same figures; no user id or text; every generation audited. Counts read from audit events see only events still within retention; the complaints section needs `Store.complaints`',
  },
  'ASSESS-3': {
    group: 'assessment',
    meaning: 'On a major risk, switch off a function, a character or the service, and record it.',
    status: 'implemented',
    note: 'compliance staff switch characters, declared functions (`memory` enforced by the gateway) and the service off and on with a reason (`/api/switches`, audited, listed with who, when, why); every instance follows at once through the live events; turns get `feature-off`, never the model; docs/notices.md',
  },
  'ASSESS-4': {
    group: 'assessment',
    meaning:
      'Keep what app stores and the algorithm filing need: filing number, assessment status, yearly review material.',
    status: 'partial',
    note: 'filing number, assessment status, submission and review dates and a note, edited by compliance staff (`/api/filing`, audited); review material beyond these fields is not kept',
  },
  'ASSESS-5': {
    group: 'assessment',
    meaning:
      'CA: a yearly report to the Office of Suicide Prevention with crisis-referral counts and protocols, free of personal data.',
    status: 'implemented',
    note: '`report annual --year` on the us-ca-sb243 profile: crisis referral notifications (crisis-resources directives shown) and crisis incidents of the year, the protocols in force from the profile; counts only; audited. Submitting it is the operator’s step',
  },
  'GOV-1': {
    group: 'assessment',
    meaning:
      "The provider's management systems (algorithm, ethics and content review, data security, personal data, anti-fraud, contingency plans) as a self-inspection checklist with owners and dates.",
    status: 'implemented',
  },
} as const satisfies Record<string, Requirement>;

/** A requirement ID of the catalogue, e.g. `TIME-1`. */
export type RequirementId = keyof typeof requirementCatalogue;
