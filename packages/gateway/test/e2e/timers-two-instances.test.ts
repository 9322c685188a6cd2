/**
 * Issue #12: every instance runs the periodic jobs; each due item is still handled once. Two real gateways
 * on one PostgreSQL schema and a shared fake clock run the jobs at the same moment: the assessment trigger
 * (ASSESS-1) is recorded once, an unclaimed incident is escalated once (RISK-4), the retention purge runs
 * once per interval (LOG-1). (Notification delivery and checkpoint publication once across instances are
 * proven in `notify/notifier.test.ts` and `audit/audit-trail.test.ts`.)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock } from '@companion-guard/core/testing';
import OpenAI from 'openai';
import { afterAll, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/cli/serve.js';
import { silentLogger } from '../../src/logger.js';
import { adminPool, createTestSchema, describePostgres } from '../postgres.js';
import { complianceOf } from './helpers.js';

describePostgres('issue #12: periodic jobs on two instances', () => {
  const admin = adminPool();
  afterAll(async () => {
    await admin.end();
  });

  it('ASSESS-1, RISK-4, LOG-1: run at once on both instances, each due item is handled once', async () => {
    const { url } = await createTestSchema(admin, 'cg_timers');
    const dataDir = await mkdtemp(join(tmpdir(), 'cg-timers-'));
    const configFile = join(dataDir, 'config.json');
    await writeFile(
      configFile,
      JSON.stringify({ demo: { paceMs: 0 }, policy: { assessment: { registeredUsers: 2 } } }),
    );
    const clock = createFakeClock(Date.UTC(2026, 9, 1, 8, 0, 0));
    const hour = 3_600_000;
    const start = () =>
      startServer({
        port: 0,
        dataDir,
        configFile,
        env: { COMPANION_GUARD_DATABASE_URL: url },
        logger: silentLogger,
        clock,
        // The test runs the jobs itself, at the same moment on both instances.
        sweepIntervalMs: hour,
        statsIntervalMs: hour,
      });
    const servers: RunningServer[] = [];
    try {
      servers.push(await start(), await start());
      const [a, b] = servers as [RunningServer, RunningServer];
      const client = new OpenAI({ apiKey: 'none', baseURL: `${a.url}/v1`, maxRetries: 0 });
      const say = async (user: string, content: string) =>
        complianceOf(
          await client.chat.completions.create({
            model: 'demo',
            user,
            messages: [{ role: 'user', content }],
          }),
        );
      await say('timer-one', 'good morning');
      // RISK-4: a crisis opens an incident; no operator claims it.
      expect(
        (await say('timer-two', 'I wrote my suicide note and I will kill myself tonight')).session.state,
      ).toBe('human-takeover');

      // ASSESS-1: two registered users cross the threshold of 2; both instances check at once.
      const triggers = await Promise.all([
        a.stats.checkThresholds(clock.now()),
        b.stats.checkThresholds(clock.now()),
      ]);
      expect(triggers.flat().map((t) => t.kind)).toEqual(['registered-users']);

      // RISK-4: past the claim window both sweepers run at once; the incident is escalated once.
      clock.advanceMinutes(6);
      const swept = await Promise.all([a.sweeper.runDue(clock.now()), b.sweeper.runDue(clock.now())]);
      expect(swept.reduce((n, s) => n + s.escalated, 0)).toBe(1);
      expect(await Promise.all([a.sweeper.runDue(clock.now()), b.sweeper.runDue(clock.now())])).toEqual([
        { escalated: 0, cooledDown: 0 },
        { escalated: 0, cooledDown: 0 },
      ]);

      // LOG-1: the purge of this interval runs on one instance only, and again only in the next interval.
      const purged = await Promise.all([a.auditTrail.purger.runDue(), b.auditTrail.purger.runDue()]);
      expect(purged.filter((p) => p !== null)).toHaveLength(1);
      expect(await a.auditTrail.purger.runDue()).toBeNull();
      clock.advance(hour);
      const nextInterval = await Promise.all([a.auditTrail.purger.runDue(), b.auditTrail.purger.runDue()]);
      expect(nextInterval.filter((p) => p !== null)).toHaveLength(1);
    } finally {
      for (const s of servers) await s.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
