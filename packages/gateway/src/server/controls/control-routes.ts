import { randomUUID } from 'node:crypto';
import {
  CgError,
  type LocalizedText,
  noticeTooSoon,
  type ServiceNotice,
  type ServiceSwitch,
} from '@companion-guard/core';
import { z } from 'zod';
import { isoTime, staffPrincipal } from '../api/wire.js';
import type { SecureRoutes } from '../auth/authorization.js';
import type { AppDeps } from '../deps.js';
import { readBody } from '../read-body.js';

const reasonText = z.string().trim().min(3).max(500);
const target = z.string().trim().min(1).max(100).optional();

/** The body of `POST /api/notices`. */
const noticeBody = z
  .object({
    scope: z.enum(['character', 'function', 'service']),
    target,
    effective_at: z.iso.datetime({ offset: true }),
    reason: reasonText.optional(),
  })
  .strict();

/** The body of `POST /api/switches`. */
const switchBody = z
  .object({
    scope: z.enum(['character', 'function', 'service']),
    target,
    off: z.boolean(),
    reason: reasonText,
  })
  .strict();

/** A notice's state at `now`: planned ones `scheduled` then `in-effect`; an outage `open` then `lifted`. */
function noticeStatus(n: ServiceNotice, now: number): string {
  if (n.scope === 'outage') return n.cancelledAt === null ? 'open' : 'lifted';
  if (n.cancelledAt !== null) return 'cancelled';
  return n.effectiveAt > now ? 'scheduled' : 'in-effect';
}

/**
 * NOTICE-1 and ASSESS-3: compliance staff schedule and cancel service notices (`/api/notices`) and switch
 * characters, functions and the whole service off and on (`/api/switches`). Each change is audited in the
 * store and reaches every instance at once (`ServiceControls.changed`).
 */
export function registerControlRoutes(routes: SecureRoutes, deps: AppDeps): void {
  const { store, clock, controls } = deps;

  /** Staff ids to e-mails, for the lists' "who". */
  async function staffEmails(): Promise<Map<string, string>> {
    return new Map((await store.staff.listStaff()).map((s) => [s.id, s.email]));
  }

  async function nameOf(scope: string, id: string): Promise<LocalizedText | null> {
    if (scope === 'character') return (await store.getCharacter(id))?.name ?? null;
    if (scope === 'function') return controls.functions.find((f) => f.id === id)?.name ?? null;
    return null;
  }

  /** The target a scope needs: an existing character, a declared function, nothing for the service. */
  async function checkedTarget(scope: 'character' | 'function' | 'service', given: string | undefined) {
    if (scope === 'service') {
      if (given !== undefined) throw new CgError('invalid-request', 'target: the service takes none');
      return '';
    }
    if (given === undefined) throw new CgError('invalid-request', `target: a ${scope} id is required`);
    if (scope === 'character' && !(await store.getCharacter(given))) {
      throw new CgError('unknown-character', `No character with id "${given}".`);
    }
    if (scope === 'function' && !controls.functions.some((f) => f.id === given)) {
      throw new CgError('unknown-function', `No function "${given}" is declared (controls.functions).`);
    }
    return given;
  }

  const noticeWire = async (n: ServiceNotice, now: number, emails: Map<string, string>) => ({
    id: n.id,
    scope: n.scope,
    target: n.target,
    target_name: await nameOf(n.scope, n.target),
    status: noticeStatus(n, now),
    effective_at: isoTime(n.effectiveAt),
    created_at: isoTime(n.createdAt),
    created_by: n.createdBy,
    created_by_email: emails.get(n.createdBy) ?? null,
    reason: n.reason,
    cancelled_at: n.cancelledAt === null ? null : isoTime(n.cancelledAt),
    cancelled_by: n.cancelledBy,
    cancelled_by_email: n.cancelledBy === null ? null : (emails.get(n.cancelledBy) ?? null),
  });

  const switchWire = async (s: ServiceSwitch, emails: Map<string, string>) => ({
    scope: s.scope,
    target: s.target,
    target_name: await nameOf(s.scope, s.target),
    off: s.off,
    change_id: s.changeId,
    reason: s.reason,
    changed_by: s.changedBy,
    changed_by_email: emails.get(s.changedBy) ?? null,
    changed_at: isoTime(s.changedAt),
  });

  routes.route('GET /api/notices', async (c) => {
    const now = clock.now();
    const [notices, emails] = await Promise.all([store.controls.listNotices(), staffEmails()]);
    return c.json({
      data: await Promise.all(notices.map((n) => noticeWire(n, now, emails))),
      min_advance_days: deps.profile.notices.minAdvanceDays,
    });
  });

  routes.route('POST /api/notices', async (c) => {
    const me = staffPrincipal(c);
    const body = await readBody(c.req.raw, deps.maxBodyBytes, noticeBody);
    const now = clock.now();
    const effectiveAt = Date.parse(body.effective_at);
    const short = noticeTooSoon(deps.profile, body.scope, effectiveAt, now);
    if (short !== null) {
      throw new CgError(
        'notice-too-soon',
        `A ${body.scope} notice needs at least ${short} days of advance notice (profile notices.minAdvanceDays).`,
      );
    }
    const notice = await store.controls.scheduleNotice({
      id: randomUUID(),
      scope: body.scope,
      target: await checkedTarget(body.scope, body.target),
      effectiveAt,
      reason: body.reason ?? null,
      staffId: me.staffId,
      now,
    });
    await controls.changed();
    return c.json(await noticeWire(notice, now, await staffEmails()), 201);
  });

  routes.route('POST /api/notices/:id/cancel', async (c) => {
    const me = staffPrincipal(c);
    const now = clock.now();
    const notice = await store.controls.cancelNotice(c.req.param('id') ?? '', { staffId: me.staffId, now });
    await controls.changed();
    return c.json(await noticeWire(notice, now, await staffEmails()));
  });

  routes.route('GET /api/switches', async (c) => {
    const now = clock.now();
    const [switches, emails, characters] = await Promise.all([
      store.controls.listSwitches(),
      staffEmails(),
      store.listCharacters(),
    ]);
    return c.json({
      data: await Promise.all(switches.map((s) => switchWire(s, emails))),
      // What is off now, switches and withdrawal notices in effect alike.
      off_now: controls.offNow(now).map((o) => ({
        scope: o.scope,
        target: o.target,
        by: o.by,
        id: o.id,
        since: isoTime(o.since),
      })),
      // What may be switched or announced: the enabled characters and the declared functions.
      characters: characters.filter((ch) => ch.enabled).map((ch) => ({ id: ch.id, name: ch.name })),
      functions: controls.functions.map((f) => ({
        id: f.id,
        name: f.name,
        enforced_by: f.id === 'memory' ? 'gateway' : 'app',
      })),
    });
  });

  routes.route('POST /api/switches', async (c) => {
    const me = staffPrincipal(c);
    const body = await readBody(c.req.raw, deps.maxBodyBytes, switchBody);
    const now = clock.now();
    const change = await store.controls.setSwitch({
      scope: body.scope,
      target: await checkedTarget(body.scope, body.target),
      off: body.off,
      changeId: randomUUID(),
      reason: body.reason,
      staffId: me.staffId,
      now,
    });
    await controls.changed();
    return c.json(await switchWire(change, await staffEmails()));
  });
}
