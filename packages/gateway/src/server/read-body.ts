import { CgError } from '@companion-guard/core';
import type { z } from 'zod';

/** Reads the JSON body within `maxBytes`; malformed or oversized bodies get stable codes. */
export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const tooLarge = () => new CgError('body-too-large', `The request body exceeds ${maxBytes} bytes.`);
  if (Number(request.headers.get('content-length') ?? '0') > maxBytes) throw tooLarge();
  // Read chunk by chunk so that a body without content-length cannot grow past the limit in memory.
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of (request.body ?? []) as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
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
