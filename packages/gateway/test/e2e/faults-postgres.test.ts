import { expect, it, vi } from 'vitest';
import { describePostgres, useTestSchemas } from '../postgres.js';
import { startTcpProxy } from '../tcp-proxy.js';
import { complianceOf, type Harness, startHarness } from './helpers.js';

/**
 * PostgreSQL restarting under traffic. The shared test server may not be restarted (other test files run on
 * it in parallel), so a TCP proxy stands between this gateway and PostgreSQL; cutting it (every connection
 * reset, new ones refused) is what the gateway sees of a restart or a network cut, and restoring it is the
 * server coming back.
 */
describePostgres('faults: PostgreSQL goes away under traffic and comes back', () => {
  const schemas = useTestSchemas();

  it('answers 503 store-unavailable (bilingual) while it is down, recovers without a restart, loses nothing it answered', async () => {
    const { url } = await schemas.create('cg_faults_pg');
    const target = new URL(url);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const h: Harness = await startHarness({ env: { COMPANION_GUARD_DATABASE_URL: viaProxy.toString() } });
    const results: { status: number; code?: string; message?: string; sessionId?: string; text: string }[] =
      [];
    let running = true;
    /** 8 users chatting back to back (non-streamed) until told to stop. */
    const worker = async (n: number) => {
      for (let i = 0; running; i++) {
        const text = `fault test message ${n}-${i}`;
        const res = await fetch(`${h.server.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'demo',
            user: `pg-fault-${n}`,
            messages: [{ role: 'user', content: text }],
          }),
        });
        const body = (await res.json()) as { error?: { code: string; message: string } };
        results.push(
          res.ok
            ? { status: res.status, sessionId: complianceOf(body).session.id, text }
            : { status: res.status, code: body.error?.code ?? '', message: body.error?.message ?? '', text },
        );
      }
    };
    try {
      const traffic = Promise.all(Array.from({ length: 8 }, (_, n) => worker(n)));
      const ok = () => results.filter((r) => r.status === 200).length;
      await vi.waitFor(() => expect(ok()).toBeGreaterThanOrEqual(20), { timeout: 10_000, interval: 20 });
      proxy.cut();
      const cutAt = results.length;
      await vi.waitFor(
        () => expect(results.slice(cutAt).filter((r) => r.status === 503).length).toBeGreaterThanOrEqual(10),
        { timeout: 15_000, interval: 20 },
      );
      const before = proxy.accepted;
      proxy.restore();
      const restoredAt = results.length;
      await vi.waitFor(
        () =>
          expect(results.slice(restoredAt).filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(20),
        { timeout: 15_000, interval: 20 },
      );
      running = false;
      await traffic;
      expect(proxy.accepted).toBeGreaterThan(before); // the pool reconnected; the gateway was not restarted

      // Every failure is the stable code, in both languages; nothing else went wrong.
      const failures = results.filter((r) => r.status !== 200);
      expect(new Set(failures.map((r) => `${r.status} ${r.code}`))).toEqual(
        new Set(['503 store-unavailable']),
      );
      for (const f of failures) {
        expect(f.message).toMatch(/cannot be reached or is overloaded/);
        expect(f.message).toMatch(/数据库暂时无法连接或过于繁忙/);
      }
      // Every turn that was answered is in the store with its reply.
      for (const r of results.filter((x) => x.status === 200)) {
        const messages = await h.server.store.listMessages(r.sessionId ?? '');
        const i = messages.findIndex((m) => m.role === 'user' && m.content === r.text);
        expect(i, r.text).toBeGreaterThanOrEqual(0);
        expect(messages[i + 1]?.role).toBe('assistant');
      }
      expect((await h.server.store.verifyAudit()).ok).toBe(true);
    } finally {
      running = false;
      await h.stop();
      await proxy.close();
    }
  }, 60_000);
});
