/** Adapters for guard models served elsewhere, as core `SecondOpinion`s, built from the configuration. */
export { createGuards, type GuardSpec } from './create-guards.js';
