/**
 * Staff accounts and their console sessions (product brief, "People, roles and the API surface").
 * Filled in by the people issue.
 */

/** Staff accounts and sessions, as the gateway stores them. */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the staff work
export interface StaffStore {}
