import {
  ageAt,
  CgError,
  type Contact,
  calendarDateAt,
  canonicalTimeZone,
  type Locale,
  missingProfileFields,
  type ProfilePatch,
  parseCalendarDate,
  type UserProfile,
  userAgeBand,
} from '@companion-guard/core';
import { z } from 'zod';
import { endUser } from './wire.js';

/** Every digit group of a phone number: 5–15 digits, optionally a leading `+`, single spaces or hyphens. */
const phonePattern = /^\+?\d(?:[ -]?\d){4,14}$/;

const contact = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
    email: z.email('must be an e-mail address').max(254, 'must be at most 254 characters').optional(),
    phone: z
      .string()
      .trim()
      .regex(phonePattern, 'must be a phone number (5–15 digits, optionally a leading +)')
      .optional(),
  })
  .strict()
  .refine((c) => c.email !== undefined || c.phone !== undefined, 'needs an email or a phone');

/** The body of `PUT /v1/users/{user}` (REG-1): every field optional; absent = unchanged, null = cleared. */
export const profileBody = z
  .object({
    birth_date: z
      .string()
      .refine((d) => parseCalendarDate(d) !== undefined, 'must be a calendar date YYYY-MM-DD')
      .nullable()
      .optional(),
    age: z
      .number()
      .int('must be an integer')
      .min(0, 'must be 0–130')
      .max(130, 'must be 0–130')
      .nullable()
      .optional(),
    region: z
      .string()
      .regex(/^[A-Z]{2,3}(?:-[A-Z0-9]{1,3})?$/, 'must be a region code such as CN, US-CA or EU (uppercase)')
      .nullable()
      .optional(),
    timezone: z
      .string()
      .max(64)
      .transform((name, ctx) => {
        const canonical = canonicalTimeZone(name);
        if (canonical === undefined) {
          ctx.addIssue({ code: 'custom', message: 'must be an IANA time zone such as Asia/Shanghai' });
          return z.NEVER;
        }
        return canonical;
      })
      .nullable()
      .optional(),
    locale: z.enum(['zh', 'en'], 'must be zh or en').nullable().optional(),
    guardian: contact.nullable().optional(),
    emergency_contact: contact.nullable().optional(),
  })
  .strict();

const hour = 3_600_000;

/**
 * Parses and validates a profile body into a patch at `now`. Throws `CgError('invalid-request')` whose
 * message starts with the field at fault, e.g. `guardian.email: must be an e-mail address`. A cleared locale
 * goes back to `defaultLocale`.
 */
export function profilePatchOf(body: unknown, now: number, defaultLocale: Locale): ProfilePatch {
  const parsed = profileBody.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    if (issue?.code === 'unrecognized_keys') {
      const fields = issue.keys.map((key) => (where ? `${where}.${key}` : key));
      throw new CgError('invalid-request', `${fields.join(', ')}: unknown field`);
    }
    throw new CgError('invalid-request', `${where || 'body'}: ${issue?.message}`);
  }
  const b = parsed.data;
  if (typeof b.birth_date === 'string' && typeof b.age === 'number') {
    throw new CgError('invalid-request', 'age: give birth_date or age, not both');
  }
  if (typeof b.birth_date === 'string') checkBirthDate(b.birth_date, now);
  const patch: { -readonly [K in keyof ProfilePatch]: ProfilePatch[K] } = {};
  if (b.birth_date !== undefined) patch.birthDate = b.birth_date;
  if (b.age !== undefined) patch.age = b.age;
  if (b.region !== undefined) patch.region = b.region;
  if (b.timezone !== undefined) patch.timeZone = b.timezone;
  if (b.locale !== undefined) patch.locale = b.locale ?? defaultLocale;
  if (b.guardian !== undefined) patch.guardian = b.guardian && toContact(b.guardian);
  if (b.emergency_contact !== undefined)
    patch.emergencyContact = b.emergency_contact && toContact(b.emergency_contact);
  return patch;
}

/** Not after today anywhere on Earth (UTC+14), and an age of at most 130 years. */
function checkBirthDate(text: string, now: number): void {
  const [y, m, d] = parseCalendarDate(text) ?? [0, 0, 0];
  const [ty, tm, td] = calendarDateAt(now + 14 * hour, 'UTC');
  if (y > ty || (y === ty && (m > tm || (m === tm && d > td)))) {
    throw new CgError('invalid-request', 'birth_date: must not be in the future');
  }
  if ((ageAt({ birthDate: text, declaredAge: null, timeZone: null }, now) ?? 0) > 130) {
    throw new CgError('invalid-request', 'birth_date: must give an age of at most 130');
  }
}

function toContact(c: { name: string; email?: string | undefined; phone?: string | undefined }): Contact {
  return { name: c.name, email: c.email ?? null, phone: c.phone ?? null };
}

/** The user's profile on the wire (snake_case), as `GET` and `PUT /v1/users/{user}` return it. */
export interface ProfileWire {
  readonly user: string;
  readonly birth_date: string | null;
  /** The age today (a declared age aged forward), or null. */
  readonly age: number | null;
  readonly age_band: string;
  readonly region: string | null;
  readonly timezone: string | null;
  readonly locale: Locale;
  readonly guardian: ContactWire | null;
  readonly emergency_contact: ContactWire | null;
  readonly missing: readonly { field: string; requirement: string; level: string }[];
  /** ISO 8601. */
  readonly created_at: string;
  /** ISO 8601 time of the last profile change; null until the user is registered. */
  readonly updated_at: string | null;
}

export interface ContactWire {
  readonly name: string;
  readonly email: string | null;
  readonly phone: string | null;
}

/** The profile at `at`, with the age band from the deployment profile's `elderly.ageFrom`. */
export function profileWire(profile: UserProfile, at: number, elderlyFrom: number): ProfileWire {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    user: profile.externalId,
    birth_date: profile.birthDate,
    age: ageAt(profile, at),
    age_band: userAgeBand(profile, at, elderlyFrom),
    region: profile.region,
    timezone: profile.timeZone,
    locale: profile.locale,
    guardian: profile.guardian,
    emergency_contact: profile.emergencyContact,
    missing: missingProfileFields(profile, at, elderlyFrom).map(({ field, requirement, level }) => ({
      field: field === 'emergencyContact' ? 'emergency_contact' : field,
      requirement,
      level,
    })),
    created_at: iso(profile.createdAt),
    updated_at: profile.profileUpdatedAt === null ? null : iso(profile.profileUpdatedAt),
  };
}

/** The `{user}` path parameter: the app's id for the user, as the chat request's `user` field. */
export function userParam(value: string | undefined): string {
  const parsed = endUser.safeParse(value);
  if (!parsed.success) throw new CgError('invalid-request', 'user: must be 1–256 characters');
  return parsed.data;
}
