import { builtInProfiles, defaultTexts } from '@companion-guard/core';
import { createFakeClock, type FakeClock } from '@companion-guard/core/testing';
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComplianceWire } from '../../src/index.js';
import { complianceOf, type Harness, startHarness } from './helpers.js';

/** One deployment, four jurisdictions: the profile follows each user's registered region (SCOPE-2). */
const profiles = {
  default: 'cn-2026',
  byRegion: { CN: 'cn-2026', 'US-CA': 'us-ca-sb243', 'US-NY': 'us-ny-art47', EU: 'eu-ai-act' },
};
const eu = builtInProfiles['eu-ai-act'];

let h: Harness;
let clock: FakeClock;
beforeAll(async () => {
  clock = createFakeClock();
  h = await startHarness({ clock, config: { profiles } });
});
afterAll(() => h.stop());

async function register(user: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${h.server.url}/v1/users/${user}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}

const ask = (client: OpenAI, user: string, content: string, character = 'xiaonuan') =>
  client.chat.completions.create({
    model: 'demo',
    user,
    messages: [{ role: 'user', content }],
    metadata: { character_id: character },
  });

/** The audit events of a user (by the app's id). */
async function auditOf(user: string) {
  const found = await h.server.store.profiles.getProfile(user);
  return (await h.server.store.listAudit({ limit: 10_000 })).filter((e) => e.userId === found?.id);
}

const shown = (c: ComplianceWire) => c.directives.map((d) => `${d.type}/${d.requirement}`);

describe('SCOPE-2: users of different regions on one deployment', () => {
  it('SCOPE-2: a us-ca-sb243 user and a cn-2026 user get their own notices, cadences, texts and help lines', async () => {
    await register('mei', { region: 'CN', age: 30 });
    await register('jake', { region: 'US-CA', age: 15 });
    const seen: Record<string, string[]> = { mei: [], jake: [] };
    const texts: Record<string, string[]> = { mei: [], jake: [] };
    for (let minute = 0; minute <= 200; minute += 20) {
      if (minute > 0) clock.advanceMinutes(20);
      for (const user of ['mei', 'jake']) {
        const c = complianceOf(
          await ask(h.client, user, user === 'mei' ? '今天过得怎么样' : 'how was your day'),
        );
        seen[user]?.push(...shown(c).map((s) => `${minute}:${s}`));
        texts[user]?.push(...c.directives.map((d) => d.text));
      }
    }
    // cn-2026: the notice at first use, a usage reminder every 2 hours, in Chinese (the profile's locale).
    expect(seen.mei).toEqual(['0:ai-disclosure/DISC-1', '120:usage-reminder/TIME-1']);
    expect(texts.mei?.[0]).toBe(defaultTexts.aiDisclosure.zh);
    expect(texts.mei?.[1]).toContain('120分钟');
    // us-ca-sb243, a known minor: the notice, then a break prompt and the AI notice at 3 hours, in English.
    expect(seen.jake).toEqual([
      '0:ai-disclosure/DISC-1',
      '180:take-a-break/DISC-6',
      '180:ai-disclosure/DISC-6',
    ]);
    expect(texts.jake?.[0]).toBe(defaultTexts.aiDisclosure.en);
    expect(texts.jake?.[1]).toContain('3 hours');

    // Crisis resources: each user's own help lines.
    const hotlines = async (user: string, text: string) => {
      const c = complianceOf(await ask(h.client, user, text));
      const d = c.directives.find((x) => x.type === 'crisis-resources');
      return ((d?.data?.hotlines ?? []) as { number: string }[]).map((x) => x.number);
    };
    expect(await hotlines('mei', '我今晚就要自杀')).toEqual(['12356', '400-161-9995', '120', '110']);
    expect(await hotlines('jake', 'I want to end my life tonight')).toEqual(['988', '911']);

    // Every event of a turn names the profile that decided it.
    const profileOf = async (user: string) =>
      new Set((await auditOf(user)).filter((e) => e.sessionId).map((e) => e.data?.profile));
    expect(await profileOf('mei')).toEqual(new Set(['cn-2026']));
    expect(await profileOf('jake')).toEqual(new Set(['us-ca-sb243']));
  });

  it('SCOPE-2: a user whose region changes gets the new profile from the next turn, audited', async () => {
    await register('lin', { region: 'US-NY', age: 40 });
    const first = complianceOf(await ask(h.client, 'lin', 'hi'));
    expect(shown(first)).toEqual(['ai-disclosure/DISC-1']);
    clock.advanceMinutes(5);
    await register('lin', { region: 'CN' });
    await ask(h.client, 'lin', '你好');
    const events = await auditOf('lin');
    const switched = events.find((e) => e.type === 'profile-switched');
    expect(switched).toMatchObject({
      requirement: 'SCOPE-2',
      data: { from: 'us-ny-art47', to: 'cn-2026', profile: 'cn-2026' },
    });
    const crisis = complianceOf(await ask(h.client, 'lin', '我今晚就要自杀'));
    const lines = crisis.directives.find((d) => d.type === 'crisis-resources')?.data?.hotlines;
    expect(JSON.stringify(lines)).toContain('12356');
  });

  it('SCOPE-2: a region the mapping does not name (or none) gets the default profile', async () => {
    await register('ana', { region: 'BR', age: 25 });
    const c = complianceOf(await ask(h.client, 'ana', 'I want to end my life tonight'));
    const lines = c.directives.find((d) => d.type === 'crisis-resources')?.data?.hotlines;
    expect(JSON.stringify(lines)).toContain('12356');
    const start = (await auditOf('ana')).find((e) => e.type === 'session-start');
    expect(start?.data?.profile).toBe('cn-2026');
    const unregistered = complianceOf(await ask(h.client, 'nobody-registered', '你好'));
    expect(unregistered.directives[0]?.text).toBe(defaultTexts.aiDisclosure.zh);
    expect(unregistered.label).not.toHaveProperty('ai_generated');
  });
});

