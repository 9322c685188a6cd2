import { z } from 'zod';
import { canonicalTimeZone } from '../people/user-profile.js';
import type { RequirementId } from '../requirements.js';
import { defaultTexts, type TextKey } from './texts.js';

const localized = z.object({ zh: z.string().min(1), en: z.string().min(1) }).strict();
const minutes = z.number().positive();
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00–23:59');
const quietHours = z.object({ from: clockTime, to: clockTime }).strict();
const minorBandMinutes = z.object({ 'under-14': minutes, '14-15': minutes, '16-17': minutes }).strict();

const textsShape = Object.fromEntries(Object.keys(defaultTexts).map((k) => [k, localized])) as Record<
  TextKey,
  typeof localized
>;

/** LOG-1: audit and network logs are kept at least 6 months. */
const minLogRetentionDays = 183;
const minLogRetentionMessage =
  'LOG-1: logs must be kept at least 6 months (183 days) / 日志至少保存六个月（183 天）';

/** What happens when a rule cannot be evaluated (detector crash, second opinion down): reviewed per rule. */
const failMode = z.enum(['block', 'allow']);

/**
 * The policy profile schema (SCOPE-2). Every number in `requirements.md` is a parameter here, never a
 * constant in code. Profiles are data: built-in ones live in `profiles.ts`, deployments override any field.
 */
