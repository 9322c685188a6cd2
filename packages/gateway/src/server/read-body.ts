import { CgError } from '@companion-guard/core';
import type { z } from 'zod';

/**
 * Reads the JSON body within `maxBytes`; malformed or oversized bodies get stable codes. The body must be
 * declared `content-type: application/json` (`unsupported-media-type` otherwise): a browser sends a
 * `text/plain` body cross-site without asking first, so accepting one would open every write to CSRF.
 */
export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const mediaType = request.headers.get('content-type')?.split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') throw new CgError('unsupported-media-type');
  const tooLarge = () => new CgError('body-too-large', `The request body exceeds ${maxBytes} bytes.`);
  const declared = request.headers.get('content-length');
  if (Number(declared ?? '0') > maxBytes) throw tooLarge();
  let bytes: Buffer;
  if (declared !== null) {
    // The declared length bounds the body (Node's parser reads no more), so it is read in one go: under
    // @hono/node-server straight from the socket, without web streams.
    bytes = Buffer.from(await request.arrayBuffer());
    if (bytes.byteLength > maxBytes) throw tooLarge();
  } else {
    // Read chunk by chunk so that a body without content-length cannot grow past the limit in memory.
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of (request.body ?? []) as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > maxBytes) throw tooLarge();
      chunks.push(chunk);
    }
    bytes = Buffer.concat(chunks);
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw new CgError('invalid-request', 'The request body is not valid JSON.', { cause });
  }
}

/**
 * Reads and validates a request body that must name the end user: `missing-user` without `user`,
 * `invalid-request` naming the first bad field otherwise.
 */
export async function readUserBody<T>(request: Request, maxBytes: number, schema: z.ZodType<T>): Promise<T> {
  const body = await readJson(request, maxBytes);
  if (typeof body === 'object' && body !== null && !('user' in body)) throw new CgError('missing-user');
  return validateBody(body, schema);
}

/** Reads and validates a JSON request body: `invalid-request` naming the first bad field. */
export async function readBody<T>(request: Request, maxBytes: number, schema: z.ZodType<T>): Promise<T> {
  return validateBody(await readJson(request, maxBytes), schema);
}

function validateBody<T>(body: unknown, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CgError(
      'invalid-request',
      `Invalid request: ${issue?.path.join('.') || 'body'}: ${issue?.message}`,
    );
  }
  return parsed.data;
}
