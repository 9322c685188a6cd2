import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStaffTestApp, type StaffTestApp, type TestSession } from '../../../test/staff-app.js';

let t: StaffTestApp;
let admin: TestSession;
beforeEach(async () => {
  t = await createStaffTestApp();
  admin = await t.login(await t.addStaff('admin'));
});
afterEach(() => t.close());

const json = async (r: Response) => (await r.json()) as Record<string, unknown>;
const send = (method: string, path: string, body: unknown, session: TestSession = admin) =>
  t.request(path, { method, body: JSON.stringify(body), session });

const tutor = {
  name: { zh: '数学老师', en: 'Math tutor' },
  description: { zh: '耐心讲解数学题', en: 'Explains maths patiently' },
  scope: 'tool',
  relation: 'mentor',
  persona: 'You are a patient maths tutor.',
  enabled: true,
};

describe('admin: characters', () => {
  it('lists the config characters as managed_by config', async () => {
    const list = (await json(await t.request('/api/characters', { session: admin }))).data as Record<
      string,
      unknown
    >[];
    expect(list.map((c) => [c.id, c.managed_by])).toEqual([
      ['leo', 'config'],
      ['study-buddy', 'config'],
      ['xiaonuan', 'config'],
    ]);
    expect(list[2]).toEqual({
      id: 'xiaonuan',
      name: { zh: '小暖', en: 'Xiaonuan' },
      description: { zh: '温柔体贴的聊天伙伴', en: 'A warm, caring chat companion' },
      scope: 'companion',
      relation: 'friend',
      persona: expect.stringContaining('Xiaonuan'),
      model: null,
      enabled: true,
      managed_by: 'config',
    });
  });

  it('SCOPE-1: PUT creates and updates a console character, audited; the app sees it in /v1/characters', async () => {
    const created = await send('PUT', '/api/characters/tutor', tutor);
    expect(created.status).toBe(200);
    expect(await json(created)).toEqual({ id: 'tutor', ...tutor, model: null, managed_by: 'console' });
    const updated = await json(
      await send('PUT', '/api/characters/tutor', { ...tutor, model: 'qwen3', enabled: false }),
    );
    expect(updated).toMatchObject({ model: 'qwen3', enabled: false, managed_by: 'console' });
    expect(await t.store.getCharacter('tutor')).toMatchObject({
      model: 'qwen3',
      enabled: false,
      managedBy: 'console',
    });
    const audit = (await t.store.listAudit()).filter((e) => e.type === 'character-updated');
    expect(audit.map((e) => [e.requirement, e.data?.characterId, e.data?.enabled])).toEqual([
      ['SCOPE-1', 'tutor', true],
      ['SCOPE-1', 'tutor', false],
    ]);
    await send('PUT', '/api/characters/tutor', tutor);
    const v1 = await json(await t.request('/v1/characters'));
    expect((v1.data as { id: string }[]).map((c) => c.id)).toContain('tutor');
  });

  it('config characters are read-only here (409 character-read-only, nothing written)', async () => {
    const r = await send('PUT', '/api/characters/xiaonuan', tutor);
    expect(r.status).toBe(409);
    expect((await json(r)).code).toBe('character-read-only');
    expect(await t.store.getCharacter('xiaonuan')).toMatchObject({ scope: 'companion', managedBy: 'config' });
    expect((await t.store.listAudit()).filter((e) => e.type === 'character-updated')).toEqual([]);
  });

  it('bad bodies and ids are invalid-request', async () => {
    for (const [id, body] of [
      ['tutor', { ...tutor, relation: 'lover' }],
      ['tutor', { ...tutor, scope: 'everything' }],
      ['tutor', { ...tutor, name: { zh: '只有中文' } }],
      ['tutor', { ...tutor, enabled: undefined }],
      ['Bad Id', tutor],
    ] as const) {
      const r = await send('PUT', `/api/characters/${encodeURIComponent(id)}`, body);
      expect([r.status, (await json(r)).code]).toEqual([400, 'invalid-request']);
    }
  });
});

describe('admin: API keys', () => {
  it('creates a key (secret shown once), lists it, the key works on /v1; revoking ends it', async () => {
    const created = await send('POST', '/api/keys', { label: 'app backend' });
    expect(created.status).toBe(201);
    const key = (await json(created)) as { id: string; label: string; secret: string };
    expect(key).toEqual({
      id: expect.any(String),
      label: 'app backend',
      secret: expect.stringMatching(/^cg_/),
    });
    const list = await json(await t.request('/api/keys', { session: admin }));
    expect(list.data).toEqual([
      {
        id: key.id,
        label: 'app backend',
        created_at: new Date(t.clock.now()).toISOString(),
        revoked_at: null,
      },
    ]);
    expect(JSON.stringify(list)).not.toContain(key.secret);
    // The server is keyed now: no credentials are refused at once, the key is accepted.
    expect((await t.request('/v1/characters')).status).toBe(401);
    expect((await t.request('/v1/characters', { apiKey: key.secret })).status).toBe(200);

    t.clock.advance(5000);
    const revoked = await send('POST', `/api/keys/${key.id}/revoke`, {});
    expect(await json(revoked)).toEqual({ id: key.id, revoked_at: new Date(t.clock.now()).toISOString() });
    expect((await t.request('/v1/characters', { apiKey: key.secret })).status).toBe(200); // keyless again on loopback
    const revokedAt = new Date(t.clock.now()).toISOString();
    t.clock.advance(5000);
    const again = await json(await send('POST', `/api/keys/${key.id}/revoke`, {}));
    expect(again.revoked_at).toBe(revokedAt);
    const audit = (await t.store.listAudit()).filter((e) => e.type.startsWith('api-key-'));
    expect(audit.map((e) => [e.type, e.requirement, e.data?.keyId])).toEqual([
      ['api-key-created', 'DATA-1', key.id],
      ['api-key-revoked', 'DATA-1', key.id],
    ]);
    expect(JSON.stringify(await t.store.listAudit())).not.toContain(key.secret);
  });

  it('a revoked key is refused while another key is active', async () => {
    const a = (await json(await send('POST', '/api/keys', { label: 'a' }))) as { id: string; secret: string };
    const b = (await json(await send('POST', '/api/keys', { label: 'b' }))) as { id: string; secret: string };
    await send('POST', `/api/keys/${a.id}/revoke`, {});
    expect((await t.request('/v1/characters', { apiKey: a.secret })).status).toBe(401);
    expect((await t.request('/v1/characters', { apiKey: b.secret })).status).toBe(200);
  });

  it('unknown key → 404; an empty label → invalid-request', async () => {
    const r = await send('POST', '/api/keys/nope/revoke', {});
    expect([r.status, (await json(r)).code]).toEqual([404, 'not-found']);
    const bad = await send('POST', '/api/keys', { label: '  ' });
    expect([bad.status, (await json(bad)).code]).toEqual([400, 'invalid-request']);
  });
});
