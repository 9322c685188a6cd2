import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendCheckpointLine, signCheckpoint } from '../../src/audit/audit-checkpoints.js';
import { addStaffAccount } from '../../src/server/auth/staff-auth.js';
import { totpCode } from '../../src/server/auth/totp.js';
import { loadOrCreateSigningKey } from '../../src/storage/signing-key.js';
import { startHarness } from './helpers.js';

describe('audit verification over real HTTP', () => {
  it('LOG-1: GET /api/audit/verification reads the other instances’ checkpoint files (audit.peerCheckpointFiles) too', async () => {
    const peers = await mkdtemp(join(tmpdir(), 'cg-peer-'));
    const peerFile = join(peers, 'other-instance.jsonl');
    const h = await startHarness({ config: { audit: { peerCheckpointFiles: [peerFile] } } });
    try {
      const now = Date.now();
      const { totpUri } = await addStaffAccount(h.server.store, {
        email: 'auditor@example.com',
        role: 'auditor',
        password: 'correct horse battery',
        totp: true,
        now,
        by: 'test',
      });
      // Another instance signed the head into its own file (the same signing key, shared by the instances).
      const signingKey = await loadOrCreateSigningKey({ dataDir: h.dataDir, env: {} });
      const checkpoint = signCheckpoint(signingKey, await h.server.store.auditHead(), now);
      await appendCheckpointLine(peerFile, checkpoint);
      const login = await fetch(`${h.server.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'auditor@example.com',
          password: 'correct horse battery',
          totp: totpCode(new URL(totpUri ?? '').searchParams.get('secret') ?? '', now),
        }),
      });
      expect(login.status).toBe(200);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const verification = await fetch(`${h.server.url}/api/audit/verification`, { headers: { cookie } });
      expect(await verification.json()).toMatchObject({
        ok: true,
        checkpoints: 1,
        newest_checkpoint: { seq: checkpoint.seq, hash: checkpoint.hash },
        unanchored_since: null,
      });
    } finally {
      await h.stop();
      await rm(peers, { recursive: true, force: true });
    }
  });
});
