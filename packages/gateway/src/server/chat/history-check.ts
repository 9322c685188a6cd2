import { createHmac, randomBytes } from 'node:crypto';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { DetectorName, Finding, Profile } from '@companion-guard/core';
import type { Detection } from '../../detection.js';
import type { UpstreamMessage } from '../../upstream/upstream.js';
import { TtlCache } from '../ttl-cache.js';

/** The detectors run on client-sent history: their findings decide the turn (RISK-4 crisis, CONTENT-1 prohibited). */
const HISTORY_DETECTORS: readonly DetectorName[] = ['crisis', 'prohibited'];
/** Digests kept per conversation (the oldest go first): a long history stays bounded in memory. */
const MAX_DIGESTS = 2_000;

/** What one turn's history check found, and what to remember once the turn is committed. */
export interface HistoryCheck {
  /** Crisis and prohibited findings (tier ≥ 1) in user messages not checked before; empty when none. */
  readonly findings: readonly Finding[];
  /**
   * Marks the checked messages and the turn's own message as seen; call after the turn is committed. Only for a
   * request that sent messages before the new one: one that sends none has nothing to check, and its turns
   * need no memory.
   */
  remember(): void;
}

/**
 * Checks the user messages a client sends as its own history (`messages` before the new one), each once per
 * conversation (user and character): a client can put a crisis statement or prohibited text in an earlier
 * user turn that the gateway never saw. What is remembered is a keyed digest (HMAC with a per-process key)
 * of each message checked, never its text, in memory with a TTL counted from the conversation's last turn: after
 * a restart, on another instance or once the entry expires the history is checked again (the incident service then joins the user's open
 * incident rather than opening a second one).
 */
export interface HistoryChecker {
  check(
    conversation: string,
    history: readonly UpstreamMessage[],
    text: string,
    options: { readonly profile: Profile },
  ): Promise<HistoryCheck>;
}

export interface HistoryCheckerOptions {
  readonly detection: Pick<Detection, 'inspectInput' | 'maxScanChars'>;
  /** How long a conversation's digests are kept (default 24 h). */
  readonly ttlMs?: number;
  /** Conversations kept (default 10,000; the least recently used go first). */
  readonly maxConversations?: number;
}

export function createHistoryChecker(options: HistoryCheckerOptions): HistoryChecker {
  const key = randomBytes(32);
  const seen = new TtlCache<Set<string>>(options.ttlMs ?? 24 * 3_600_000, options.maxConversations ?? 10_000);
  const digest = (text: string) => createHmac('sha256', key).update(text.trim()).digest('base64url');
  return {
    async check(conversation, history, text, { profile }) {
      const now = Date.now();
      const known = seen.get(conversation, now) ?? new Set<string>();
      const fresh = new Map<string, string>();
      for (const m of history) {
        if (m.role !== 'user' || m.content.trim() === '') continue;
        const d = digest(m.content);
        if (!known.has(d)) fresh.set(d, m.content);
      }
      // Unseen messages are inspected in batches that each fit the input scan cap (one line per message: a
      // line ends a sentence for the context rules), so none falls in an unscanned middle; a message longer
      // than the cap alone is scanned like a live one. Between batches the event loop serves other turns.
      // Guards that send text to third parties are not asked: the consent check is the turn's.
      const findings: Finding[] = [];
      const batches: string[][] = [];
      let size = Number.POSITIVE_INFINITY;
      for (const content of fresh.values()) {
        if (size + content.length + 1 > options.detection.maxScanChars) {
          batches.push([]);
          size = 0;
        }
        batches.at(-1)?.push(content);
        size += content.length + 1;
      }
      for (const [k, batch] of batches.entries()) {
        if (k > 0) await yieldToLoop();
        const inspected = await options.detection.inspectInput(batch.join('\n'), {
          profile,
          thirdParty: false,
          detectors: HISTORY_DETECTORS,
        });
        for (const f of inspected.findings) if (f.status === 'ok' && f.tier > 0) findings.push(f);
      }
      return {
        findings,
        remember() {
          // A request with nothing before the new message keeps nothing: no digest per turn, no memory per
          // conversation (a system message of the app's own counts as history).
          if (history.length === 0) return;
          const at = Date.now();
          const next = seen.get(conversation, at) ?? new Set<string>();
          for (const d of fresh.keys()) next.add(d);
          next.add(digest(text));
          for (const d of next) {
            if (next.size <= MAX_DIGESTS) break;
            next.delete(d);
          }
          seen.set(conversation, next, at);
        },
      };
    },
  };
}
