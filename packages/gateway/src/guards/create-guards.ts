import { CgError, type DetectorName, type SecondOpinion } from '@companion-guard/core';
import { type ChatGuardFormat, createChatGuard } from './chat-guard.js';
import type { FetchLike } from './guard-http.js';
import { createOpenAiModerationGuard } from './openai-moderation-guard.js';
import { createPolicyGuard } from './policy-guard.js';

/** One configured guard, as a deployment's config would list it. */
export type GuardSpec =
  | {
      readonly kind: 'openai-moderation';
      readonly baseUrl: string;
      /** DATA-2: the guard sends text to a third party (default: unless it listens on loopback). */
      readonly thirdParty?: boolean;
      readonly apiKey?: string;
      readonly model?: string;
      readonly name?: string;
      readonly timeoutMs?: number;
      readonly threshold?: number;
    }
  | {
      readonly kind: 'chat-guard';
      readonly baseUrl: string;
      /** DATA-2: the guard sends text to a third party (default: unless it listens on loopback). */
      readonly thirdParty?: boolean;
      readonly model: string;
      readonly apiKey?: string;
      readonly format?: ChatGuardFormat;
      readonly name?: string;
      readonly timeoutMs?: number;
      readonly controversial?: 'unsafe' | 'safe';
    }
  | {
      /** Bring-your-own-policy (gpt-oss-safeguard): the policy text per detector it backs. */
      readonly kind: 'gpt-oss-safeguard';
      readonly baseUrl: string;
      /** DATA-2: the guard sends text to a third party (default: unless it listens on loopback). */
      readonly thirdParty?: boolean;
      readonly model: string;
      readonly policies: Readonly<Partial<Record<DetectorName, string>>>;
      readonly apiKey?: string;
      readonly name?: string;
      readonly timeoutMs?: number;
      readonly reasoningEffort?: 'low' | 'medium' | 'high';
      readonly maxTokens?: number;
    };

/** A guard as built: a second opinion, and whether it sends text to a third party (DATA-2). */
export type Guard = SecondOpinion & { readonly thirdParty: boolean };

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Builds the second opinions a config lists, in order. A guard is a third party (`thirdParty`, DATA-2)
 * unless its config says `thirdParty: false` or it listens on loopback. Throws `CgError('invalid-config')` on an unknown kind,
 * a bad URL or two guards with the same name (names key the rule ids and audit records).
 */
export function createGuards(specs: readonly GuardSpec[], options: { fetch?: FetchLike } = {}): Guard[] {
  const out: Guard[] = [];
  const names = new Set<string>();
  for (const spec of specs) {
    let host: string;
    try {
      host = new URL(spec.baseUrl).hostname;
    } catch (e) {
      throw new CgError('invalid-config', `guard ${spec.kind}: invalid baseUrl`, { cause: e });
    }
    const common = {
      baseUrl: spec.baseUrl,
      ...(spec.apiKey === undefined ? {} : { apiKey: spec.apiKey }),
      ...(spec.timeoutMs === undefined ? {} : { timeoutMs: spec.timeoutMs }),
      ...(spec.name === undefined ? {} : { name: spec.name }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    };
    let guard: SecondOpinion;
    if (spec.kind === 'openai-moderation') {
      guard = createOpenAiModerationGuard({
        ...common,
        ...(spec.model === undefined ? {} : { model: spec.model }),
        ...(spec.threshold === undefined ? {} : { threshold: spec.threshold }),
      });
    } else if (spec.kind === 'chat-guard') {
      guard = createChatGuard({
        ...common,
        model: spec.model,
        ...(spec.format === undefined ? {} : { format: spec.format }),
        ...(spec.controversial === undefined ? {} : { controversial: spec.controversial }),
      });
    } else if (spec.kind === 'gpt-oss-safeguard') {
      guard = createPolicyGuard({
        ...common,
        model: spec.model,
        policies: spec.policies,
        ...(spec.reasoningEffort === undefined ? {} : { reasoningEffort: spec.reasoningEffort }),
        ...(spec.maxTokens === undefined ? {} : { maxTokens: spec.maxTokens }),
      });
      if (guard.detectors.length === 0) {
        throw new CgError('invalid-config', `guard ${guard.name}: no policy given`);
      }
    } else {
      throw new CgError('invalid-config', `unknown guard kind: ${(spec as { kind: unknown }).kind}`);
    }
    if (names.has(guard.name)) throw new CgError('invalid-config', `two guards named ${guard.name}`);
    names.add(guard.name);
    out.push({ ...guard, thirdParty: spec.thirdParty ?? !loopbackHosts.has(host) });
  }
  return out;
}
