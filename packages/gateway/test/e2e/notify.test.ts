import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/cli/serve.js';
import { silentLogger } from '../../src/logger.js';
import { webhookReceiver } from '../notify-capture.js';

const secret = 'whsec-e2e-0123456789abcdef';
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('serve: the notifier delivery loop (RISK-5)', () => {
  it('a served gateway delivers a queued alert by its own loop: signed webhook, attempt audited, contact time reported', async () => {
    const receiver = await webhookReceiver({ secret, path: '/cg' });

    const dataDir = await mkdtemp(join(tmpdir(), 'cg-notify-e2e-'));
    dirs.push(dataDir);
    const configFile = join(dataDir, 'config.json');
    await writeFile(
      configFile,
      JSON.stringify({
        notify: { webhooks: [{ url: receiver.url, secret, audience: 'contact' }], pollMs: 100 },
      }),
    );
    const notified: string[] = [];
    const server = await startServer({
      port: 0,
      dataDir,
      configFile,
      env: {},
      logger: silentLogger,
      onContactNotified: (incidentId) => {
        notified.push(incidentId);
      },
    });
    try {
      const user = await server.store.ensureUser('e2e-user', Date.now());
      await server.notifier.incidentOpened({
        id: 'inc-e2e-1',
        userId: user.id,
        externalUserId: 'e2e-user',
        severity: 'critical',
        reason: 'crisis',
        openedAt: Date.now(),
        contacts: {},
      });
      // Real I/O, not timed behaviour: wait until the loop has recorded the outcome.
      const deadline = Date.now() + 10_000;
      while (notified.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(receiver.calls.map((c) => ({ verified: c.verified, type: c.body.type }))).toEqual([
        { verified: true, type: 'incident.opened' },
      ]);
      expect(notified).toEqual(['inc-e2e-1']);
      const [row] = await server.store.notifications.listForIncident('inc-e2e-1');
      expect(row).toMatchObject({ state: 'sent', audience: 'contact', channel: 'webhook' });
      const types = (await server.store.listAudit()).map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['notification-queued', 'notification-sent']));
    } finally {
      await server.close();
      await receiver.close();
    }
  });
});