export const profileSchema = z
  .object({
    id: z.string().min(1),
    name: localized,
    defaultLocale: z.enum(['zh', 'en']),
    session: z
      .object({
        /** DISC-2: a message after this much absence starts a new session (a "new login"). */
        newSessionAfterAbsenceMinutes: minutes,
        /** TIME-1: continuity of use ends after an idle gap this long. */
        idleGapMinutes: minutes,
        /**
         * The IANA time zone of users who registered none: their local day, quiet hours and school hours
         * (MINOR-1, MINOR-5) are counted in it rather than in UTC.
         */
        defaultTimeZone: z
          .string()
          .refine(
            (zone) => canonicalTimeZone(zone) !== undefined,
            'must be an IANA time zone, e.g. Asia/Shanghai',
          )
          .default('Asia/Shanghai'),
      })
      .strict(),
    disclosure: z
      .object({
        /** DISC-1 / DISC-2: show the AI notice when a session starts. */
        atSessionStart: z.boolean(),
        /** NY: a start-of-session notice is skipped if one was shown less than this long ago (0 = always). */
        minIntervalMinutes: z.number().min(0),
        /** DISC-6: repeat the notice every N minutes of continuing interaction; null = never. */
        repeatEveryMinutes: minutes.nullable(),
        /** DISC-6: whom the start notice and the repeats apply to. */
        appliesTo: z.enum(['all', 'minors']),
        /** CA: everybody gets the start notice even where repeats are for minors only. */
        startNoticeForAll: z.boolean(),
        /**
         * DISC-4 (EU AI Act Art. 50(2)): the AI label of every reply also marks it machine-readably
         * (`compliance.label.ai_generated` and the `AI-Disclosure` response header).
         */
        machineReadableMark: z.boolean().default(false),
      })
      .strict(),
    usageReminder: z
      .object({
        /** TIME-1: remind at every N minutes of continuous use. */
        everyMinutes: minutes,
        /** false: a single reminder once continuous use passes N minutes (the draft's wording). */
        repeat: z.boolean(),
        appliesTo: z.enum(['all', 'minors']),
        directive: z.enum(['usage-reminder', 'take-a-break']),
        /** TIME-1 (CN) or DISC-6 (the CA break prompt). */
        requirement: z.enum(['TIME-1', 'DISC-6'] as const satisfies readonly RequirementId[]),
      })
      .strict()
      .nullable(),
    exit: z
      .object({
        /** EXIT-2: exit keywords, matched in context by the exit-intent detector. */
        keywords: z.object({ zh: z.array(z.string().min(1)), en: z.array(z.string().min(1)) }).strict(),
      })
      .strict(),
    crisis: z
      .object({
        /** RISK-3: channels shown with crisis resources. */
        hotlines: z.array(z.object({ name: localized, number: z.string().min(1) }).strict()).min(1),
        /** RISK-4: a human takes over on explicit intent (the model's reply is withheld either way). */
        humanTakeover: z.boolean(),
        /** RISK-6: an incident nobody holds closes after this many minutes without a step. */
        cooldownMinutes: minutes,
        /** Minutes an incident may wait for an operator's claim before it escalates. */
        claimWithinMinutes: minutes.default(5),
        /** RISK-2: tier 1 distress also opens an incident (otherwise preset reply and help lines only). */
        incidentOnTier1: z.boolean().default(false),
        /** RISK-5 / ELDER-2 / ELDER-4: scam or property-loss signals of minors and elderly users open one. */
        incidentOnScamForMinorsAndElderly: z.boolean().default(true),
      })
      .strict(),
    dependence: z
      .object({
        /** DISC-3: at most one dependence notice per this many minutes. */
        noticeCooldownMinutes: minutes,
      })
      .strict(),
    elderly: z
      .object({
        /** ELDER-3: refuse to play an elderly user's relatives or specific related persons. */
        refuseRelativeImpersonation: z.boolean(),
        /** Age from which a registered user is elderly (ELDER-*); the age band `elderly` starts here. */
        ageFrom: z.number().int().min(18).max(130),
        /** ELDER-3: never serve an elderly user a character whose relation simulates a relative (`kin`). */
        refuseKinCharacters: z.boolean().default(true),
      })
      .strict(),
    /** Minor mode (MINOR-1..4): on for declared and suspected minors; see docs/minors.md. */
    minors: z
      .object({
        /** Whether the minor mode applies at all (the US profiles leave it off: DISC-6 covers minors there). */
        enabled: z.boolean().default(true),
        /** MINOR-1: minutes of use per local day, by age band. */
        dailyLimitMinutes: minorBandMinutes,
        /** MINOR-4: the most a guardian may allow per day, by age band (at least the default). */
        guardianMaxDailyLimitMinutes: minorBandMinutes,
        /** MINOR-1: a rest reminder after this many minutes of continuous use. */
        restReminderAfterMinutes: minutes,
        /** MINOR-1: "I am an AI; talk to your family and friends" every this many minutes of use; null = never. */
        realityReminderEveryMinutes: minutes.nullable(),
        /** MINOR-1: no service in these hours of the user's time zone. */
        quietHours,
        /**
         * MINOR-4: hours a guardian's quiet hours must always cover (a guardian may lengthen the quiet hours
         * freely and shorten them down to this window); null = the guardian may not shorten them at all.
         */
        guardianMinQuietHours: quietHours.nullable(),
        /** MINOR-2: the guardian's consent is needed for any service below this age … */
        consentForAllServiceUnder: z.number().int().min(0).max(18),
        /** … and for companion characters for every minor. */
        consentForCompanionCharacters: z.boolean(),
        /** MINOR-3: relations never served to minors. */
        refusedRelations: z.array(z.enum(['friend', 'partner', 'kin', 'mentor', 'assistant', 'other'])),
        /** Version of the guardian consent text (MINOR-2) a consent is recorded against. */
        consentPolicyVersion: z.string().min(1),
      })
      .strict(),
    /**
     * RISK-1: the running emotional-state and dependence scores (see docs/crisis.md). Extreme emotion adds 1
     * or 2 points, a crisis signal 3, a dependence statement 1 to the dependence score.
     */
    emotionalState: z
      .object({
        /** A score halves every this many days without a new signal. */
        halfLifeDays: z.number().positive().max(365),
        /** Emotion score from which operators see the state as elevated, and as high. */
        elevatedAt: z.number().positive(),
        highAt: z.number().positive(),
        /** DISC-3: a dependence score from which the dependence notice is shown when a session starts. */
        sustainedDependenceAt: z.number().positive(),
      })
      .strict(),
    /** Suspected minors (MINOR-5): age signals and usage raise a per-user score; see docs/minors.md. */
    suspectedMinors: z
      .object({
        /** Score users with no registered age and move them to minor mode past the threshold. */
        enabled: z.boolean(),
        /** Minor mode starts once the score reaches this. */
        threshold: z.number().positive(),
        /** The score halves every this many days without a new signal (old hints fade). */
        halfLifeDays: z.number().positive().default(30),
        /** Points per message: the strongest signal of the message counts. */
        weights: z
          .object({
            /** A stated age under 18 ("我今年14岁", "I'm 15"). */
            statedAge: z.number().min(0),
            /** A stated school grade ("我上初二了", "I'm in 8th grade"). */
            grade: z.number().min(0),
            /** Other school words ("班主任", "middle school"). */
            school: z.number().min(0),
            /** Parents' rules ("我妈不让我", "grounded"). */
            parentsRules: z.number().min(0),
            /**
             * A session started in school hours on a school day (in the user's time zone): counts only with an
             * age signal in the same message, so a usage pattern alone never moves anyone.
             */
            schoolHours: z.number().min(0),
          })
          .strict(),
        /** School hours: ISO weekdays (1 = Monday … 7 = Sunday) and a local time window. */
        schoolHours: z
          .object({ days: z.array(z.number().int().min(1).max(7)), from: clockTime, to: clockTime })
          .strict(),
      })
      .strict(),
    failModes: z
      .object({
        /** A crashing input detector: block the turn or let it through. */
        inputDetector: failMode,
        /** A crashing output detector: withhold the output or release it. */
        outputDetector: failMode,
        /** A failing or slow second opinion. */
        secondOpinion: failMode,
      })
      .strict(),
    /** LOG-1: how long records are kept before the scheduled purge deletes them. */
    retention: z
      .object({
        /** Audit events: at least 6 months. */
        auditDays: z.number().int().min(minLogRetentionDays, minLogRetentionMessage).default(365),
        /** Network logs (staff sign-in sessions kept in the store): at least 6 months. */
        networkLogDays: z.number().int().min(minLogRetentionDays, minLogRetentionMessage).default(183),
        /** Conversation messages; null keeps them until the user deletes them. */
        messageDays: z.number().int().positive().nullable().default(null),
      })
      .strict()
      .prefault({}),
    dataRights: z
      .object({
        /**
         * DATA-2: guard models marked third-party (they send text to an outside API) are asked only about
         * users whose `third_party` consent holds (a minor's from the guardian); skipped otherwise, audited.
         */
        thirdPartyGuardsNeedConsent: z.boolean(),
        /** DISC-5: `ContentProducer` of the AIGC metadata in copies and exports (the service's name or code). */
        aigcProducer: z.string().min(1),
        /** DISC-5: `ContentPropagator` of the AIGC metadata (who hands out the copy). */
        aigcPropagator: z.string().min(1),
        /** DATA-2, DATA-6: the consent text version recorded when the app names none. */
        consentTextVersion: z.string().min(1),
      })
      .strict()
      .default({
        thirdPartyGuardsNeedConsent: true,
        aigcProducer: 'companion-guard',
        aigcPropagator: 'companion-guard',
        consentTextVersion: '1',
      }),
    /** NOTICE-1: service notices; see docs/notices.md. */
    notices: z
      .object({
        /**
         * Days a planned withdrawal must be announced ahead, per scope: a notice with less advance is refused
         * (`notice-too-soon`).
         */
        minAdvanceDays: z
          .object({
            character: z.number().int().min(0),
            function: z.number().int().min(0),
            service: z.number().int().min(0),
          })
          .strict(),
      })
      .strict()
      .default({ minAdvanceDays: { character: 7, function: 7, service: 30 } }),
    /**
     * COMPLAINT-1: the published deadlines of complaint handling (calendar time from filing). The process
     * text (`texts.complaintProcess`) names them; `GET /v1/complaints/process` publishes both.
     */
    complaints: z
      .object({
        /** Staff take a complaint up (assign, start, reply or close) within this many hours. */
        acknowledgeWithinHours: z.number().int().min(1).max(720),
        /** A complaint is resolved or rejected within this many days, by kind. */
        resolveWithinDays: z
          .object({
            complaint: z.number().int().min(1).max(180),
            report: z.number().int().min(1).max(180),
            appeal: z.number().int().min(1).max(180),
          })
          .strict(),
      })
      .strict()
      .default({ acknowledgeWithinHours: 24, resolveWithinDays: { complaint: 15, report: 7, appeal: 7 } }),
    texts: z.object(textsShape).strict(),
    /**
     * ASSESS-1: the user scale at which a security assessment is due (Final Art. 22: 1,000,000 registered
     * users or 100,000 monthly active users). Crossing either is recorded once and the compliance contact told.
     */
    assessment: z
      .object({
        /** Off where no such assessment is the law (the US and EU profiles): nothing is recorded or sent. */
        enabled: z.boolean().default(true),
        registeredUsers: z.number().int().positive().default(1_000_000),
        monthlyActiveUsers: z.number().int().positive().default(100_000),
      })
      .strict()
      .default({ enabled: true, registeredUsers: 1_000_000, monthlyActiveUsers: 100_000 }),
  })
  .strict();

/** A validated policy profile. */
export type Profile = z.infer<typeof profileSchema>;

/** JSON Schema of a profile, for editors. */
export function profileJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(profileSchema) as Record<string, unknown>;
}