describe('DISC-1 / DISC-4: eu-ai-act (EU AI Act Art. 50) users', () => {
  it('DISC-1: an EU user is told at the first turn, in their locale; DISC-4: the reply is marked machine-readably', async () => {
    await register('hans', { region: 'DE-BY', locale: 'en' });
    const { data, response } = await ask(h.client, 'hans', 'Hallo').withResponse();
    const c = complianceOf(data);
    expect(c.directives[0]).toMatchObject({
      type: 'ai-disclosure',
      requirement: 'DISC-1',
      display: 'popup',
      text: eu?.texts.aiDisclosure.en,
    });
    expect(c.label).toMatchObject({ text: 'AI-generated', ai_generated: true, producer: 'companion-guard' });
    expect(c.label?.content_id).toMatch(/^cg-/);
    expect(response.headers.get('ai-disclosure')).toBe('mode=ai-originated');

    await register('lea', { region: 'FR', locale: 'zh' });
    const zh = complianceOf(await ask(h.client, 'lea', '你好'));
    expect(zh.directives[0]?.text).toBe(eu?.texts.aiDisclosure.zh);
  });

  it('DISC-4: streamed, the first chunk brings the notice and the mark before any content, with the header', async () => {
    await register('sofia', { region: 'IT' });
    const { data: stream, response } = await h.client.chat.completions
      .create({ model: 'demo', user: 'sofia', messages: [{ role: 'user', content: 'Ciao' }], stream: true })
      .withResponse();
    expect(response.headers.get('ai-disclosure')).toBe('mode=ai-originated');
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const first = complianceOf(chunks[0]);
    expect(chunks[0]?.choices[0]?.delta.content ?? '').toBe('');
    expect(shown(first)).toEqual(['ai-disclosure/DISC-1']);
    expect(first.label).toMatchObject({ ai_generated: true, producer: 'companion-guard' });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).not.toBe('');
  });

  it('DISC-4: users of other profiles get no machine-readable mark and no header', async () => {
    await register('wei', { region: 'CN' });
    const { data, response } = await ask(h.client, 'wei', '你好').withResponse();
    expect(complianceOf(data).label).toEqual({ text: '内容由人工智能生成', content_id: expect.any(String) });
    expect(response.headers.get('ai-disclosure')).toBeNull();
  });
});

describe('SCOPE-1: a tool character gets the tool rules', () => {
  it('SCOPE-1: no usage reminders or over-reliance notices with a tool; the AI notice and crisis help stay', async () => {
    await register('tao', { region: 'CN', age: 30 });
    await register('yun', { region: 'CN', age: 30 });
    const seen: Record<string, string[]> = { tao: [], yun: [] };
    for (let minute = 0; minute <= 140; minute += 20) {
      if (minute > 0) clock.advanceMinutes(20);
      const text = minute === 140 ? "I can't live without you" : '帮我做个学习计划';
      seen.tao?.push(...shown(complianceOf(await ask(h.client, 'tao', text, 'study-buddy'))));
      seen.yun?.push(...shown(complianceOf(await ask(h.client, 'yun', text, 'xiaonuan'))));
    }
    expect(seen.tao).toEqual(['ai-disclosure/DISC-1']);
    expect(seen.yun).toEqual(['ai-disclosure/DISC-1', 'usage-reminder/TIME-1', 'dependence-notice/DISC-3']);
    const crisis = complianceOf(await ask(h.client, 'tao', '我今晚就要自杀', 'study-buddy'));
    expect(shown(crisis)).toContain('crisis-resources/RISK-3');
  });
});

describe('COMPLAINT-1 / SCOPE-2: complaint deadlines follow the user', () => {
  it('COMPLAINT-1: a US-CA user gets the US deadlines and process, a CN user the cn-2026 ones, on one deployment', async () => {
    await register('ling', { region: 'CN', age: 30 });
    await register('amy', { region: 'US-CA', age: 30 });
    const file = async (user: string) => {
      const res = await fetch(`${h.server.url}/v1/complaints`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user, kind: 'complaint', text: 'The app was slow today.' }),
      });
      expect(res.status).toBe(201);
      const c = (await res.json()) as { filed_at: string; resolve_by: string };
      return (Date.parse(c.resolve_by) - Date.parse(c.filed_at)) / 86_400_000;
    };
    expect(await file('ling')).toBe(builtInProfiles['cn-2026']?.complaints.resolveWithinDays.complaint);
    expect(await file('amy')).toBe(builtInProfiles['us-ca-sb243']?.complaints.resolveWithinDays.complaint);
    const process = (await (await fetch(`${h.server.url}/v1/complaints/process?user=amy`)).json()) as {
      locale: string;
      resolve_within_days: { complaint: number };
    };
    expect(process.resolve_within_days.complaint).toBe(30);
  });
});
