import { describe, expect, it } from 'vitest';
import { createStaffApiClient, parseIncidentEvent } from './staff-api.js';
import { ApiError } from './wire-read.js';

interface Call {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  readonly keepalive?: boolean;
}

/** A fetch that records calls and answers with the given responses in order. */
function fakeFetch(responses: Array<() => Response>): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const impl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : null;
    const headers = { ...(init?.headers as Record<string, string> | undefined) };
    calls.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers,
      body,
      keepalive: init?.keepalive === true,
    });
    const next = responses.shift();
    if (!next) throw new Error('unexpected call');
    return next();
  };
  return { fetch: impl as typeof fetch, calls };
}

function json(status: number, value: unknown): () => Response {
  return () =>
    new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
}

const noContent = () => new Response(null, { status: 204 });

const loginAnswer = {
  csrf_token: 'csrf-1',
  role: 'admin',
  email: 'ada@example.com',
  expires_at: '2026-07-15T08:00:00.000Z',
};

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('createStaffApiClient: signing in', () => {
  it('posts the credentials, reads the session, and sends the CSRF token on later writes only', async () => {
    const { fetch, calls } = fakeFetch([
      json(200, loginAnswer),
      json(200, { data: [] }),
      json(201, { id: 'k1', label: 'prod', secret: 'cg_secret' }),
    ]);
    const api = createStaffApiClient({ fetch, baseUrl: 'http://gw.test/' });

    const session = await api.login({ email: 'ada@example.com', password: 'pw' });
    expect(session).toEqual({
      id: null,
      email: 'ada@example.com',
      role: 'admin',
      expiresAt: Date.parse('2026-07-15T08:00:00.000Z'),
      totp: null,
    });
    expect(calls[0]).toMatchObject({
      url: 'http://gw.test/api/login',
      method: 'POST',
      body: { email: 'ada@example.com', password: 'pw' },
    });
    expect(calls[0]?.headers['x-csrf-token']).toBeUndefined();

    await api.listKeys();
    expect(calls[1]?.method).toBe('GET');
    expect(calls[1]?.headers['x-csrf-token']).toBeUndefined();

    expect(await api.createKey('prod')).toEqual({ id: 'k1', label: 'prod', secret: 'cg_secret' });
    expect(calls[2]).toMatchObject({
      url: 'http://gw.test/api/keys',
      method: 'POST',
      body: { label: 'prod' },
    });
    expect(calls[2]?.headers['x-csrf-token']).toBe('csrf-1');
  });

  it('sends the TOTP code on the second step', async () => {
    const { fetch, calls } = fakeFetch([
      json(401, { code: 'totp-required', message: 'A second factor is required.' }),
      json(200, loginAnswer),
    ]);
    const api = createStaffApiClient({ fetch });
    const first = await rejection(api.login({ email: 'ada@example.com', password: 'pw' }));
    expect(first.code).toBe('totp-required');
    expect(first.status).toBe(401);
    await api.login({ email: 'ada@example.com', password: 'pw', totp: '123456' });
    expect(calls[1]?.body).toEqual({ email: 'ada@example.com', password: 'pw', totp: '123456' });
  });

  it.each([
    [401, 'invalid-credentials'],
    [401, 'invalid-totp'],
    [423, 'account-locked'],
  ])(
    'turns a %i %s answer into an ApiError with that code, without reporting an expired session',
    async (status, code) => {
      let expired = 0;
      const { fetch } = fakeFetch([json(status, { code, message: 'no' })]);
      const api = createStaffApiClient({ fetch, onUnauthorized: () => expired++ });
      const error = await rejection(api.login({ email: 'a@b.c', password: 'x' }));
      expect({ status: error.status, code: error.code, message: error.message }).toEqual({
        status,
        code,
        message: 'no',
      });
      expect(expired).toBe(0);
    },
  );

  it('reports an unreachable gateway as network_error', async () => {
    const api = createStaffApiClient({
      fetch: (async () => {
        throw new TypeError('fetch failed');
      }) as typeof fetch,
    });
    const error = await rejection(api.login({ email: 'a@b.c', password: 'x' }));
    expect(error.code).toBe('network_error');
    expect(error.status).toBe(0);
  });

  it.each([
    ['no CSRF token', { role: 'admin', email: 'a@b.c' }],
    ['an unknown role', { csrf_token: 't', role: 'owner', email: 'a@b.c' }],
    ['no email', { csrf_token: 't', role: 'admin' }],
  ])('refuses a login answer with %s', async (_case, answer) => {
    const { fetch } = fakeFetch([json(200, answer)]);
    const error = await rejection(createStaffApiClient({ fetch }).login({ email: 'a@b.c', password: 'x' }));
    expect(error.code).toBe('invalid_response');
  });

  it('reads a non-JSON error page as an http_<status> error', async () => {
    const { fetch } = fakeFetch([() => new Response('<html>bad gateway</html>', { status: 502 })]);
    const error = await rejection(createStaffApiClient({ fetch }).login({ email: 'a@b.c', password: 'x' }));
    expect({ status: error.status, code: error.code }).toEqual({ status: 502, code: 'http_502' });
  });
});

