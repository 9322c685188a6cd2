/**
 * What `createGatewayClient` sends, seen by a local HTTP server: methods, paths (ids encoded), bodies and
 * headers, including `POST /v1/complaints` (COMPLAINT-1); error answers become `GatewayError`s. The calls
 * against a real gateway are in packages/gateway/test/client/gateway-client.test.ts.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayClient, GatewayError } from '../src/index.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

const envelope = { directives: [], label: null, session: { id: 's-1', state: 'ended' } };

describe('createGatewayClient', () => {
  const seen: Seen[] = [];
  let answer: { status: number; body: string } = { status: 200, body: '{}' };
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => {
      text += c.toString();
    });
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: text ? JSON.parse(text) : null,
      });
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
  });
  let baseURL = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  const last = () => seen[seen.length - 1];

  it('COMPLAINT-1: complain posts the user, kind, text and ref with the API key; lists and the process are read', async () => {
    const complaint = {
      id: 'c-1',
      kind: 'report',
      ref: 'cg-42',
      status: 'open',
      text: '这条回复让我不舒服。',
      filed_at: '2026-11-30T00:00:00.000Z',
      acknowledge_by: '2026-12-01T00:00:00.000Z',
      resolve_by: '2026-12-15T00:00:00.000Z',
      acknowledged_at: null,
      closed_at: null,
      overdue: false,
      replies: [],
    };
    answer = { status: 201, body: JSON.stringify(complaint) };
    const g = createGatewayClient({ baseURL, apiKey: 'k-1', headers: { 'x-app-session': 'a-1' } });
    const filed = await g.complain({
      user: 'u-1',
      kind: 'report',
      text: '这条回复让我不舒服。',
      ref: 'cg-42',
    });
    expect(filed).toEqual(complaint);
    expect(last()).toMatchObject({
      method: 'POST',
      url: '/v1/complaints',
      body: { user: 'u-1', kind: 'report', text: '这条回复让我不舒服。', ref: 'cg-42' },
      headers: { authorization: 'Bearer k-1', 'content-type': 'application/json', 'x-app-session': 'a-1' },
    });

    answer = { status: 200, body: JSON.stringify({ data: [complaint] }) };
    expect(await g.listComplaints('u 1')).toEqual([complaint]);
    expect(last()).toMatchObject({ method: 'GET', url: '/v1/users/u%201/complaints' });

    answer = { status: 200, body: JSON.stringify({ locale: 'en', text: 'We answer within a day.' }) };
    expect((await g.complaintProcess({ locale: 'en' })).text).toBe('We answer within a day.');
    expect(last()).toMatchObject({ method: 'GET', url: '/v1/complaints/process?locale=en' });
    await g.complaintProcess();
    expect(last()?.url).toBe('/v1/complaints/process');
  });

  it('EXIT-1: exit and new chat post to the session routes with the locale and character as metadata', async () => {
    answer = { status: 200, body: JSON.stringify({ compliance: envelope }) };
    const g = createGatewayClient({ baseURL });
    expect(await g.exit('s/1', 'u-1')).toEqual(envelope);
    expect(last()).toMatchObject({
      method: 'POST',
      url: '/v1/sessions/s%2F1/exit',
      body: { user: 'u-1', via: 'button' },
    });
    expect(last()?.headers.authorization).toBeUndefined();
    await g.newChat('u-1', { characterId: 'luna', locale: 'en' });
    expect(last()).toMatchObject({
      url: '/v1/sessions',
      body: { user: 'u-1', metadata: { character_id: 'luna', locale: 'en' } },
    });
  });

  it('REG-1: profiles are PUT and GET at /v1/users/{user}, the id encoded', async () => {
    answer = { status: 200, body: JSON.stringify({ user: 'a b/c' }) };
    const g = createGatewayClient({ baseURL });
    await g.updateProfile('a b/c', { age: 70, emergency_contact: null });
    expect(last()).toMatchObject({
      method: 'PUT',
      url: '/v1/users/a%20b%2Fc',
      body: { age: 70, emergency_contact: null },
    });
    await g.getProfile('a b/c');
    expect(last()).toMatchObject({ method: 'GET', url: '/v1/users/a%20b%2Fc', body: null });
    expect(last()?.headers['content-type']).toBeUndefined();
  });

  it('error answers throw GatewayError with the stable code, or http-<status> without one', async () => {
    const g = createGatewayClient({ baseURL });
    answer = {
      status: 409,
      body: JSON.stringify({
        error: { message: 'Decided.', type: 'invalid_request_error', code: 'appeal-decided', param: null },
      }),
    };
    const e = await g.complain({ user: 'u', kind: 'appeal', text: 't' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GatewayError);
    expect(e).toMatchObject({ status: 409, code: 'appeal-decided', message: 'Decided.' });
    answer = { status: 502, body: '<html>bad gateway</html>' };
    await expect(g.getProfile('u')).rejects.toMatchObject({ status: 502, code: 'http-502' });
    answer = { status: 200, body: '{}' };
    await expect(g.exit('s', 'u')).rejects.toMatchObject({ code: 'invalid-response' });
  });

  it('uses the injected fetch', async () => {
    const urls: string[] = [];
    const g = createGatewayClient({
      baseURL: 'http://gateway.invalid/v1',
      fetch: async (input) => {
        urls.push(String(input));
        return Response.json({ compliance: envelope });
      },
    });
    expect(await g.newChat('u-1')).toEqual(envelope);
    expect(urls).toEqual(['http://gateway.invalid/v1/sessions']);
  });
});
