import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CgError,
  type ConsentRecord,
  consentsAsMinor,
  type DeletionReceipt,
  heldConsent,
  isMinorBand,
  namesGiven,
  type Profile,
  type RedactionKind,
  receiptSigningText,
  redactPersonalData,
  type Store,
  userAgeBand,
} from '@companion-guard/core';
import { readVerifyingKey, verifySignature } from '../storage/signing-key.js';

/** Where a data-rights command writes: results, diagnostics, and a progress bar when stderr is a terminal. */
export interface DataRightsIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Writes to a terminal (no newline); absent when stderr is not a terminal: progress as plain lines. */
  readonly tty?: ((chunk: string) => void) | undefined;
}

/**
 * `receipt verify FILE` (DATA-4): checks a deletion receipt's Ed25519 signature with the public key of the
 * data directory's signing key (or the PEM file `publicKey` names). Returns 0 when valid, 2 when not.
 */
export async function verifyReceiptFile(
  file: string,
  key: Parameters<typeof readVerifyingKey>[0],
  io: DataRightsIo,
): Promise<number> {
  let receipt: DeletionReceipt;
  try {
    receipt = JSON.parse(await readFile(file, 'utf8')) as DeletionReceipt;
  } catch (cause) {
    throw new CgError('invalid-request', `${file} is not a JSON receipt.`, { cause });
  }
  const publicKeyPem = await readVerifyingKey(key);
  const ok =
    receipt.type === 'companion-guard/deletion-receipt' &&
    typeof receipt.signature === 'string' &&
    verifySignature(publicKeyPem, receiptSigningText(receipt), receipt.signature);
  io.out(
    ok
      ? `receipt ${receipt.id} valid: ${receipt.messagesDeleted} message(s) of user ${receipt.externalUserId} deleted at ${receipt.deletedAt}, keys destroyed: ${receipt.keysDestroyed.join(', ') || '-'}, audit event ${receipt.audit.seq}`
      : `receipt INVALID: the signature does not match its content (or another key signed it)`,
  );
  return ok ? 0 : 2;
}