describe('createStaffApiClient: the session', () => {
  it('me() returns null on 401 or 403 without reporting an expired session, and the session otherwise', async () => {
    let expired = 0;
    const { fetch } = fakeFetch([
      json(401, { code: 'unauthorized', message: 'sign in' }),
      json(403, { code: 'forbidden', message: 'This caller may not use this route.' }),
      json(200, { ...loginAnswer, id: 's1', role: 'auditor', totp: false, expires_at: 1_800_000_000_000 }),
    ]);
    const api = createStaffApiClient({ fetch, onUnauthorized: () => expired++ });
    expect(await api.me()).toBeNull();
    expect(await api.me()).toBeNull();
    expect(await api.me()).toEqual({
      id: 's1',
      email: 'ada@example.com',
      role: 'auditor',
      expiresAt: 1_800_000_000_000,
      totp: false,
    });
    expect(expired).toBe(0);
  });

  it('me() passes other failures on', async () => {
    const { fetch } = fakeFetch([json(500, { code: 'internal', message: 'Internal error.' })]);
    const error = await rejection(createStaffApiClient({ fetch }).me());
    expect(error.code).toBe('internal');
  });

  it('a 401 on another call reports the expired session and forgets the CSRF token', async () => {
    let expired = 0;
    const { fetch, calls } = fakeFetch([
      json(200, loginAnswer),
      json(401, { code: 'unauthorized', message: 'expired' }),
      json(403, { code: 'forbidden', message: 'The X-CSRF-Token header is missing.' }),
    ]);
    const api = createStaffApiClient({ fetch, onUnauthorized: () => expired++ });
    await api.login({ email: 'ada@example.com', password: 'pw' });
    expect((await rejection(api.listStaff())).code).toBe('unauthorized');
    expect(expired).toBe(1);
    expect((await rejection(api.revokeKey('k1'))).code).toBe('forbidden');
    expect(calls[2]?.headers['x-csrf-token']).toBeUndefined();
    expect(expired).toBe(1);
  });

  it('logout posts with the token and forgets it; an expired session counts as signed out', async () => {
    const { fetch, calls } = fakeFetch([
      json(200, loginAnswer),
      noContent,
      json(200, loginAnswer),
      json(401, { code: 'unauthorized', message: 'expired' }),
    ]);
    const api = createStaffApiClient({ fetch });
    await api.login({ email: 'ada@example.com', password: 'pw' });
    await api.logout();
    expect(calls[1]).toMatchObject({ url: '/api/logout', method: 'POST', body: null });
    expect(calls[1]?.headers['x-csrf-token']).toBe('csrf-1');
    await api.login({ email: 'ada@example.com', password: 'pw' });
    await expect(api.logout()).resolves.toBeUndefined();
  });

  it('logout passes a network failure on, so the page does not claim to be signed out', async () => {
    const { fetch } = fakeFetch([
      json(200, loginAnswer),
      () => {
        throw new TypeError('fetch failed');
      },
    ]);
    const api = createStaffApiClient({ fetch });
    await api.login({ email: 'ada@example.com', password: 'pw' });
    expect((await rejection(api.logout())).code).toBe('network_error');
  });
});

