import { createHash } from 'node:crypto';
import type { AuditEvent, AuditInput } from '@companion-guard/core';

/** prevHash of the first event in the chain. */
export const genesisHash = '0'.repeat(64);

/** The fields of an event that its hash covers, normalized the way they are stored. */
export interface HashedAuditFields {
  readonly seq: number;
  readonly type: string;
  readonly requirement: string;
  readonly at: number;
  readonly userId: string | null;
  readonly sessionId: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * JSON with object keys sorted at every depth and no whitespace, so that the same value always gives the
 * same text. The input must already be plain JSON data (see {@link normalizeAuditData}).
 *
 * @example canonicalJson({ b: 1, a: [true, { d: null, c: 'x' }] }) // '{"a":[true,{"c":"x","d":null}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
}

/**
 * The data of an event as it survives a JSON round trip (dates become strings, `undefined` disappears,
 * non-finite numbers become null): what is hashed is exactly what is stored and read back.
 */
export function normalizeAuditData(data: AuditInput['data']): Record<string, unknown> {
  if (data === undefined) return {};
  const text = JSON.stringify(data);
  const parsed: unknown = text === undefined ? {} : JSON.parse(text);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
  return parsed as Record<string, unknown>;
}

/**
 * `canonicalJson({seq, type, requirement, at, userId, sessionId, data})` given the data's canonical JSON text:
 * the keys are written in their sorted order directly, so verifying a stored chain needs no re-parsing.
 */
export function auditHashBody(fields: Omit<HashedAuditFields, 'data'>, dataJson: string): string {
  return (
    `{"at":${JSON.stringify(fields.at)},"data":${dataJson},"requirement":${JSON.stringify(fields.requirement)},` +
    `"seq":${JSON.stringify(fields.seq)},"sessionId":${JSON.stringify(fields.sessionId)},` +
    `"type":${JSON.stringify(fields.type)},"userId":${JSON.stringify(fields.userId)}}`
  );
}

/** hex SHA-256 of `prevHash + body`. */
export function hashAuditBody(prevHash: string, body: string): string {
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

/** `sha256(prevHash + canonicalJson({seq, type, requirement, at, userId, sessionId, data}))`, hex. */
export function computeAuditHash(prevHash: string, fields: HashedAuditFields): string {
  return hashAuditBody(prevHash, auditHashBody(fields, canonicalJson(fields.data)));
}

/** An event linked onto the chain, with its data's canonical JSON (what the store writes). */
export interface ChainedAuditEvent {
  readonly event: AuditEvent;
  readonly dataJson: string;
}

/**
 * Links `inputs` onto the chain after (`headSeq`, `headHash`), in order.
 * Pure: the caller holds the chain lock and writes the result.
 */
export function chainAuditEvents(
  headSeq: number,
  headHash: string,
  inputs: readonly AuditInput[],
): ChainedAuditEvent[] {
  const chained: ChainedAuditEvent[] = [];
  let seq = headSeq;
  let prevHash = headHash;
  for (const input of inputs) {
    seq += 1;
    const data = normalizeAuditData(input.data);
    const dataJson = canonicalJson(data);
    const fields = {
      seq,
      type: input.type,
      requirement: input.requirement,
      at: input.at,
      userId: input.userId ?? null,
      sessionId: input.sessionId ?? null,
    };
    const hash = hashAuditBody(prevHash, auditHashBody(fields, dataJson));
    chained.push({ event: { ...fields, data, prevHash, hash }, dataJson });
    prevHash = hash;
  }
  return chained;
}
