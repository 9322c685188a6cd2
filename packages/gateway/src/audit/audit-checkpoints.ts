import { appendFile, readFile } from 'node:fs/promises';
import type { AuditCheckpoint } from '@companion-guard/core';
import { isErrnoCode } from '../storage/master-key.js';
import { ensurePrivateFile } from '../storage/private-files.js';
import { type SigningKey, verifySignature } from '../storage/signing-key.js';

/** The exact text a checkpoint's signature covers. */
export function checkpointPayload(c: Omit<AuditCheckpoint, 'signature'>): string {
  return `cg-audit-checkpoint:v1:${c.seq}:${c.hash}:${c.at}:${c.keyId}`;
}

/** Signs the chain head `{seq, hash}` at `at` (LOG-1). */
export function signCheckpoint(
  key: SigningKey,
  head: { seq: number; hash: string },
  at: number,
): AuditCheckpoint {
  const unsigned = { seq: head.seq, hash: head.hash, at, keyId: key.keyId };
  return { ...unsigned, signature: key.sign(checkpointPayload(unsigned)) };
}

/** Appends one checkpoint as a JSON line to `file` (created 0600). */
export async function appendCheckpointLine(file: string, checkpoint: AuditCheckpoint): Promise<void> {
  ensurePrivateFile(file);
  await appendFile(file, `${JSON.stringify(checkpoint)}\n`, { mode: 0o600 });
}

/** A checkpoint line that cannot be trusted: unparsable, or its signature does not verify. */
export interface BadCheckpoint {
  readonly file: string;
  readonly line: number;
  readonly seq: number | null;
  readonly problem: string;
}

/**
 * Reads checkpoint files (JSON lines; a missing file holds none) and keeps the lines whose signature
 * verifies under `publicKeyPem`; every other line is reported. Two valid checkpoints naming one seq with
 * different hashes cannot both be true: both are reported.
 */
export async function readCheckpoints(
  files: readonly string[],
  publicKeyPem: string,
): Promise<{ valid: AuditCheckpoint[]; bad: BadCheckpoint[] }> {
  const bySeq = new Map<number, AuditCheckpoint & { file: string; line: number }>();
  const bad: BadCheckpoint[] = [];
  for (const file of files) {
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (!isErrnoCode(error, 'ENOENT')) throw error;
    }
    text.split('\n').forEach((raw, index) => {
      const line = index + 1;
      if (raw.trim() === '') return;
      const checkpoint = parseCheckpoint(raw);
      if (!checkpoint) {
        bad.push({ file, line, seq: null, problem: 'not a checkpoint' });
        return;
      }
      if (!verifySignature(publicKeyPem, checkpointPayload(checkpoint), checkpoint.signature)) {
        bad.push({ file, line, seq: checkpoint.seq, problem: 'bad signature' });
        return;
      }
      const seen = bySeq.get(checkpoint.seq);
      if (seen && seen.hash !== checkpoint.hash) {
        bad.push({ file, line, seq: checkpoint.seq, problem: `contradicts ${seen.file}:${seen.line}` });
      } else if (!seen) {
        bySeq.set(checkpoint.seq, { ...checkpoint, file, line });
      }
    });
  }
  const valid = [...bySeq.values()]
    .sort((a, b) => a.seq - b.seq)
    .map(({ seq, hash, at, keyId, signature }) => ({ seq, hash, at, keyId, signature }));
  return { valid, bad };
}

function parseCheckpoint(raw: string): AuditCheckpoint | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const c = value as Record<string, unknown>;
  const ok =
    Number.isSafeInteger(c.seq) &&
    (c.seq as number) > 0 &&
    typeof c.hash === 'string' &&
    /^[0-9a-f]{64}$/.test(c.hash) &&
    Number.isSafeInteger(c.at) &&
    typeof c.keyId === 'string' &&
    typeof c.signature === 'string';
  return ok
    ? {
        seq: c.seq as number,
        hash: c.hash as string,
        at: c.at as number,
        keyId: c.keyId as string,
        signature: c.signature as string,
      }
    : undefined;
}