describe('createStaffApiClient: admin data', () => {
  async function signedIn(responses: Array<() => Response>) {
    const fake = fakeFetch([json(200, loginAnswer), ...responses]);
    const api = createStaffApiClient({ fetch: fake.fetch });
    await api.login({ email: 'ada@example.com', password: 'pw' });
    return { api, calls: fake.calls };
  }

  it('reads the staff list, keeping unknown roles and dropping malformed entries', async () => {
    const { api } = await signedIn([
      json(200, {
        data: [
          {
            id: 's1',
            email: 'ada@example.com',
            role: 'admin',
            disabled: false,
            totp: true,
            created_at: '2026-01-02T03:04:05.000Z',
            last_login_at: null,
          },
          { id: 's2', email: 'bo@example.com', role: 'trainer', disabled: true, totp: false, created_at: 5 },
          { id: 's3', role: 'operator' },
          'nonsense',
        ],
      }),
    ]);
    expect(await api.listStaff()).toEqual([
      {
        id: 's1',
        email: 'ada@example.com',
        role: 'admin',
        disabled: false,
        totp: true,
        createdAt: Date.parse('2026-01-02T03:04:05.000Z'),
        lastLoginAt: null,
      },
      {
        id: 's2',
        email: 'bo@example.com',
        role: 'trainer',
        disabled: true,
        totp: false,
        createdAt: 5,
        lastLoginAt: null,
      },
    ]);
  });

  it('refuses a list answer without a data array', async () => {
    const { api } = await signedIn([json(200, { staff: [] })]);
    expect((await rejection(api.listStaff())).code).toBe('invalid_response');
  });

  it('adds staff, returning the TOTP link only when the gateway sends one', async () => {
    const { api, calls } = await signedIn([
      json(201, { id: 'n1', email: 'op@example.com', role: 'operator' }),
      json(201, {
        id: 'n2',
        email: 'ad@example.com',
        role: 'admin',
        totp_uri: 'otpauth://totp/cg:ad?secret=ABC',
      }),
    ]);
    expect(
      await api.addStaff({ email: 'op@example.com', role: 'operator', password: 'long password' }),
    ).toEqual({
      id: 'n1',
      email: 'op@example.com',
      role: 'operator',
      totpUri: null,
    });
    expect(calls[1]).toMatchObject({
      url: '/api/staff',
      method: 'POST',
      body: { email: 'op@example.com', role: 'operator', password: 'long password' },
    });
    expect(calls[1]?.headers['x-csrf-token']).toBe('csrf-1');
    const admin = await api.addStaff({ email: 'ad@example.com', role: 'admin', password: 'long password' });
    expect(admin.totpUri).toBe('otpauth://totp/cg:ad?secret=ABC');
  });

  it('disables staff and revokes keys by id, escaping it in the path', async () => {
    const { api, calls } = await signedIn([json(200, { id: 'a/b' }), json(200, {})]);
    await api.disableStaff('a/b');
    await api.revokeKey('k 1');
    expect(calls.slice(1).map((c) => [c.method, c.url, c.headers['x-csrf-token']])).toEqual([
      ['POST', '/api/staff/a%2Fb/disable', 'csrf-1'],
      ['POST', '/api/keys/k%201/revoke', 'csrf-1'],
    ]);
  });

  it('reads characters, treating any not marked console-managed as read-only', async () => {
    const { api } = await signedIn([
      json(200, {
        data: [
          {
            id: 'xiaoyu',
            name: { zh: '小雨', en: 'Xiaoyu' },
            description: { zh: '温柔的朋友' },
            scope: 'companion',
            relation: 'friend',
            persona: 'Be kind.',
            model: null,
            enabled: true,
            managed_by: 'console',
          },
          { id: 'helper', name: 'Helper', scope: 'tool', relation: 'assistant', enabled: false },
        ],
      }),
    ]);
    expect(await api.listCharacters()).toEqual([
      {
        id: 'xiaoyu',
        name: { zh: '小雨', en: 'Xiaoyu' },
        description: { zh: '温柔的朋友', en: '温柔的朋友' },
        scope: 'companion',
        relation: 'friend',
        persona: 'Be kind.',
        model: null,
        enabled: true,
        managedBy: 'console',
      },
      {
        id: 'helper',
        name: { zh: 'Helper', en: 'Helper' },
        description: { zh: '', en: '' },
        scope: 'tool',
        relation: 'assistant',
        persona: '',
        model: null,
        enabled: false,
        managedBy: 'config',
      },
    ]);
  });

  it('saves a character with PUT, sending every field so the stored one is replaced whole', async () => {
    const { api, calls } = await signedIn([json(200, {})]);
    const character = {
      id: 'mentor-li',
      name: { zh: '李老师', en: 'Teacher Li' },
      description: { zh: '耐心的导师', en: 'A patient mentor' },
      scope: 'companion',
      relation: 'mentor',
      persona: '',
      model: null,
      enabled: true,
    } as const;
    await api.saveCharacter(character);
    expect(calls[1]).toMatchObject({ url: '/api/characters/mentor-li', method: 'PUT' });
    expect(calls[1]?.body).toEqual({
      name: character.name,
      description: character.description,
      scope: 'companion',
      relation: 'mentor',
      persona: '',
      model: null,
      enabled: true,
    });
    expect(calls[1]?.headers['x-csrf-token']).toBe('csrf-1');
  });

  it('reads keys with their revocation time, and refuses a created key without its secret', async () => {
    const { api } = await signedIn([
      json(200, {
        data: [
          { id: 'k1', label: 'prod', created_at: 1000, revoked_at: null },
          { id: 'k2', label: 'old', created_at: 1000, revoked_at: '1970-01-01T00:00:02.000Z' },
        ],
      }),
      json(201, { id: 'k3', label: 'x' }),
    ]);
    expect(await api.listKeys()).toEqual([
      { id: 'k1', label: 'prod', createdAt: 1000, revokedAt: null },
      { id: 'k2', label: 'old', createdAt: 1000, revokedAt: 2000 },
    ]);
    expect((await rejection(api.createKey('x'))).code).toBe('invalid_response');
  });
});