/** Draws `[####    ] done/total what` on a terminal, or prints a plain line every 10 % otherwise. */
export function progressReporter(total: number, what: string, io: DataRightsIo): (done: number) => void {
  let lastTenth = -1;
  return (done) => {
    if (io.tty) {
      const width = 30;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      io.tty(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} ${what}`);
      if (done === total) io.tty('\n');
      return;
    }
    const tenth = total === 0 ? 10 : Math.floor((done / total) * 10);
    if (tenth !== lastTenth) {
      lastTenth = tenth;
      io.err(`${done}/${total} ${what}`);
    }
  };
}

/** One user's part of the training export's provenance manifest (DATA-7). */
interface ManifestUser {
  readonly user: string;
  readonly consent: { id: string; version: string; givenBy: string; method: string; at: string };
  readonly conversations: number;
  readonly messages: number;
  readonly from: string | null;
  readonly to: string | null;
}

type Exclusion = 'minor-without-guardian-consent' | 'revoked' | 'not-given';

/** Messages that reached the user or the model, written by the user or the model (no operator texts). */
const trainable = (m: { author: string; status: string }) =>
  (m.author === 'user' || m.author === 'ai') && (m.status === 'accepted' || m.status === 'delivered');

function exclusionOf(history: readonly ConsentRecord[], minor: boolean): Exclusion {
  const training = history.filter((r) => r.kind === 'training');
  if (minor && training.some((r) => r.givenBy === 'user' && r.granted))
    return 'minor-without-guardian-consent';
  return training.some((r) => r.granted) ? 'revoked' : 'not-given';
}

/**
 * `export --purpose training --out DIR` (DATA-6, DATA-7): the conversations of users who hold a current
 * training consent (a minor's only from the guardian), personal data redacted, as `training.jsonl` (one
 * conversation a line), and `manifest.json` with the provenance: the consent record of each user, the time
 * range and counts, what was excluded and why, and how much was redacted. Refuses a directory that
 * already holds an export.
 */
export async function exportTrainingData(
  store: Store,
  profile: Profile,
  outDir: string,
  now: number,
  io: DataRightsIo,
): Promise<number> {
  await mkdir(outDir, { recursive: true, mode: 0o700 });
  const create = (name: string) =>
    open(join(outDir, name), 'wx', 0o600).catch((cause: unknown) => {
      throw new CgError('invalid-request', `${join(outDir, name)} exists already; choose an empty --out.`, {
        cause,
      });
    });
  const data = await create('training.jsonl');
  const candidates = await store.dataRights.usersWithConsent('training');
  const users: ManifestUser[] = [];
  const excluded: Record<Exclusion, number> = {
    'minor-without-guardian-consent': 0,
    revoked: 0,
    'not-given': 0,
  };
  const redactions: Partial<Record<RedactionKind, number>> = {};
  let first: number | null = null;
  let last: number | null = null;
  const progress = progressReporter(candidates.length, 'users', io);
  try {
    for (const [i, userId] of candidates.entries()) {
      progress(i);
      const user = await store.getUser(userId);
      if (!user) continue;
      const history = await store.dataRights.listConsents(userId);
      const band = userAgeBand(user, now, profile.elderly.ageFrom);
      const minor = consentsAsMinor(band, user.minorMode);
      const consent = heldConsent(history, 'training', minor);
      if (!consent) {
        excluded[exclusionOf(history, minor)] += 1;
        continue;
      }
      const messages = (await store.dataRights.listHistory(userId)).filter(trainable);
      const contacts = await store.profiles.getProfile(user.externalId);
      const names = [
        ...namesGiven(messages.filter((m) => m.author === 'user').map((m) => m.content)),
        ...[contacts?.guardian?.name, contacts?.emergencyContact?.name].filter((n): n is string => !!n),
      ];
      const sessions = new Map<string, typeof messages>();
      for (const m of messages) sessions.set(m.sessionId, [...(sessions.get(m.sessionId) ?? []), m]);
      for (const [sessionId, turns] of sessions) {
        const line = {
          user: userId,
          session: sessionId,
          character: turns[0]?.characterId,
          consent: consent.id,
          messages: turns.map((m) => ({
            role: m.role,
            content: redactPersonalData(m.content, names, redactions).text,
            created_at: new Date(m.createdAt).toISOString(),
          })),
        };
        await data.write(`${JSON.stringify(line)}\n`);
      }
      const times = messages.map((m) => m.createdAt);
      if (times.length > 0) {
        first = Math.min(first ?? Number.POSITIVE_INFINITY, ...times);
        last = Math.max(last ?? 0, ...times);
      }
      users.push({
        user: userId,
        consent: {
          id: consent.id,
          version: consent.textVersion,
          givenBy: consent.givenBy,
          method: consent.method,
          at: new Date(consent.at).toISOString(),
        },
        conversations: sessions.size,
        messages: messages.length,
        from: times.length > 0 ? new Date(Math.min(...times)).toISOString() : null,
        to: times.length > 0 ? new Date(Math.max(...times)).toISOString() : null,
      });
    }
    progress(candidates.length);
  } finally {
    await data.close();
  }
  const manifest = {
    type: 'companion-guard/training-export',
    purpose: 'training',
    createdAt: new Date(now).toISOString(),
    profile: profile.id,
    source: 'companion-guard conversations (users with a current separate training consent, DATA-6)',
    timeRange: {
      from: first === null ? null : new Date(first).toISOString(),
      to: last === null ? null : new Date(last).toISOString(),
    },
    counts: {
      users: users.length,
      conversations: users.reduce((n, u) => n + u.conversations, 0),
      messages: users.reduce((n, u) => n + u.messages, 0),
      excluded,
      redactions,
    },
    users,
  };
  const file = await create('manifest.json');
  try {
    await file.write(`${JSON.stringify(manifest, null, 2)}\n`);
  } finally {
    await file.close();
  }
  await store.appendAudit([
    {
      type: 'training-exported',
      requirement: 'DATA-7',
      at: now,
      data: { users: users.length, messages: manifest.counts.messages, excluded },
    },
  ]);
  io.out(
    `exported ${manifest.counts.conversations} conversation(s) of ${users.length} user(s) to ${outDir} (manifest.json, training.jsonl)`,
  );
  return 0;
}

/**
 * `report minors-pi --year Y` (MINOR-6): what personal information of minors was processed in the calendar
 * year (UTC): which profile fields were held and how many messages — counts, never values —, under which
 * consents, and what was deleted when (from the receipts and the `history-deleted` audit events). Minors:
 * users whose age band was a minor's at the start or the end of the year (or whenever they were created).
 */
export async function minorsPiReport(
  store: Store,
  profile: Profile,
  year: number,
  io: DataRightsIo,
): Promise<number> {
  if (!Number.isInteger(year) || year < 2000 || year > 9999) {
    throw new CgError('invalid-request', '--year must be a year like 2026.');
  }
  const from = Date.UTC(year, 0, 1);
  const to = Date.UTC(year + 1, 0, 1);
  const fields: Record<string, number> = {};
  const consents: Record<string, { given: number; revoked: number; byGuardian: number; heldAtEnd: number }> =
    {};
  const tally = (kind: string) => {
    consents[kind] ??= { given: 0, revoked: 0, byGuardian: 0, heldAtEnd: 0 };
    return consents[kind];
  };
  const minors: string[] = [];
  let messages = 0;
  const ids = await store.dataRights.listUserIds(to);
  const progress = progressReporter(ids.length, 'users', io);
  for (const [i, id] of ids.entries()) {
    progress(i);
    const user = await store.getUser(id);
    if (!user) continue;
    const bands = [Math.max(from, user.createdAt), to - 1].map((at) =>
      userAgeBand(user, at, profile.elderly.ageFrom),
    );
    if (!bands.some(isMinorBand)) continue;
    minors.push(id);
    const full = await store.profiles.getProfile(user.externalId);
    const held: Record<string, boolean> = {
      birthDate: user.birthDate !== null,
      declaredAge: user.declaredAge !== null,
      region: user.region !== null,
      timeZone: user.timeZone !== null,
      guardianContact: !!full?.guardian,
      emergencyContact: !!full?.emergencyContact,
    };
    for (const [field, has] of Object.entries(held)) if (has) fields[field] = (fields[field] ?? 0) + 1;
    messages += (await store.dataRights.listHistory(id, { from, to })).length;
    const history = await store.dataRights.listConsents(id);
    const endBand = bands[1] ?? 'unknown';
    for (const r of history) {
      if (r.at < from || r.at >= to) continue;
      const c = tally(r.kind);
      if (r.granted) c.given += 1;
      else c.revoked += 1;
      if (r.givenBy === 'guardian') c.byGuardian += 1;
    }
    for (const kind of ['training', 'third_party', 'sensitive'] as const) {
      if (
        heldConsent(
          history.filter((r) => r.at < to),
          kind,
          isMinorBand(endBand),
        )
      ) {
        tally(kind).heldAtEnd += 1;
      }
    }
  }
  progress(ids.length);
  const minorSet = new Set(minors);
  const receipts = (await store.dataRights.listReceipts({ from, to })).filter((r) => minorSet.has(r.userId));
  let deletionEvents = 0;
  for (let after = 0; ; ) {
    const page = await store.listAudit({ afterSeq: after, limit: 1000 });
    if (page.length === 0) break;
    for (const e of page) {
      if (e.type === 'history-deleted' && e.at >= from && e.at < to && minorSet.has(e.userId ?? ''))
        deletionEvents += 1;
    }
    after = page[page.length - 1]?.seq ?? after;
  }
  const report = {
    type: 'companion-guard/minors-pi-report',
    requirement: 'MINOR-6',
    year,
    period: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    profile: profile.id,
    minors: minors.length,
    personalInformation: {
      profileFields: fields,
      messagesInYear: messages,
      note: 'Counts of minors holding each field and of messages; no values.',
    },
    consents,
    deletions: {
      receipts: receipts.map((r) => ({
        id: r.id,
        user: r.userId,
        deletedAt: r.deletedAt,
        requestedBy: r.requestedBy,
        characterId: r.characterId,
        messagesDeleted: r.messagesDeleted,
        keysDestroyed: r.keysDestroyed.length,
        auditSeq: r.audit.seq,
      })),
      auditEvents: deletionEvents,
    },
  };
  io.out(JSON.stringify(report, null, 2));
  return 0;
}
