/**
 * @module @companion-guard/core
 * Pure compliance core of companion-guard: policy profiles, detectors and the session state machine.
 * No I/O; usable in-process.
 */
export * from './errors.js';
export type * from './ports.js';
export type * from './types.js';
