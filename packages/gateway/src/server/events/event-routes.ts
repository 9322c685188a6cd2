import { CgError, type MessageRecord, type SessionState } from '@companion-guard/core';
import { getCookie } from 'hono/cookie';
import { incidentJson } from '../api/incident-routes.js';
import { type SecureRoutes, staffCookie } from '../auth/authorization.js';
import { sessionChannel } from '../chat/reply-production.js';
import { complaintReplies, userChannel } from '../complaints/complaint-wire.js';
import type { AppDeps } from '../deps.js';
import { liveStream, type SseMessage, type Translated } from './live-stream.js';

/** The live channel of the incident queue. */
export const incidentsChannel = 'incidents';

/** Session events as the app sees them (`session-exit` is the session ending). */
const sessionEventTypes: Readonly<Record<string, string>> = {
  'takeover-start': 'takeover-start',
  'takeover-end': 'takeover-end',
  'session-exit': 'session-ended',
};
/** Events after which messages may wait for the user (an operator's, the fallback with the help lines). */
const messageEventTypes = new Set(['operator-message', 'fallback']);

/**
 * The live streams (SSE): the incident queue for operators (`GET /api/incidents/events`) and a session's
 * events for the app (`GET /v1/sessions/:id/events?user=…`): operator messages, takeover, the end, and
 * staff replies to the user's complaints (`complaint-reply`, announced on the user's channel).
 */
export function registerEventRoutes(routes: SecureRoutes, deps: AppDeps): void {
  const { events, logger, store, incidents } = deps;

  routes.route('GET /api/incidents/events', (c) => {
    const token = getCookie(c, staffCookie) ?? '';
    return liveStream(c, {
      events,
      logger,
      channel: incidentsChannel,
      async translate(event) {
        const { incident_id: id, type } = event;
        if (typeof id !== 'string' || typeof type !== 'string') return { messages: [] };
        const incident = await store.incidents.getIncident(id);
        if (!incident) return { messages: [] };
        return { messages: [{ event: 'incident', data: { type, incident: incidentJson(incident) } }] };
      },
      stillAllowed: async () => (await deps.staff.verifySession(token, { touch: false })) !== undefined,
    });
  });

  routes.route('GET /v1/sessions/:id/events', async (c) => {
    const externalUserId = c.req.query('user');
    if (!externalUserId) throw new CgError('missing-user');
    const sessionId = c.req.param('id') ?? '';
    // The session must be this user's; nothing is created for an unknown user or session.
    const session = await store.getSession<SessionState>(sessionId);
    const owner = session && (await store.getUser(session.userId));
    if (!session || owner?.externalId !== externalUserId) {
      throw new CgError('not-found', 'No such session for this user.');
    }
    /** The envelope of an event, with the session's state now. */
    const compliance = async (author: MessageRecord['author'] | null) => {
      const now = await store.getSession<SessionState>(sessionId);
      const wire = {
        directives: [],
        label: null,
        session: { id: sessionId, state: now?.state.status ?? session.state.status },
      };
      return author ? { author, ...wire } : wire;
    };
    /**
     * The messages waiting for the user, each sent once across instances and streams (marked delivered, so
     * the next chat call does not repeat them): an operator's as `operator-message`, the fallback as `fallback`.
     */
    const waiting = async (): Promise<Translated> => {
      const taken = await incidents.takeQueued(session.userId);
      const messages: SseMessage[] = [];
      for (const m of taken) {
        const data = {
          type: m.author === 'human' ? 'operator-message' : 'fallback',
          message: { id: m.id, content: m.content, created_at: new Date(m.createdAt).toISOString() },
          compliance: await compliance(m.author),
        };
        messages.push({ data });
      }
      return { messages };
    };
    /** COMPLAINT-1: staff replies the user has not seen, each shown once (here or on the next chat turn). */
    const replies = async (pending: boolean): Promise<SseMessage[]> => {
      if (!owner) return [];
      const user = { ...owner, complaintReplyPending: pending };
      const directives = await complaintReplies(
        store.complaints,
        deps.profiles.forUser(owner),
        user,
        owner.locale,
        deps.clock.now(),
      );
      if (directives.length === 0) return [];
      deps.chat.forgetUser(owner.externalId);
      const wire = await compliance(null);
      return [{ data: { type: 'complaint-reply', compliance: { ...wire, directives } } }];
    };
    const header = c.req.header('authorization');
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
    return liveStream(c, {
      events,
      logger,
      channel: sessionChannel(sessionId),
      // The app's key may be revoked while the stream is open; a keyless loopback server may gain a key.
      stillAllowed: async () =>
        (bearer !== '' && (await deps.auth.verifyApiKey(bearer)) !== undefined) ||
        (await deps.auth.keylessApp()),
      // A session that has ended says so at once (the app stops listening).
      alsoChannels: [userChannel(session.userId)],
      opened: async () => {
        if (session.state.status === 'ended') {
          return {
            messages: [{ data: { type: 'session-ended', compliance: await compliance(null) } }],
            end: true,
          };
        }
        const sent = await waiting();
        return { messages: [...sent.messages, ...(await replies(owner?.complaintReplyPending ?? false))] };
      },
      async translate(event) {
        if (event.type === 'complaint-reply') return { messages: await replies(true) };
        if (typeof event.type === 'string' && messageEventTypes.has(event.type)) {
          const sent = await waiting();
          if (sent.messages.length > 0 || event.type !== 'fallback') return sent;
          return { messages: [{ data: { type: 'fallback', compliance: await compliance(null) } }] };
        }
        const type = typeof event.type === 'string' ? sessionEventTypes[event.type] : undefined;
        if (!type) return { messages: [] };
        const sent: SseMessage = { data: { type, compliance: await compliance(null) } };
        return { messages: [sent], end: type === 'session-ended' };
      },
    });
  });
}
