import { randomUUID } from 'node:crypto';
import { assessmentStatuses, CgError, checklistAreas, parseCalendarDate } from '@companion-guard/core';
import { z } from 'zod';
import { staffPrincipal } from '../api/wire.js';
import type { SecureRoutes } from '../auth/authorization.js';
import type { RouteDeps } from '../deps.js';
import { readBody } from '../read-body.js';

const day = z.string().refine((d) => parseCalendarDate(d) !== undefined, 'a calendar day (YYYY-MM-DD)');
const words = (max: number) => z.string().trim().min(1).max(max);

/** The body of `PUT /api/filing` (ASSESS-4): absent fields stay, null clears. */
const filingBody = z
  .object({
    filingNumber: words(100).nullable().optional(),
    assessmentStatus: z.enum(assessmentStatuses).optional(),
    submittedOn: day.nullable().optional(),
    lastReviewOn: day.nullable().optional(),
    nextReviewOn: day.nullable().optional(),
    note: words(2000).nullable().optional(),
  })
  .strict();

/** The body of `PUT /api/checklist/{id}` (GOV-1): the whole item. */
const itemBody = z
  .object({
    area: z.enum(checklistAreas),
    title: words(200),
    owner: words(200).nullable().default(null),
    dueOn: day.nullable().default(null),
    doneOn: day.nullable().default(null),
    note: words(2000).nullable().default(null),
  })
  .strict();

const itemId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/**
 * ASSESS-1/2/4, GOV-1: `GET /api/stats` (figures and triggers; numbers only), the filing record
 * (`/api/filing`) and the self-inspection checklist (`/api/checklist`). Changes are compliance staff's and
 * audited with the fields changed (the staff's own words are kept in the store, not in the event).
 */
export function registerStatsRoutes(routes: SecureRoutes, deps: RouteDeps): void {
  const { store, clock } = deps;
  const { stats } = deps;

  routes.route('GET /api/stats', async (c) =>
    c.json(await stats.report({ from: c.req.query('from'), to: c.req.query('to') })),
  );

  routes.route('GET /api/filing', async (c) => c.json(await store.stats.getFiling()));

  routes.route('PUT /api/filing', async (c) => {
    const me = staffPrincipal(c);
    const body = await readBody(c.req.raw, deps.maxBodyBytes, filingBody);
    const now = clock.now();
    const fields = Object.keys(body).sort();
    const filing = await store.stats.saveFiling(body, { staffId: me.staffId, now }, [
      {
        type: 'filing-updated',
        requirement: 'ASSESS-4',
        at: now,
        data: { staffId: me.staffId, fields, assessmentStatus: body.assessmentStatus ?? null },
      },
    ]);
    return c.json(filing);
  });

  routes.route('GET /api/checklist', async (c) => c.json({ data: await store.stats.listChecklist() }));

  routes.route('PUT /api/checklist/:id', async (c) => {
    const me = staffPrincipal(c);
    const raw = c.req.param('id') ?? '';
    const id = raw === 'new' ? randomUUID() : raw;
    if (!itemId.safeParse(id).success) {
      throw new CgError('invalid-request', 'A checklist item id uses letters, digits, _ and - (at most 64).');
    }
    const body = await readBody(c.req.raw, deps.maxBodyBytes, itemBody);
    const now = clock.now();
    const item = await store.stats.saveChecklistItem({ id, ...body }, { staffId: me.staffId, now }, [
      {
        type: 'checklist-item-saved',
        requirement: 'GOV-1',
        at: now,
        data: { staffId: me.staffId, itemId: id, area: body.area, done: body.doneOn !== null },
      },
    ]);
    return c.json(item, raw === 'new' ? 201 : 200);
  });

  routes.route('DELETE /api/checklist/:id', async (c) => {
    const me = staffPrincipal(c);
    const id = c.req.param('id') ?? '';
    const now = clock.now();
    await store.stats.deleteChecklistItem(id, [
      {
        type: 'checklist-item-deleted',
        requirement: 'GOV-1',
        at: now,
        data: { staffId: me.staffId, itemId: id },
      },
    ]);
    return c.body(null, 204);
  });
}
