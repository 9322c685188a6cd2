import { describe, expect, it } from 'vitest';
import { createApiClient } from './api.js';
import { ApiError } from './wire-read.js';

interface Call {
  readonly url: string;
  readonly method: string;
  readonly body: unknown;
}

/** A fetch that records calls and answers with the given responses in order. */
function fakeFetch(responses: Array<() => Response>): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const impl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : null;
    calls.push({ url: String(input), method: init?.method ?? 'GET', body });
    const next = responses.shift();
    if (!next) throw new Error('unexpected call');
    return next();
  };
  return { fetch: impl as typeof fetch, calls };
}

function jsonResponse(status: number, value: unknown): Response {
  return new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
}

describe('createApiClient', () => {
  it('lists characters with localized names and the default id', async () => {
    const { fetch } = fakeFetch([
      () =>
        jsonResponse(200, {
          object: 'list',
          default_character_id: 'b',
          data: [
            {
              id: 'a',
              name: { zh: '小安', en: 'An' },
              description: { zh: '朋友', en: 'A friend' },
              scope: 'general',
              relation: 'friend',
            },
            { id: 'b', name: { en: 'Bo' }, description: 'plain', scope: 'general', relation: 'mentor' },
            { name: { zh: '无 id' } },
          ],
        }),
    ]);
    const list = await createApiClient({ fetch }).listCharacters();
    expect(list.defaultCharacterId).toBe('b');
    expect(list.characters.map((c) => [c.id, c.name.zh, c.name.en, c.description.en])).toEqual([
      ['a', '小安', 'An', 'A friend'],
      ['b', 'Bo', 'Bo', 'plain'],
    ]);
  });

  it('names a network failure as network_error and an error answer by its code', async () => {
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof globalThis.fetch;
    await expect(createApiClient({ fetch: down }).listCharacters()).rejects.toMatchObject({
      status: 0,
      code: 'network_error',
    });
    const { fetch } = fakeFetch([
      () => jsonResponse(404, { error: { message: 'No such user.', type: 'not_found', code: 'not-found' } }),
    ]);
    const failure = await createApiClient({ fetch })
      .exportHistory('u/1')
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 404, code: 'not-found' });
  });
});
