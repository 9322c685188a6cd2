/**
 * Issue #11: scan caps. A model reply is cut at `detection.maxOutputChars`, showing only scanned text.
 * And one message must not freeze the gateway. A maximum-size message (just under the body limit, with
 * no punctuation: the text that once took ~50 s to scan) and, while it is being handled, another user's crisis
 * message: the crisis reply must arrive within 100 ms of its send. An explicit latency bound asked for by the
 * issue, measured with the real clock.
 */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { ChatUpstream } from '../../src/upstream/upstream.js';
import { complianceOf, startHarness } from './helpers.js';

const LIMIT_MS = 100;

/** A model that never stops talking (our own text): 400 chunks of 25 characters. */
const endlessUpstream: ChatUpstream = {
  name: 'endless',
  async *stream() {
    for (let k = 0; k < 400; k++) yield `今天我们聊聊天气和散步吧 chunk ${String(k).padStart(3, '0')}. `;
  },
};

describe('detection.maxOutputChars cuts a model reply (issue #11)', () => {
  for (const stream of [false, true]) {
    it(`${stream ? 'streamed' : 'whole'}: the reply stops at the cap with finish reason length`, async () => {
      const h = await startHarness({
        upstream: endlessUpstream,
        config: { detection: { maxOutputChars: 1000 } },
      });
      try {
        const request = {
          model: 'demo',
          user: 'talker',
          messages: [{ role: 'user' as const, content: '你好' }],
        };
        let text = '';
        let finish: string | null | undefined;
        if (stream) {
          for await (const chunk of await h.client.chat.completions.create({ ...request, stream: true })) {
            text += chunk.choices[0]?.delta.content ?? '';
            finish = chunk.choices[0]?.finish_reason ?? finish;
          }
        } else {
          const res = await h.client.chat.completions.create(request);
          text = res.choices[0]?.message.content ?? '';
          finish = res.choices[0]?.finish_reason;
        }
        expect(finish).toBe('length');
        expect(text.length).toBeLessThanOrEqual(1000);
        expect(text.length).toBeGreaterThan(900);
        expect(text.startsWith('今天我们聊聊天气和散步吧 chunk 000.')).toBe(true);
      } finally {
        await h.stop();
      }
    });
  }
});

describe('a maximum-size message does not delay another user’s crisis reply (issue #11, RISK-4)', () => {
  it(`the crisis reply arrives within ${LIMIT_MS} ms of its send`, async () => {
    const maxBodyBytes = 256 * 1024;
    const h = await startHarness({ config: { maxBodyBytes } });
    try {
      const ask = (user: string, content: string) =>
        h.client.chat.completions.create({ model: 'demo', user, messages: [{ role: 'user', content }] });
      // "再见" is 6 bytes of UTF-8: as many as fit under the body limit with room for the envelope.
      const big = '再见'.repeat(Math.floor((maxBodyBytes - 1024) / 6));
      // Both users have a session and everything is warm before the timed part (a first maximum-size message
      // pays one-time costs: compiling the long-text paths, growing the database file).
      await ask('big', big);
      await ask('crisis', '你好');
      await ask('other', '我想自杀');
      /** Posts the big message; resolves `written` once its whole body has left for the gateway. */
      /** Posts the big message; resolves once its whole body has left for the gateway, with the reply to come. */
      const postBig = () =>
        new Promise<{ replied: Promise<number> }>((written, failed) => {
          const body = JSON.stringify({
            model: 'demo',
            user: 'big',
            messages: [{ role: 'user', content: big }],
          });
          const replied = new Promise<number>((resolve, reject) => {
            const req = request(
              `${h.server.url}/v1/chat/completions`,
              { method: 'POST', headers: { 'content-type': 'application/json' } },
              (res) => {
                res.resume();
                res.on('end', () => resolve(res.statusCode ?? 0));
              },
            );
            req.on('error', (error) => {
              reject(error);
              failed(error);
            });
            req.on('finish', () => written({ replied }));
            req.end(body);
          });
          replied.catch(() => undefined); // awaited below; a failure before that must not go unhandled
        });
      // Every round: the crisis message is sent the moment the big one's body has been written, so the
      // gateway reads, parses and scans the big one while the crisis message waits for its turn.
      const latencies: number[] = [];
      for (let round = 0; round < 5; round++) {
        const { replied } = await postBig();
        const sent = performance.now();
        const crisis = await ask(`crisis-${round}`, '我今晚就要自杀');
        latencies.push(performance.now() - sent);
        expect(complianceOf(crisis).directives.map((d) => d.type)).toContain('crisis-resources');
        expect(await replied).toBe(200);
      }
      // Four of the five within the bound: one scheduling hiccup of the machine running the suite (a GC pause)
      // does not decide it, while a loop blocked by the big message fails every round.
      const shown = latencies.map((l) => l.toFixed(1)).join(', ');
      const fourth = [...latencies].sort((a, b) => a - b)[3] ?? Number.POSITIVE_INFINITY;
      expect(fourth, `crisis replies after ${shown} ms`).toBeLessThan(LIMIT_MS);
    } finally {
      await h.stop();
    }
  }, 60_000);
});