describe('createStaffApiClient: incidents (RISK-4, RISK-5)', () => {
  const wireIncident = {
    id: 'inc_1',
    user: 'u-42',
    session_id: 'ses_1',
    character_id: 'luna',
    severity: 'critical',
    state: 'claimed',
    reason: 'crisis',
    signals: [{ detector: 'self-harm', rule: 'zh.plan', tier: 2 }, 'junk'],
    opened_at: '2026-07-15T08:00:00.000Z',
    claimed_at: '2026-07-15T08:01:30.000Z',
    claimed_by: 'stf_1',
    escalated_at: null,
    first_human_message_at: null,
    contact_notified_at: '2026-07-15T08:00:02.000Z',
    closed_at: null,
    outcome: null,
    age_band: 'adult',
  };
  const incident = {
    id: 'inc_1',
    user: 'u-42',
    sessionId: 'ses_1',
    characterId: 'luna',
    severity: 'critical',
    state: 'claimed',
    reason: 'crisis',
    signals: [{ detector: 'self-harm', rule: 'zh.plan', tier: 2 }],
    openedAt: Date.parse('2026-07-15T08:00:00.000Z'),
    claimedAt: Date.parse('2026-07-15T08:01:30.000Z'),
    claimedBy: 'stf_1',
    escalatedAt: null,
    firstHumanMessageAt: null,
    contactNotifiedAt: Date.parse('2026-07-15T08:00:02.000Z'),
    closedAt: null,
    outcome: null,
    ageBand: 'adult',
  };

  async function signedIn(responses: Array<() => Response>) {
    const { fetch, calls } = fakeFetch([json(200, { ...loginAnswer, role: 'operator' }), ...responses]);
    const api = createStaffApiClient({ fetch });
    await api.login({ email: 'ada@example.com', password: 'pw' });
    calls.shift();
    return { api, calls };
  }

  it('lists the queue with the on-duty count, dropping entries without id, user or opening time', async () => {
    const { api, calls } = await signedIn([
      json(200, {
        data: [wireIncident, { id: 'inc_2', user: 'u' }, { ...wireIncident, id: 'inc_3', opened_at: 'soon' }],
        on_duty: 2,
      }),
    ]);
    expect(await api.listIncidents('all')).toEqual({ incidents: [incident], onDutyCount: 2 });
    expect(calls[0]).toMatchObject({ url: '/api/incidents?state=all', method: 'GET' });
  });

  it('reads an incident with its time line (types, times and actors, no text)', async () => {
    const { api, calls } = await signedIn([
      json(200, {
        ...wireIncident,
        timeline: [
          { type: 'incident-opened', at: '2026-07-15T08:00:00.000Z', actor: null },
          { type: 'incident-claimed', at: '2026-07-15T08:01:30.000Z', actor: 'stf_1' },
        ],
        emotional_state: {
          emotion: 3.5,
          dependence: 1,
          level: 'elevated',
          trend: 'rising',
          days: [{ day: '2026-07-15', emotion: 3.5, dependence: 1, signals: 2 }],
        },
      }),
      json(200, { id: 'inc_1' }),
    ]);
    expect(await api.getIncident('inc/1')).toEqual({
      ...incident,
      timeline: [
        { type: 'incident-opened', at: incident.openedAt, actor: null },
        { type: 'incident-claimed', at: incident.claimedAt, actor: 'stf_1' },
      ],
      // RISK-1: numbers only.
      emotional: {
        emotion: 3.5,
        dependence: 1,
        level: 'elevated',
        trend: 'rising',
        days: [{ day: '2026-07-15', emotion: 3.5 }],
      },
    });
    expect(calls[0]?.url).toBe('/api/incidents/inc%2F1');
    expect((await rejection(api.getIncident('inc_1'))).code).toBe('invalid_response');
  });

  it('claims with the CSRF token, and reports another operator’s claim as incident-claimed', async () => {
    const { api, calls } = await signedIn([
      json(200, wireIncident),
      json(409, { code: 'incident-claimed', message: 'Another operator has it.' }),
    ]);
    expect(await api.claimIncident('inc_1')).toEqual(incident);
    expect(calls[0]).toMatchObject({ url: '/api/incidents/inc_1/claim', method: 'POST' });
    expect(calls[0]?.headers['x-csrf-token']).toBe('csrf-1');
    const refused = await rejection(api.claimIncident('inc_1'));
    expect({ status: refused.status, code: refused.code }).toEqual({ status: 409, code: 'incident-claimed' });
  });

  it('reads the conversation with the purpose in the query, keeping who wrote each message (DATA-1)', async () => {
    const { api, calls } = await signedIn([
      json(200, {
        data: [
          {
            id: 'm1',
            role: 'user',
            author: 'user',
            content: '我今晚不想活了',
            status: 'delivered',
            created_at: 1000,
          },
          {
            id: 'm2',
            role: 'assistant',
            author: 'human',
            content: '我在这里陪你。',
            status: null,
            created_at: 2000,
          },
          { id: 'm3', role: 'assistant', content: 'no author', created_at: 3000 },
          { id: 'm4', role: 'assistant', author: 'ai' },
        ],
      }),
      json(400, { code: 'purpose-required', message: 'State why.' }),
    ]);
    expect(await api.readIncidentMessages('inc_1', 'check safety & plan')).toEqual([
      {
        id: 'm1',
        role: 'user',
        author: 'user',
        content: '我今晚不想活了',
        status: 'delivered',
        createdAt: 1000,
      },
      {
        id: 'm2',
        role: 'assistant',
        author: 'human',
        content: '我在这里陪你。',
        status: null,
        createdAt: 2000,
      },
      {
        id: 'm3',
        role: 'assistant',
        author: 'assistant',
        content: 'no author',
        status: null,
        createdAt: 3000,
      },
    ]);
    expect(calls[0]?.url).toBe('/api/incidents/inc_1/messages?purpose=check%20safety%20%26%20plan');
    expect((await rejection(api.readIncidentMessages('inc_1', ''))).code).toBe('purpose-required');
  });

  it('posts messages, notes, the hand-back instruction and the outcome as the contract names them', async () => {
    const { api, calls } = await signedIn([
      json(201, { id: 'm9', created_at: '2026-07-15T08:03:00.000Z' }),
      json(201, {}),
      json(200, wireIncident),
      json(200, wireIncident),
      json(201, {}),
    ]);
    expect(await api.sendIncidentMessage('inc_1', 'I am here.')).toEqual({
      id: 'm9',
      createdAt: Date.parse('2026-07-15T08:03:00.000Z'),
    });
    await api.addIncidentNote('inc_1', 'called back');
    await api.handBackIncident('inc_1', 'Be gentle.');
    await api.closeIncident('inc_1', 'safe');
    expect(calls.map((c) => [c.method, c.url, c.body, c.headers['x-csrf-token']])).toEqual([
      ['POST', '/api/incidents/inc_1/messages', { text: 'I am here.' }, 'csrf-1'],
      ['POST', '/api/incidents/inc_1/notes', { text: 'called back' }, 'csrf-1'],
      ['POST', '/api/incidents/inc_1/handback', { instruction: 'Be gentle.' }, 'csrf-1'],
      ['POST', '/api/incidents/inc_1/close', { outcome: 'safe' }, 'csrf-1'],
    ]);
    // A sent message without its id is not taken as sent.
    expect((await rejection(api.sendIncidentMessage('inc_1', 'x'))).code).toBe('invalid_response');
  });

  it('reads and sets the duty flag, returning what the gateway stored; the heartbeat and its end carry the CSRF token', async () => {
    const { api, calls } = await signedIn([
      json(200, { on_duty: false }),
      json(200, { on_duty: true }),
      noContent,
      noContent,
      json(200, {}),
    ]);
    expect(await api.getDuty()).toBe(false);
    expect(await api.setDuty(true)).toBe(true);
    await api.heartbeat();
    await api.endHeartbeat();
    // The end goes out with keepalive: it is sent while the page unloads.
    expect(calls.map((c) => [c.method, c.url, c.body, c.headers['x-csrf-token'], c.keepalive])).toEqual([
      ['GET', '/api/me/duty', null, undefined, false],
      ['PUT', '/api/me/duty', { on_duty: true }, 'csrf-1', false],
      ['POST', '/api/me/heartbeat', null, 'csrf-1', false],
      ['DELETE', '/api/me/heartbeat', null, 'csrf-1', true],
    ]);
    expect((await rejection(api.setDuty(false))).code).toBe('invalid_response');
  });

  it('after signing out the queue closing sends nothing (no 401 to take for an expired session)', async () => {
    const { api, calls } = await signedIn([noContent]);
    await api.logout();
    await api.endHeartbeat();
    expect(calls.map((c) => [c.method, c.url])).toEqual([['POST', '/api/logout']]);
  });

  it('reads the figures, with null medians where there is no data yet (ASSESS-2)', async () => {
    const { api } = await signedIn([
      json(200, {
        incidents: 4,
        claimed: 3,
        closed: 2,
        median_ms: { to_claim: 45_000, to_first_human_message: null, to_contact_notification: -1 },
        outcomes: { safe: 1, 'false-alarm': 1, junk: 'x' },
      }),
    ]);
    expect(await api.incidentFigures()).toEqual({
      incidents: 4,
      claimed: 3,
      closed: 2,
      medianMs: { toClaim: 45_000, toFirstHumanMessage: null, toContactNotification: null },
      outcomes: { safe: 1, 'false-alarm': 1 },
    });
  });

  it('names the feed URL under the base URL', () => {
    const api = createStaffApiClient({ baseUrl: 'https://gw.test/' });
    expect(api.incidentEventsUrl).toBe('https://gw.test/api/incidents/events');
  });
});

