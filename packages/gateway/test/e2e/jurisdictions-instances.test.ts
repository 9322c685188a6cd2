import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock } from '@companion-guard/core/testing';
import OpenAI from 'openai';
import { expect, it } from 'vitest';
import { startServer } from '../../src/cli/serve.js';
import { createLiveEvents } from '../../src/events/create-live-events.js';
import { silentLogger } from '../../src/logger.js';
import { describePostgres, useTestSchemas } from '../postgres.js';

const profiles = { default: 'cn-2026', byRegion: { CN: 'cn-2026', 'US-NY': 'us-ny-art47' } };

describePostgres('SCOPE-2: a region change reaches every instance', () => {
  const schemas = useTestSchemas();

  it('SCOPE-2: a region changed through instance A applies to the next turn on instance B (whose cache had the user)', async () => {
    const { url } = await schemas.create('cg_regions');
    const dataDir = await mkdtemp(join(tmpdir(), 'cg-regions-'));
    const configFile = join(dataDir, 'config.json');
    await writeFile(configFile, JSON.stringify({ demo: { paceMs: 0 }, profiles }));
    const clock = createFakeClock();
    const start = () =>
      startServer({
        port: 0,
        dataDir,
        configFile,
        env: { COMPANION_GUARD_DATABASE_URL: url },
        logger: silentLogger,
        clock,
      });
    const a = await start();
    const b = await start();
    const { events } = await createLiveEvents(
      { redis: { url: null, prefix: 'companion-guard:' }, databaseUrl: url },
      silentLogger,
    );
    try {
      const put = async (region: string) => {
        const res = await fetch(`${a.url}/v1/users/nina`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ region, age: 33 }),
        });
        expect(res.status).toBe(200);
      };
      const onB = new OpenAI({ apiKey: 'not-needed', baseURL: `${b.url}/v1`, maxRetries: 0 });
      const ask = (content: string) =>
        onB.chat.completions.create({ model: 'demo', user: 'nina', messages: [{ role: 'user', content }] });
      await put('US-NY');
      await ask('hi'); // B now holds nina (US-NY) in its user cache
      clock.advanceMinutes(1);
      const changed = new Promise<unknown>((resolve) => {
        const off = events.subscribe('users', (event) => {
          if (event.user === 'nina') {
            off();
            resolve(event);
          }
        });
      });
      await put('CN');
      expect(await changed).toEqual({ type: 'user-changed', user: 'nina' });
      await ask('你好');
      const user = await b.store.profiles.getProfile('nina');
      const audit = (await b.store.listAudit({ limit: 1000 })).filter((e) => e.userId === user?.id);
      expect(audit.find((e) => e.type === 'profile-switched')).toMatchObject({
        requirement: 'SCOPE-2',
        data: { from: 'us-ny-art47', to: 'cn-2026' },
      });
      expect(audit.at(-1)?.data?.profile).toBe('cn-2026');
    } finally {
      await events.close();
      await Promise.all([a.close(), b.close()]);
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
