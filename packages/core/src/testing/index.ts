/**
 * @module @companion-guard/core/testing
 * Test helpers exported for adapters: fake clock and the store conformance suite.
 */
export { createFakeClock, type FakeClock } from './fake-clock.js';
// SCOPE-2: the conformance suite of policy profiles (built-in or a deployment's overridden ones).
export { describePolicyProfileConformance } from './policy-profile-conformance.js';
export { createSeededRandom } from './seeded-random.js';
export { describeStoreConformance, type StoreConformanceHooks } from './store-conformance.js';
