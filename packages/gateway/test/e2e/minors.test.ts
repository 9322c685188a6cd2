import { createFakeClock } from '@companion-guard/core/testing';
import { describe, expect, it } from 'vitest';
import { mailFor, smtpSink } from '../notify-capture.js';
import { complianceOf, countingUpstream, type Harness, startHarness } from './helpers.js';

const MINUTE = 60_000;

/** The demo characters plus a virtual partner and a virtual grandson (MINOR-3, ELDER-3). */
const characters = [
  { id: 'xiaonuan', name: { zh: '小暖', en: 'Xiaonuan' }, relation: 'friend' },
  { id: 'leo', name: { zh: '阿乐', en: 'Leo' }, relation: 'friend' },
  { id: 'study-buddy', name: { zh: '学习助手', en: 'Study buddy' }, scope: 'tool', relation: 'assistant' },
  { id: 'beau', name: { zh: '阿澈', en: 'Beau' }, relation: 'partner' },
  { id: 'grandson', name: { zh: '乖孙', en: 'Grandson' }, relation: 'kin' },
];

async function putProfile(h: Harness, user: string, body: unknown) {
  const res = await fetch(`${h.server.url}/v1/users/${user}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

/** One non-streamed turn through the official client: the reply, its finish reason and directive types. */
async function say(h: Harness, user: string, content: string, characterId = 'xiaonuan') {
  const res = await h.client.chat.completions.create({
    model: 'demo',
    user,
    messages: [{ role: 'user', content }],
    metadata: { character_id: characterId },
  });
  // The AI notice of each new session (DISC-1/2) is not what these tests look at.
  const directives = complianceOf(res).directives.filter((d) => !d.requirement.startsWith('DISC-'));
  return {
    text: res.choices[0]?.message.content ?? '',
    finish: res.choices[0]?.finish_reason,
    types: directives.map((d) => d.type),
    directives,
    session: complianceOf(res).session.id,
  };
}

async function userId(h: Harness, external: string): Promise<string> {
  return (await h.server.store.ensureUser(external, 0)).id;
}

async function consent(h: Harness, external: string, at: number) {
  await h.server.store.minors.recordConsent(await userId(h, external), {
    at,
    method: 'email-code',
    policyVersion: 'minor-consent-2026-01',
  });
}

async function auditTypes(h: Harness, external: string) {
  const id = await userId(h, external);
  return (await h.server.store.listAudit({ limit: 5000 })).filter((e) => e.userId === id);
}

const guardian = { name: '王芳', email: 'wang.fang.guardian@example.cn' };

describe('Minor mode end to end (official openai client, fake clock)', () => {
  it('MINOR-1: a 15-year-old is cut off at 60 minutes spread over two sessions and two characters, with a rest reminder at 30; refused at 22:30 in Asia/Shanghai, where a crisis still gets the crisis reply', async () => {
    const clock = createFakeClock(); // 2026-07-15T00:00Z = 08:00 in Shanghai
    const { upstream, counter } = countingUpstream();
    const h = await startHarness({ clock, upstream, config: { characters } });
    try {
      await putProfile(h, 'teen-15', { age: 15, timezone: 'Asia/Shanghai', guardian });
      await consent(h, 'teen-15', clock.now());

      const seen: [number, string][] = [];
      const sessions = new Set<string>();
      for (let minute = 0; minute <= 55; minute += 5) {
        const character = minute < 30 ? 'xiaonuan' : 'leo';
        const turn = await say(h, 'teen-15', '今天学校里发生了好多事', character);
        expect(turn.finish).toBe('stop');
        sessions.add(turn.session);
        for (const type of turn.types) seen.push([minute, type]);
        clock.advance(5 * MINUTE);
      }
      expect(sessions.size).toBe(2);
      expect(counter.calls).toBe(12);
      expect(seen).toEqual([
        [0, 'minor-mode'],
        [30, 'rest-reminder'],
      ]);

      // Minute 60 of use today: the daily limit, whichever character, and no model call.
      const cut = await say(h, 'teen-15', '再聊一会儿嘛', 'xiaonuan');
      expect(cut.types).toEqual(['time-limit']);
      expect(cut.directives[0]).toMatchObject({ requirement: 'MINOR-1', data: { limit: 60 } });
      expect(cut.text).toContain('60');
      expect((await say(h, 'teen-15', 'hello?', 'leo')).types).toEqual(['time-limit']);
      expect(counter.calls).toBe(12);
      const id = await userId(h, 'teen-15');
      const usage = await h.server.store.minors.usage(id, '2026-07-15', '2026-07-15');
      expect(usage).toEqual([{ day: '2026-07-15', usedMs: 55 * MINUTE, characters: ['xiaonuan', 'leo'] }]);

      // 22:30 in Shanghai: quiet hours (the gate before the limit).
      clock.set(Date.UTC(2026, 6, 15, 14, 30));
      const night = await say(h, 'teen-15', '睡不着，聊聊天吧');
      expect(night.types).toEqual(['quiet-hours']);
      expect(night.directives[0]?.text).toContain('22:00');
      expect(counter.calls).toBe(12);

      // The next local day (06:30 in Shanghai): a fresh 60 minutes.
      clock.set(Date.UTC(2026, 6, 15, 22, 30));
      expect((await say(h, 'teen-15', '早上好', 'leo')).finish).toBe('stop');
      expect(counter.calls).toBe(13);

      // 23:00 the next night: a crisis in quiet hours still gets the crisis reply and the help lines.
      clock.set(Date.UTC(2026, 6, 16, 15, 0));
      expect((await say(h, 'teen-15', '还是睡不着')).types).toEqual(['quiet-hours']);

      for (const words of ['我不想活了', '我今晚就要自杀']) {
        const crisis = await say(h, 'teen-15', words);
        expect(crisis.types).toContain('crisis-resources');
        expect(crisis.types).not.toContain('quiet-hours');
        expect(JSON.stringify(crisis.directives)).toContain('12356');
        expect(crisis.text).not.toBe(night.text);
      }
      expect(counter.calls).toBe(13);

      const gates = (await auditTypes(h, 'teen-15')).filter((e) => e.type === 'minor-gate');
      expect(gates.map((e) => [e.requirement, e.data?.gate])).toEqual([
        ['MINOR-1', 'time-limit'],
        ['MINOR-1', 'time-limit'],
        ['MINOR-1', 'quiet-hours'],
        ['MINOR-1', 'quiet-hours'],
      ]);
    } finally {
      await h.stop();
    }
  });

  it('MINOR-3 / MINOR-2: a 15-year-old is refused a partner character before and after consent; a friend opens once consent is recorded; an adult age does not end the mode', async () => {
    const clock = createFakeClock();
    const { upstream, counter } = countingUpstream();
    const h = await startHarness({ clock, upstream, config: { characters } });
    try {
      await putProfile(h, 'teen-b', { age: 15, timezone: 'Asia/Shanghai', guardian });
      const before = await say(h, 'teen-b', '你好呀', 'beau');
      expect(before.types).toEqual(['character-not-allowed']);
      expect(before.directives[0]?.requirement).toBe('MINOR-3');
      expect((await say(h, 'teen-b', '你好呀', 'xiaonuan')).types).toEqual(['consent-required']);
      expect(counter.calls).toBe(0);

      await consent(h, 'teen-b', clock.now());
      clock.advance(MINUTE);
      expect((await say(h, 'teen-b', '你好呀', 'beau')).types).toEqual(['character-not-allowed']);
      expect((await say(h, 'teen-b', '你好呀', 'xiaonuan')).finish).toBe('stop');
      expect(counter.calls).toBe(1);

      const list = (await (await fetch(`${h.server.url}/v1/characters?user=teen-b`)).json()) as {
        data: { id: string }[];
      };
      expect(list.data.map((c) => c.id)).toEqual(['leo', 'study-buddy', 'xiaonuan']);
      const all = (await (await fetch(`${h.server.url}/v1/characters`)).json()) as { data: { id: string }[] };
      expect(all.data).toHaveLength(5);

      // "Borrowing an adult's age": the profile changes, the mode holds.
      const adult = await putProfile(h, 'teen-b', { age: 30 });
      expect(adult.age_band).toBe('adult');
      expect((await say(h, 'teen-b', '你好呀', 'beau')).types).toEqual(['character-not-allowed']);
      const events = await auditTypes(h, 'teen-b');
      expect(
        events.filter((e) => e.type.startsWith('minor-mode')).map((e) => [e.type, e.requirement]),
      ).toEqual([
        ['minor-mode-enter', 'MINOR-1'],
        ['minor-mode-kept', 'MINOR-1'],
      ]);
      expect((await h.server.store.getUser(await userId(h, 'teen-b')))?.minorMode).toBe(true);
    } finally {
      await h.stop();
    }
  });

  it('MINOR-2: a 12-year-old gets consent-required and no model output; the gateway itself mails the guardian over SMTP, who confirms by the mailed link; the next turn is served', async () => {
    const clock = createFakeClock();
    const { upstream, counter } = countingUpstream();
    const sink = await smtpSink();
    const smtp = { host: '127.0.0.1', port: sink.port, secure: false, from: 'cg@example.com' };
    const h = await startHarness({ clock, upstream, config: { characters, notify: { smtp } } });
    try {
      await putProfile(h, 'kid-12', { age: 12, timezone: 'Asia/Shanghai', guardian });
      for (const character of ['xiaonuan', 'study-buddy']) {
        const turn = await say(h, 'kid-12', '你好', character);
        expect(turn.types).toEqual(['consent-required']);
        expect(turn.directives[0]?.requirement).toBe('MINOR-2');
        expect(turn.text).toContain('监护人');
      }
      expect(counter.calls).toBe(0);

      const mail = await mailFor(sink.mails, guardian.email);
      expect(mail.subject).toContain('consent as guardian');
      const link = new URL(/http:\/\/\S+\/guardian\?consent=\S+/.exec(mail.text)?.[0] ?? 'http://none');
      expect(link.origin).toBe(h.server.url);
      // One request for the two refused turns (at most one every 10 minutes).
      expect(sink.mails.filter((m) => m.to.includes(guardian.email))).toHaveLength(1);

      const confirmed = await fetch(`${h.server.url}/api/guardian/consent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: link.searchParams.get('consent') }),
      });
      expect(confirmed.status).toBe(200);
      expect(await confirmed.json()).toMatchObject({ user: 'kid-12', consent: { method: 'link' } });

      const open = await say(h, 'kid-12', '你好', 'xiaonuan');
      expect(open.finish).toBe('stop');
      expect(open.types).toContain('minor-mode');
      expect(counter.calls).toBe(1);
      expect((await auditTypes(h, 'kid-12')).map((e) => [e.type, e.requirement])).toEqual(
        expect.arrayContaining([
          ['guardian-consent-requested', 'MINOR-2'],
          ['guardian-consent-recorded', 'MINOR-2'],
        ]),
      );
    } finally {
      await h.stop();
      await sink.close();
    }
  });

  it('ELDER-3: a 75-year-old is refused a character that plays a relative', async () => {
    const clock = createFakeClock();
    const { upstream, counter } = countingUpstream();
    const h = await startHarness({ clock, upstream, config: { characters } });
    try {
      await putProfile(h, 'grandpa-75', { age: 75, timezone: 'Asia/Shanghai' });
      const turn = await say(h, 'grandpa-75', '乖孙，陪爷爷聊聊', 'grandson');
      expect(turn.types).toContain('character-not-allowed');
      expect(turn.directives.find((d) => d.type === 'character-not-allowed')?.requirement).toBe('ELDER-3');
      expect(counter.calls).toBe(0);
      expect((await say(h, 'grandpa-75', '你好', 'xiaonuan')).finish).toBe('stop');
      const list = (await (await fetch(`${h.server.url}/v1/characters?user=grandpa-75`)).json()) as {
        data: { id: string }[];
      };
      expect(list.data.map((c) => c.id)).not.toContain('grandson');
      expect(list.data.map((c) => c.id)).toContain('beau');
    } finally {
      await h.stop();
    }
  });
});
