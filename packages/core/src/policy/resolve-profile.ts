import { CgError } from '../errors.js';
import { type Profile, profileSchema } from './profile-schema.js';
import { builtInProfiles, defaultProfileId } from './profiles.js';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Objects merge key by key; arrays, scalars and null replace. */
function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = k in base ? deepMerge(base[k], v) : v;
  return out;
}

/**
 * Builds the effective profile: a built-in profile with a deployment's overrides merged in, validated.
 * Throws `CgError('invalid-profile')` whose message names every bad field by its path.
 *
 * @example
 * resolveProfile('cn-2026', { usageReminder: { everyMinutes: 90 } }).usageReminder?.everyMinutes // 90
 */
export function resolveProfile(id: string = defaultProfileId, overrides: unknown = {}): Profile {
  const base = builtInProfiles[id];
  if (!base) {
    throw new CgError(
      'invalid-profile',
      `Unknown profile "${id}"; built-in profiles: ${Object.keys(builtInProfiles).join(', ')}.`,
    );
  }
  if (!isPlainObject(overrides)) throw new CgError('invalid-profile', 'Profile overrides must be an object.');
  const parsed = profileSchema.safeParse(deepMerge(base, { ...overrides, id }));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new CgError('invalid-profile', `Invalid policy profile "${id}": ${fields.join('; ')}`);
  }
  return parsed.data;
}
