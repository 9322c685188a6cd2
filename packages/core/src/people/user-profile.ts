/**
 * User profiles (REG-1): age, region, time zone, locale, guardian and emergency contact.
 * Filled in by the people issue.
 */

/** User profiles, as the gateway stores them (contacts encrypted at rest). */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the profile work
export interface UserProfileStore {}
