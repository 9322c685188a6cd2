import {
  CgError,
  emotionalSummary,
  type Incident,
  type IncidentEvent,
  incidentFigures,
  localDay,
  operatorOutcomes,
} from '@companion-guard/core';
import { z } from 'zod';
import type { SecureRoutes } from '../auth/authorization.js';
import type { AppDeps } from '../deps.js';
import { readBody } from '../read-body.js';
import { messageJson, readPurpose } from './transcript-routes.js';
import { isoTime, staffPrincipal } from './wire.js';

const time = (ms: number | null) => (ms === null ? null : isoTime(ms));

/** An incident on the wire (snake_case; ids, facts and times, never text). */
export const incidentJson = (i: Incident) => ({
  id: i.id,
  user: i.externalUserId,
  session_id: i.sessionId,
  character_id: i.characterId,
  severity: i.severity,
  state: i.state,
  reason: i.reason,
  signals: i.signals,
  age_band: i.ageBand,
  opened_at: isoTime(i.openedAt),
  claimed_at: time(i.claimedAt),
  claimed_by: i.claimedBy,
  escalated_at: time(i.escalatedAt),
  first_human_message_at: time(i.firstHumanMessageAt),
  contact_notified_at: time(i.contactNotifiedAt),
  handed_back_at: time(i.handedBackAt),
  closed_at: time(i.closedAt),
  outcome: i.outcome,
});

const timelineJson = (e: IncidentEvent) => ({ type: e.type, at: isoTime(e.at), actor: e.actor });

const text = z.string().trim().min(1).max(4000);
const newIncidentBody = z.object({
  user: z.string().min(1).max(256),
  session_id: z.string().min(1).optional(),
  reason_note: z.string().trim().min(1).max(4000),
});
const textBody = z.object({ text });
const handbackBody = z.object({ instruction: text });
const closeBody = z.object({ outcome: z.enum(operatorOutcomes) });
const dutyBody = z.object({ on_duty: z.boolean() });
const stateQuery = z.enum(['active', 'closed', 'all']);

/**
 * RISK-1: the user's emotional state and dependence as operators see it: scores decayed to now, level, trend
 * over the week, and the days of the last two weeks with signals. Numbers only; null for an unknown user.
 */
async function emotionalStateOf(deps: AppDeps, userId: string) {
  const user = await deps.store.getUser(userId);
  if (!user) return null;
  const now = deps.clock.now();
  // The user's profile, as the chat path that raised the scores (its days and half-life).
  const profile = deps.profiles.forUser(user);
  const zone = profile.session.defaultTimeZone;
  const days = await deps.store.emotions.days(userId, localDay(now, zone, 14));
  return emotionalSummary(user.emotionalScores, days, now, localDay(now, zone, 7), profile.emotionalState);
}

/**
 * The operator's side of incidents (RISK-4..6): the queue, claiming, talking to the user, notes, hand-back
 * and close, duty and the console's heartbeat, and the figures (ASSESS-2). The live feed (`GET /api/incidents/events`) is registered
 * elsewhere.
 */
