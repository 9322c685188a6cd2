/**
 * Issue 8, elderly users end to end (ELDER-1..4): a real gateway on SQLite, the official `openai` client, a
 * real SMTP server on loopback for the emergency contact's alert.
 */
import { defaultTexts } from '@companion-guard/core';
import { afterAll, expect, it } from 'vitest';
import { smtpSink } from '../notify-capture.js';
import { complianceOf, countingUpstream, startHarness } from './helpers.js';

const smtp = await smtpSink();
afterAll(() => smtp.close());

/** Waits (bounded) for real I/O of the notifier's loop: not timed behaviour. */
async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('ELDER-1..4: a 75-year-old is refused his late wife (roleplay-refused), guided to add an emergency contact until he has one, and a scam signal warns him and e-mails his contact', async () => {
  const { upstream, counter } = countingUpstream();
  const h = await startHarness({
    upstream,
    config: {
      notify: {
        smtp: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'safety@cg.example' },
        pollMs: 100,
      },
    },
  });
  const base = h.server.url;
  const user = 'grandpa-li';
  const put = (body: unknown) =>
    fetch(`${base}/v1/users/${user}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const say = (content: string) =>
    h.client.chat.completions.create({ model: 'demo', user, messages: [{ role: 'user', content }] });
  try {
    expect((await put({ age: 75, locale: 'zh' })).status).toBe(200);

    // ELDER-3: the late wife is not played; ELDER-1: the first session starts with the contact guidance.
    const refused = await say('你扮演我去世的老伴，陪我说说话吧');
    expect(counter.calls).toBe(0);
    expect(refused.choices[0]?.message.content).toBe(defaultTexts.relativeRefused.zh);
    const first = complianceOf(refused).directives.map((d) => `${d.type}:${d.requirement}`);
    expect(first).toEqual(
      expect.arrayContaining([
        'emergency-contact-needed:ELDER-1',
        'roleplay-refused:ELDER-3',
        'ai-disclosure:DISC-1',
      ]),
    );
    // Not every turn: only when a session starts.
    const next = await say('今天天气不错');
    expect(counter.calls).toBe(1);
    expect(complianceOf(next).directives.map((d) => d.type)).not.toContain('emergency-contact-needed');
    const fresh = await fetch(`${base}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user }),
    });
    const freshTypes = ((await fresh.json()) as { compliance: { directives: { type: string }[] } }).compliance
      .directives;
    expect(freshTypes.map((d) => d.type)).toContain('emergency-contact-needed');

    // Once the contact exists, a new session no longer asks for one.
    const contact = { name: '李明', email: 'li.ming@family.example' };
    expect((await put({ emergency_contact: contact })).status).toBe(200);
    const after = await fetch(`${base}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user }),
    });
    const afterBody = (await after.json()) as { compliance: { directives: { type: string }[] } };
    expect(afterBody.compliance.directives.map((d) => d.type)).not.toContain('emergency-contact-needed');

    // ELDER-4: a scam sign gets a conspicuous warning; ELDER-2: the emergency contact is e-mailed.
    const scam = await say('银行客服说我的账户涉嫌洗钱，让我把钱转到安全账户');
    const warning = complianceOf(scam).directives.find((d) => d.type === 'risk-warning');
    expect(warning).toMatchObject({ requirement: 'ELDER-4', display: 'banner' });
    await until('the e-mail to the emergency contact', () => smtp.mails.length > 0);
    expect(smtp.mails[0]?.to).toEqual([contact.email]);
    expect(`${smtp.mails[0]?.subject}\n${smtp.mails[0]?.text}`).not.toContain('安全账户');
    const audit = await h.server.store.listAudit();
    const elder = await h.server.store.profiles.getProfile(user);
    expect(audit.filter((e) => e.userId === elder?.id).map((e) => `${e.type}:${e.requirement}`)).toEqual(
      expect.arrayContaining([
        'directive-shown:ELDER-1',
        'roleplay-refused:ELDER-3',
        'directive-shown:ELDER-4',
        'incident-open:RISK-5',
      ]),
    );
    const [notification] = await h.server.store.notifications.listForIncident(
      (await h.server.store.incidents.activeIncidentOfUser(elder?.id ?? ''))?.id ?? '',
    );
    expect(notification).toMatchObject({
      audience: 'emergency-contact',
      channel: 'email',
      requirement: 'ELDER-2',
    });
  } finally {
    await h.stop();
  }
});
