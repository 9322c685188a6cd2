/**
 * The client's copy of the wire contract equals the gateway's. These assertions are checked by the type
 * checker (`tsc -p tsconfig.tests.json`, part of `npm test`); a drift fails the build, not a user's app.
 */
import type { DirectiveType as CoreDirectiveType, ErrorCode as CoreErrorCode } from '@companion-guard/core';
import { describe, expectTypeOf, it } from 'vitest';
import type { ComplianceWire, DirectiveWire } from '../../gateway/src/index.js';
import type { ProfileWire } from '../../gateway/src/server/openai/user-wire.js';
import type {
  Compliance,
  Directive,
  DirectiveType,
  ErrorCode,
  SessionState,
  UserProfile,
} from '../src/index.js';

describe('wire contract', () => {
  it('names exactly the directive types of core', () => {
    expectTypeOf<DirectiveType>().toEqualTypeOf<CoreDirectiveType>();
    expectTypeOf<Directive['type']>().toEqualTypeOf<CoreDirectiveType>();
  });

  it('types every directive as a narrower DirectiveWire', () => {
    expectTypeOf<Directive>().toExtend<DirectiveWire>();
    expectTypeOf<keyof Directive>().toEqualTypeOf<keyof DirectiveWire>();
  });

  it('has the compliance extension of the gateway, field for field', () => {
    expectTypeOf<Compliance>().toExtend<ComplianceWire>();
    expectTypeOf<Omit<Compliance, 'directives'>>().toEqualTypeOf<Omit<ComplianceWire, 'directives'>>();
    expectTypeOf<SessionState>().toEqualTypeOf<ComplianceWire['session']['state']>();
  });

  it('names only error codes the gateway has', () => {
    expectTypeOf<ErrorCode>().toExtend<CoreErrorCode>();
  });

  it('has the user profile of PUT /v1/users/{user}', () => {
    expectTypeOf<UserProfile>().toExtend<ProfileWire>();
    expectTypeOf<keyof UserProfile>().toEqualTypeOf<keyof ProfileWire>();
  });
});
