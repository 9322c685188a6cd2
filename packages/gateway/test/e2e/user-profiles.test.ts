import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultTexts } from '@companion-guard/core';
import { createFakeClock } from '@companion-guard/core/testing';
import { describe, expect, it } from 'vitest';
import { complianceOf, countingUpstream, type Harness, startHarness } from './helpers.js';

const DAY = 86_400_000;

function usersUrl(h: Harness, user: string): string {
  return `${h.server.url}/v1/users/${encodeURIComponent(user)}`;
}

async function putProfile(h: Harness, user: string, body: unknown) {
  const res = await fetch(usersUrl(h, user), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function getProfile(h: Harness, user: string) {
  const res = await fetch(usersUrl(h, user));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The SQLite database of a harness, with its WAL and shared-memory files. */
async function databaseBytes(dataDir: string): Promise<Buffer> {
  const file = join(dataDir, 'companion-guard.sqlite');
  const parts = await Promise.all(
    [file, `${file}-wal`, `${file}-shm`].map((path) => readFile(path).catch(() => Buffer.alloc(0))),
  );
  return Buffer.concat(parts);
}

const guardianEmail = 'wang.fang.guardian-91c2@example.cn';
const emergencyEmail = 'jordan.emergency-7f3a@example.org';

describe('REG-1: registering users over HTTP (PUT / GET /v1/users/{user})', () => {
  it('registers a 15-year-old, an adult and a 75-year-old; GET shows their bands and what is missing; contacts stay encrypted', async () => {
    const clock = createFakeClock(); // 2026-07-15T00:00Z
    const h = await startHarness({ clock });
    let closed = false;
    try {
      const teen = await putProfile(h, 'teen-7', {
        age: 15,
        region: 'CN',
        timezone: 'Asia/Shanghai',
        locale: 'zh',
      });
      expect(teen).toMatchObject({
        status: 200,
        body: {
          user: 'teen-7',
          birth_date: null,
          age: 15,
          age_band: '14-15',
          region: 'CN',
          timezone: 'Asia/Shanghai',
          locale: 'zh',
          guardian: null,
          emergency_contact: null,
          missing: [{ field: 'guardian', requirement: 'REG-1', level: 'required' }],
          created_at: '2026-07-15T00:00:00.000Z',
          updated_at: '2026-07-15T00:00:00.000Z',
        },
      });

      const adult = await putProfile(h, 'adult-7', {
        birth_date: '1990-05-20',
        region: 'US-CA',
        timezone: 'america/los_angeles',
        locale: 'en',
        emergency_contact: { name: 'Jordan Smith', email: emergencyEmail },
      });
      expect(adult).toMatchObject({
        status: 200,
        body: {
          age: 36,
          age_band: 'adult',
          timezone: 'America/Los_Angeles',
          emergency_contact: { name: 'Jordan Smith', email: emergencyEmail, phone: null },
          missing: [],
        },
      });

      const elder = await putProfile(h, 'elder-7', { age: 75 });
      expect(elder.body).toMatchObject({
        age: 75,
        age_band: 'elderly',
        locale: 'zh',
        missing: [{ field: 'emergency_contact', requirement: 'ELDER-1', level: 'suggested' }],
      });

      // A later update changes only what it names.
      clock.advanceMinutes(5);
      const withGuardian = await putProfile(h, 'teen-7', {
        guardian: { name: '王芳', email: guardianEmail, phone: '+86 138 0013 8000' },
      });
      expect(withGuardian.body).toMatchObject({
        age: 15,
        age_band: '14-15',
        region: 'CN',
        guardian: { name: '王芳', email: guardianEmail, phone: '+86 138 0013 8000' },
        missing: [],
        updated_at: '2026-07-15T00:05:00.000Z',
      });

      expect(await getProfile(h, 'teen-7')).toEqual(withGuardian);
      expect(await getProfile(h, 'adult-7')).toEqual(adult);
      expect(await getProfile(h, 'elder-7')).toEqual(elder);

      // GET never creates a user.
      for (let i = 0; i < 2; i++) {
        expect(await getProfile(h, 'stranger')).toMatchObject({
          status: 404,
          body: { error: { code: 'not-found' } },
        });
      }

      // Every change is audited (REG-1) with the fields and the band, never a contact's value.
      const events = (await h.server.store.listAudit()).filter((e) => e.type === 'profile-updated');
      expect(events.map((e) => [e.requirement, e.data])).toEqual([
        ['REG-1', { fields: ['age', 'region', 'timeZone'], ageBand: '14-15', registration: true }],
        [
          'REG-1',
          {
            fields: ['birthDate', 'region', 'timeZone', 'emergencyContact'],
            ageBand: 'adult',
            registration: true,
          },
        ],
        ['REG-1', { fields: ['age'], ageBand: 'elderly', registration: true }],
        ['REG-1', { fields: ['guardian'], ageBand: '14-15' }],
      ]);
      const auditText = JSON.stringify(events);
      for (const secret of [guardianEmail, emergencyEmail, '王芳', 'Jordan']) {
        expect(auditText).not.toContain(secret);
      }

      // The contacts' e-mails are not in the database file, nor in its WAL, while running or after close.
      const secrets = [guardianEmail, emergencyEmail, 'Jordan Smith', '+86 138 0013 8000'];
      const running = await databaseBytes(h.dataDir);
      expect(running.includes(Buffer.from('adult-7'))).toBe(true); // the scan sees plaintext columns
      for (const secret of secrets) expect(running.includes(Buffer.from(secret))).toBe(false);
      await h.server.close();
      closed = true;
      const closedBytes = await databaseBytes(h.dataDir);
      expect(closedBytes.includes(Buffer.from('elder-7'))).toBe(true);
      for (const secret of secrets) expect(closedBytes.includes(Buffer.from(secret))).toBe(false);
    } finally {
      if (closed) await rm(h.dataDir, { recursive: true, force: true });
      else await h.stop();
    }
  });

  it('the band follows the clock: a birthday in the user’s time zone, a declared age a year on', async () => {
    const clock = createFakeClock(Date.UTC(2026, 6, 15, 0, 0)); // 08:00 on 15 July in Shanghai
    const h = await startHarness({ clock });
    try {
      await putProfile(h, 'almost-18', { birth_date: '2008-07-16', timezone: 'Asia/Shanghai' });
      await putProfile(h, 'almost-60', { age: 59 });
      expect((await getProfile(h, 'almost-18')).body).toMatchObject({
        age: 17,
        age_band: '16-17',
        missing: [{ field: 'guardian' }],
      });
      clock.advanceMinutes(15 * 60 + 59); // 23:59 in Shanghai
      expect((await getProfile(h, 'almost-18')).body).toMatchObject({ age: 17, age_band: '16-17' });
      clock.advanceMinutes(1); // midnight in Shanghai, still 15 July in UTC
      expect((await getProfile(h, 'almost-18')).body).toMatchObject({
        age: 18,
        age_band: 'adult',
        missing: [],
      });

      expect((await getProfile(h, 'almost-60')).body).toMatchObject({ age: 59, age_band: 'adult' });
      clock.advance(365 * DAY);
      expect((await getProfile(h, 'almost-60')).body).toMatchObject({
        age: 60,
        age_band: 'elderly',
        missing: [{ field: 'emergency_contact', requirement: 'ELDER-1', level: 'suggested' }],
      });
    } finally {
      await h.stop();
    }
  });

  it('bad input is 400 invalid-request naming the field, and writes nothing', async () => {
    const clock = createFakeClock(); // 2026-07-15T00:00Z
    const h = await startHarness({ clock });
    try {
      const cases: [unknown, string][] = [
        [{ birth_date: '2010-01-01', age: 15 }, 'age: give birth_date or age, not both'],
        [{ birth_date: '2010-02-30' }, 'birth_date: must be a calendar date YYYY-MM-DD'],
        [{ birth_date: '15/07/2010' }, 'birth_date: must be a calendar date YYYY-MM-DD'],
        [{ birth_date: '2026-07-16' }, 'birth_date: must not be in the future'],
        [{ birth_date: '1890-01-01' }, 'birth_date: must give an age of at most 130'],
        [{ age: 131 }, 'age: must be 0–130'],
        [{ age: -1 }, 'age: must be 0–130'],
        [{ age: 15.5 }, 'age: must be an integer'],
        [{ age: '15' }, 'age: '],
        [{ region: 'us-ca' }, 'region: must be a region code'],
        [{ timezone: 'Mars/Olympus_Mons' }, 'timezone: must be an IANA time zone'],
        [{ timezone: '+08:00' }, 'timezone: must be an IANA time zone'],
        [{ locale: 'fr' }, 'locale: must be zh or en'],
        [{ guardian: { name: '李雷' } }, 'guardian: needs an email or a phone'],
        [
          { guardian: { name: '李雷', email: 'li.lei-at-example.cn' } },
          'guardian.email: must be an e-mail address',
        ],
        [{ guardian: { name: '', phone: '13800138000' } }, 'guardian.name: must not be empty'],
        [
          { emergency_contact: { name: 'Sam', phone: 'call me' } },
          'emergency_contact.phone: must be a phone number',
        ],
        [
          { emergency_contact: { name: 'Sam', phone: '123' } },
          'emergency_contact.phone: must be a phone number',
        ],
        [{ guardian: { name: 'Sam', phone: '13800138000', fax: '1' } }, 'guardian.fax: unknown field'],
        [{ nickname: 'x' }, 'nickname: unknown field'],
        [[], 'body: '],
        ['{"age":', 'The request body is not valid JSON.'],
      ];
      for (const [body, message] of cases) {
        const res = await putProfile(h, 'invalid-1', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        const error = res.body.error as { code: string; message: string; type: string };
        expect(error.code).toBe('invalid-request');
        expect(error.type).toBe('invalid_request_error');
        expect(error.message.startsWith(message), `${error.message} ← ${JSON.stringify(body)}`).toBe(true);
        expect(error.message).not.toContain('li.lei-at-example.cn');
      }
      const tooLong = await putProfile(h, 'x'.repeat(257), { age: 30 });
      expect(tooLong.status).toBe(400);
      expect((tooLong.body.error as { message: string }).message).toMatch(/^user: /);
      // Nothing was created or audited.
      expect((await getProfile(h, 'invalid-1')).status).toBe(404);
      expect((await h.server.store.listAudit()).filter((e) => e.type === 'profile-updated')).toEqual([]);
    } finally {
      await h.stop();
    }
  });
});

describe('REG-1 → the session machine: the registered age band decides the chat (us-ca-sb243)', () => {
  const say = (h: Harness, user: string, content: string) =>
    h.client.chat.completions.create({ model: 'demo', user, messages: [{ role: 'user', content }] });

  it('DISC-6: a registered 15-year-old gets the take-a-break reminder after 3 hours; an adult does not', async () => {
    const clock = createFakeClock();
    const h = await startHarness({ clock, config: { profile: 'us-ca-sb243' } });
    try {
      expect((await putProfile(h, 'ca-teen', { age: 15 })).body).toMatchObject({ age_band: '14-15' });
      expect((await putProfile(h, 'ca-adult', { birth_date: '1991-02-03' })).body).toMatchObject({
        age_band: 'adult',
      });
      const seen: Record<string, string[]> = { 'ca-teen': [], 'ca-adult': [] };
      for (let minute = 0; minute <= 190; minute += 10) {
        for (const user of ['ca-teen', 'ca-adult']) {
          const c = complianceOf(await say(h, user, `minute ${minute}: tell me about the stars`));
          for (const d of c.directives) seen[user]?.push(`${minute}:${d.type}:${d.requirement}`);
        }
        clock.advanceMinutes(10);
      }
      expect(seen['ca-teen']).toEqual([
        '0:ai-disclosure:DISC-1',
        '180:take-a-break:DISC-6',
        '180:ai-disclosure:DISC-6',
      ]);
      expect(seen['ca-adult']).toEqual(['0:ai-disclosure:DISC-1']);
    } finally {
      await h.stop();
    }
  });

  it('ELDER-3: a registered 75-year-old asking the companion to play his late wife is refused; an adult is not', async () => {
    const { upstream, counter } = countingUpstream();
    const h = await startHarness({ upstream, config: { profile: 'us-ca-sb243' } });
    try {
      await putProfile(h, 'ca-elder', {
        age: 75,
        emergency_contact: { name: 'Ann', phone: '+1 415 555 0199' },
      });
      await putProfile(h, 'ca-adult-2', { age: 45 });
      const ask = 'Could you please play my late wife Margaret for a while?';

      const refused = await say(h, 'ca-elder', ask);
      expect(counter.calls).toBe(0);
      expect(refused.choices[0]?.message.content).toBe(defaultTexts.relativeRefused.en);
      const elder = await h.server.store.profiles.getProfile('ca-elder');
      const audit = await h.server.store.listAudit();
      expect(
        audit.filter((e) => e.type === 'roleplay-refused').map((e) => [e.requirement, e.userId]),
      ).toEqual([['ELDER-3', elder?.id]]);

      const answered = await say(h, 'ca-adult-2', ask);
      expect(counter.calls).toBe(1);
      expect(answered.choices[0]?.message.content).not.toBe(defaultTexts.relativeRefused.en);
      expect((await h.server.store.listAudit()).filter((e) => e.type === 'roleplay-refused')).toHaveLength(1);
    } finally {
      await h.stop();
    }
  });
});