export function registerIncidentRoutes(routes: SecureRoutes, deps: AppDeps): void {
  const { store, incidents } = deps;
  const id = (c: { req: { param(name: string): string | undefined } }) => c.req.param('id') ?? '';

  routes.route('GET /api/incidents', async (c) => {
    const parsed = stateQuery.safeParse(c.req.query('state') ?? 'active');
    if (!parsed.success) throw new CgError('invalid-request', '`state` is active, closed or all.');
    const [list, onDuty] = await Promise.all([
      store.incidents.listIncidents(parsed.data),
      incidents.operatorsOnDuty(),
    ]);
    return c.json({ data: list.map(incidentJson), on_duty: onDuty });
  });

  routes.route('POST /api/incidents', async (c) => {
    const me = staffPrincipal(c);
    const body = await readBody(c.req.raw, deps.maxBodyBytes, newIncidentBody);
    const opened = await incidents.openByOperator(body.user, body.session_id ?? null, me.staffId);
    // The operator's reasoning is operator text: sealed in the time line as the first note.
    const noted = await incidents.act(opened.id, me.staffId, { kind: 'note', text: body.reason_note });
    return c.json(incidentJson(noted.incident), 201);
  });

  routes.route('GET /api/incidents/figures', async (c) => {
    const f = incidentFigures(await store.incidents.listIncidents('all'));
    return c.json({
      incidents: f.incidents,
      claimed: f.claimed,
      closed: f.closed,
      median_ms: {
        to_claim: f.medianMs.toClaim,
        to_first_human_message: f.medianMs.toFirstHumanMessage,
        to_contact_notification: f.medianMs.toContactNotification,
      },
      outcomes: f.outcomes,
    });
  });

  routes.route('GET /api/incidents/:id', async (c) => {
    const incident = await store.incidents.getIncident(id(c));
    if (!incident) throw new CgError('not-found', `No incident ${id(c)}.`);
    const [timeline, emotional] = await Promise.all([
      store.incidents.listIncidentEvents(incident.id),
      emotionalStateOf(deps, incident.userId),
    ]);
    return c.json({
      ...incidentJson(incident),
      timeline: timeline.map(timelineJson),
      emotional_state: emotional,
    });
  });

  routes.route('POST /api/incidents/:id/claim', async (c) => {
    const { incident } = await incidents.act(id(c), staffPrincipal(c).staffId, { kind: 'claim' });
    return c.json(incidentJson(incident));
  });

  routes.route('GET /api/incidents/:id/messages', async (c) => {
    const me = staffPrincipal(c);
    const purpose = readPurpose(c);
    const incident = await incidents.assigned(id(c), me.staffId);
    // The conversation follows the user (RISK-6): the incident's session and the one they are in now.
    const latest = await store.latestSessionOfUser(incident.userId);
    const sessions = [...new Set([incident.sessionId, latest?.id].filter((s): s is string => !!s))];
    const messages = (await Promise.all(sessions.map((s) => store.listMessages(s))))
      .flat()
      .sort((a, b) => a.createdAt - b.createdAt);
    await store.appendAudit([
      {
        type: 'transcript-read',
        requirement: 'DATA-1',
        at: deps.clock.now(),
        userId: incident.userId,
        sessionId: incident.sessionId,
        data: { staffId: me.staffId, purpose, messageCount: messages.length, incident: incident.id },
      },
    ]);
    return c.json({ data: messages.map(messageJson) });
  });

  routes.route('POST /api/incidents/:id/messages', async (c) => {
    const me = staffPrincipal(c);
    const body = await readBody(c.req.raw, deps.maxBodyBytes, textBody);
    const sent = await incidents.act(id(c), me.staffId, { kind: 'message', text: body.text });
    return c.json({ id: sent.messageId, created_at: isoTime(sent.at) }, 201);
  });

  routes.route('POST /api/incidents/:id/notes', async (c) => {
    const body = await readBody(c.req.raw, deps.maxBodyBytes, textBody);
    const { incident } = await incidents.act(id(c), staffPrincipal(c).staffId, {
      kind: 'note',
      text: body.text,
    });
    return c.json(incidentJson(incident), 201);
  });

  routes.route('POST /api/incidents/:id/handback', async (c) => {
    const body = await readBody(c.req.raw, deps.maxBodyBytes, handbackBody);
    const { incident } = await incidents.act(id(c), staffPrincipal(c).staffId, {
      kind: 'handback',
      instruction: body.instruction,
    });
    return c.json(incidentJson(incident));
  });

  routes.route('POST /api/incidents/:id/close', async (c) => {
    const body = await readBody(c.req.raw, deps.maxBodyBytes, closeBody);
    const { incident } = await incidents.act(id(c), staffPrincipal(c).staffId, {
      kind: 'close',
      outcome: body.outcome,
    });
    return c.json(incidentJson(incident));
  });

  routes.route('GET /api/me/duty', async (c) =>
    c.json({ on_duty: await store.incidents.isOnDuty(staffPrincipal(c).staffId) }),
  );

  routes.route('PUT /api/me/duty', async (c) => {
    const me = staffPrincipal(c);
    const body = await readBody(c.req.raw, deps.maxBodyBytes, dutyBody);
    await store.incidents.setOnDuty(me.staffId, body.on_duty, [
      {
        type: body.on_duty ? 'operator-on-duty' : 'operator-off-duty',
        requirement: 'RISK-4',
        at: deps.clock.now(),
        data: { staffId: me.staffId },
      },
    ]);
    return c.json({ on_duty: body.on_duty });
  });

  // Sent by the console every 25 s while the crisis queue is open and visible (config `staff.onDutyWindowSeconds`).
  routes.route('POST /api/me/heartbeat', async (c) => {
    await store.staff.recordHeartbeat(staffPrincipal(c).sessionId, deps.clock.now());
    return c.body(null, 204);
  });

  // Sent by the console when its crisis queue closes: the operator stops counting now, not a window later.
  routes.route('DELETE /api/me/heartbeat', async (c) => {
    await store.staff.endHeartbeat(staffPrincipal(c).sessionId);
    return c.body(null, 204);
  });
}