describe('parseIncidentEvent', () => {
  it('reads a feed event with the incident, or with its id only; skips what is not one', () => {
    const incident = { id: 'inc_1', user: 'u', opened_at: 1000, state: 'open', severity: 'high' };
    expect(parseIncidentEvent(JSON.stringify({ type: 'incident-opened', incident }))).toMatchObject({
      type: 'incident-opened',
      incidentId: 'inc_1',
      incident: { id: 'inc_1', user: 'u', openedAt: 1000, state: 'open', severity: 'high', signals: [] },
    });
    expect(parseIncidentEvent('{"type":"incident-claimed","incident":{"id":"inc_2"}}')).toEqual({
      type: 'incident-claimed',
      incidentId: 'inc_2',
      incident: null,
    });
    for (const data of [
      'not json',
      '{"type":"incident-opened"}',
      '{"incident":{"id":"x"}}',
      '{"type":"x","incident":{}}',
    ]) {
      expect(parseIncidentEvent(data)).toBeNull();
    }
  });
});

describe('staff API client: notices and switches (NOTICE-1, ASSESS-3)', () => {
  it('reads notices with the minimum advance, schedules with an ISO time and cancels by escaped id', async () => {
    const { fetch, calls } = fakeFetch([
      json(200, {
        data: [
          {
            id: 'n1',
            scope: 'character',
            target: 'xiaonuan',
            target_name: { zh: '小暖', en: 'Xiaonuan' },
            status: 'scheduled',
            effective_at: '2026-07-25T00:00:00.000Z',
            created_at: '2026-07-15T00:00:00.000Z',
            created_by: 'staff-1',
            created_by_email: 'desk@example.com',
            reason: null,
            cancelled_at: null,
            cancelled_by: null,
          },
          { id: 'bad', scope: 'planet', target: 'x', status: 'scheduled' },
        ],
        min_advance_days: { character: 7, function: 7, service: 30 },
      }),
      json(201, {}),
      json(200, {}),
    ]);
    const api = createStaffApiClient({ fetch });
    const list = await api.listNotices();
    expect(list.minAdvanceDays).toEqual({ character: 7, function: 7, service: 30 });
    expect(list.notices).toEqual([
      {
        id: 'n1',
        scope: 'character',
        target: 'xiaonuan',
        targetName: { zh: '小暖', en: 'Xiaonuan' },
        status: 'scheduled',
        effectiveAt: Date.UTC(2026, 6, 25),
        createdAt: Date.UTC(2026, 6, 15),
        createdBy: 'desk@example.com',
        reason: null,
        cancelledAt: null,
        cancelledBy: null,
      },
    ]);
    await api.scheduleNotice({
      scope: 'service',
      effectiveAt: Date.UTC(2026, 7, 20),
      reason: 'shutting down',
    });
    expect(calls[1]).toMatchObject({
      method: 'POST',
      url: '/api/notices',
      body: { scope: 'service', effective_at: '2026-08-20T00:00:00.000Z', reason: 'shutting down' },
    });
    await api.cancelNotice('a/b');
    expect(calls[2]).toMatchObject({ method: 'POST', url: '/api/notices/a%2Fb/cancel' });
  });

  it('reads the switch board and posts a change with its reason', async () => {
    const { fetch, calls } = fakeFetch([
      json(200, {
        data: [
          {
            scope: 'character',
            target: 'leo',
            target_name: { zh: '阿乐', en: 'Leo' },
            off: true,
            change_id: 'c1',
            reason: 'risk',
            changed_by: 'staff-1',
            changed_by_email: null,
            changed_at: '2026-07-15T00:00:00.000Z',
          },
        ],
        off_now: [
          { scope: 'character', target: 'leo', by: 'switch', id: 'c1', since: '2026-07-15T00:00:00.000Z' },
        ],
        characters: [{ id: 'leo', name: { zh: '阿乐', en: 'Leo' } }],
        functions: [
          { id: 'memory', name: { zh: '对话记忆', en: 'conversation memory' }, enforced_by: 'gateway' },
        ],
      }),
      json(200, {}),
    ]);
    const api = createStaffApiClient({ fetch });
    const board = await api.listSwitches();
    expect(board.switches).toEqual([
      {
        scope: 'character',
        target: 'leo',
        targetName: { zh: '阿乐', en: 'Leo' },
        off: true,
        reason: 'risk',
        changedBy: 'staff-1',
        changedAt: Date.UTC(2026, 6, 15),
      },
    ]);
    expect(board.offNow).toEqual([{ scope: 'character', target: 'leo', by: 'switch' }]);
    expect(board.functions).toEqual([
      { id: 'memory', name: { zh: '对话记忆', en: 'conversation memory' }, enforcedBy: 'gateway' },
    ]);
    await api.setSwitch({ scope: 'service', off: true, reason: 'regulator order' });
    expect(calls[1]).toMatchObject({
      method: 'POST',
      url: '/api/switches',
      body: { scope: 'service', off: true, reason: 'regulator order' },
    });
  });
});
