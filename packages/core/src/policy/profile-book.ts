import { CgError } from '../errors.js';
import type { Profile } from './profile-schema.js';
import { builtInProfiles, defaultProfileId } from './profiles.js';
import { resolveProfile } from './resolve-profile.js';

/**
 * SCOPE-2: which policy profile decides a user's turns, from the region the app registered for the user
 * (REG-1). A deployment maps region codes to profile ids; users with no region, or one the mapping does
 * not name, get the default profile. Deployment-wide settings (retention, audit, sign-in) always follow the
 * default profile.
 */
export interface ProfileMapping {
  /** The default profile id: users with no (mapped) region, and every deployment-wide setting. */
  readonly default: string;
  /**
   * Region code → profile id. Keys: an ISO 3166-1 alpha-2 country (`CN`, `US`, `DE`), an ISO 3166-2
   * subdivision (`US-CA`, `US-NY`), or `EU` (every EU member state not named itself).
   */
  readonly byRegion?: Readonly<Record<string, string>>;
  /** Policy overrides per profile id (merged into the built-in profile and validated like `policy`). */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

/**
 * The deployment's profiles (SCOPE-2). Read `forUser(user)` for everything decided for a user's turn (AI
 * notice, reminders, exit words, crisis resources, minors' rules, texts, data rights); read `default` for
 * deployment-wide settings.
 */
export interface ProfileBook {
  /** The default profile: deployment-wide settings, and users with no (mapped) region. */
  readonly default: Profile;
  /** Every profile the mapping uses, the default first. */
  readonly all: readonly Profile[];
  /** The mapping as configured (normalised codes), for docs and the console. */
  readonly byRegion: Readonly<Record<string, string>>;
  /**
   * The profile for a region code: the exact code (`US-CA`), else its country (`US`), else `EU` for an EU
   * member state, else the default. Codes are compared upper-case; null or empty → the default.
   */
  forRegion(region: string | null | undefined): Profile;
  /** The profile deciding this user's turns: `forRegion(user.region)`. */
  forUser(user: { readonly region: string | null }): Profile;
  /** A profile in use by id (e.g. one recorded in an audit event), or undefined. */
  byId(id: string): Profile | undefined;
}

/** The 27 EU member states (ISO 3166-1 alpha-2): a region in one of them maps through `EU`. */
export const euMemberStates: ReadonlySet<string> = new Set([
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
]);

const regionKey = /^(?:[A-Z]{2}(?:-[A-Z0-9]{1,3})?|EU)$/;

/** The country part of a region code (`US-CA` → `US`). */
function countryOf(region: string): string {
  return region.split('-')[0] ?? region;
}

/**
 * Builds the profile book from a mapping, validating it: unknown profile ids, malformed region codes and
 * invalid overrides throw `CgError('invalid-profile')` naming the field (`profiles.byRegion.US-CA`, …).
 *
 * @example
 * const book = createProfileBook({ default: 'cn-2026', byRegion: { 'US-CA': 'us-ca-sb243', EU: 'eu-ai-act' } });
 * book.forRegion('US-CA').id // 'us-ca-sb243'
 * book.forRegion('DE-BY').id // 'eu-ai-act'
 * book.forRegion('BR').id    // 'cn-2026'
 */
export function createProfileBook(mapping: ProfileMapping = { default: defaultProfileId }): ProfileBook {
  const known = Object.keys(builtInProfiles).join(', ');
  const fail = (field: string, message: string): never => {
    throw new CgError('invalid-profile', `${field}: ${message}`);
  };
  if (!builtInProfiles[mapping.default]) {
    fail('profiles.default', `unknown profile "${mapping.default}"; built-in profiles: ${known}`);
  }
  const overrides = mapping.overrides ?? {};
  for (const id of Object.keys(overrides)) {
    if (!builtInProfiles[id])
      fail(`profiles.overrides.${id}`, `unknown profile; built-in profiles: ${known}`);
  }
  const byRegion: Record<string, string> = {};
  for (const [code, id] of Object.entries(mapping.byRegion ?? {})) {
    const key = code.toUpperCase();
    if (!regionKey.test(key)) {
      fail(`profiles.byRegion.${code}`, 'must be a region code such as CN, US-CA, DE or EU');
    }
    if (!builtInProfiles[id])
      fail(`profiles.byRegion.${code}`, `unknown profile "${id}"; built-in profiles: ${known}`);
    if (key in byRegion) fail(`profiles.byRegion.${code}`, `region ${key} is mapped twice`);
    byRegion[key] = id;
  }
  const profiles = new Map<string, Profile>();
  for (const id of [mapping.default, ...Object.values(byRegion)]) {
    if (!profiles.has(id)) profiles.set(id, resolveProfile(id, overrides[id] ?? {}));
  }
  const get = (id: string): Profile => profiles.get(id) as Profile;
  const fallback = get(mapping.default);

  function forRegion(region: string | null | undefined): Profile {
    if (!region) return fallback;
    const code = region.toUpperCase();
    const country = countryOf(code);
    const id = byRegion[code] ?? byRegion[country] ?? (euMemberStates.has(country) ? byRegion.EU : undefined);
    return id ? get(id) : fallback;
  }

  return {
    default: fallback,
    all: [...profiles.values()],
    byRegion,
    forRegion,
    forUser: (user) => forRegion(user.region),
    byId: (id) => profiles.get(id),
  };
}

/** A book with one profile for everybody (tests, and deployments without a region mapping). */
export function singleProfileBook(profile: Profile): ProfileBook {
  return {
    default: profile,
    all: [profile],
    byRegion: {},
    forRegion: () => profile,
    forUser: () => profile,
    byId: (id) => (id === profile.id ? profile : undefined),
  };
}
