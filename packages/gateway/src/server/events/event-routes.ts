import { CgError, type SessionState } from '@companion-guard/core';
import { getCookie } from 'hono/cookie';
import { type SecureRoutes, staffCookie } from '../auth/authorization.js';
import { sessionChannel } from '../chat/reply-production.js';
import type { AppDeps } from '../deps.js';
import { liveStream, type SseMessage } from './live-stream.js';

/** The live channel of the incident queue. */
export const incidentsChannel = 'incidents';

/** Session events as the app sees them (`session-exit` is the session ending). */
const sessionEventTypes: Readonly<Record<string, string>> = {
  'takeover-start': 'takeover-start',
  'takeover-end': 'takeover-end',
  fallback: 'fallback',
  'session-exit': 'session-ended',
};

/**
 * The live streams (SSE): the incident queue for operators (`GET /api/incidents/events`) and a session's
 * events for the app (`GET /v1/sessions/:id/events?user=…`): operator messages, takeover, the end.
 */
export function registerEventRoutes(routes: SecureRoutes, deps: AppDeps): void {
  const { events, logger, store } = deps;

  routes.route('GET /api/incidents/events', (c) => {
    const token = getCookie(c, staffCookie) ?? '';
    return liveStream(c, {
      events,
      logger,
      channel: incidentsChannel,
      async translate(event) {
        const { incident_id: id, type } = event;
        if (typeof id !== 'string' || typeof type !== 'string') return { messages: [] };
        return { messages: [{ event: 'incident', data: { type, incident: { id } } }] };
      },
      stillAllowed: async () => (await deps.auth.verifyStaffSession(token)) !== undefined,
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
    const compliance = async (author: 'human' | null) => {
      const now = await store.getSession<SessionState>(sessionId);
      const wire = {
        directives: [],
        label: null,
        session: { id: sessionId, state: now?.state.status ?? session.state.status },
      };
      return author ? { author, ...wire } : wire;
    };
    return liveStream(c, {
      events,
      logger,
      channel: sessionChannel(sessionId),
      // A session that has ended says so at once (the app stops listening).
      opened: async () =>
        session.state.status === 'ended'
          ? { messages: [{ data: { type: 'session-ended', compliance: await compliance(null) } }], end: true }
          : { messages: [] },
      async translate(event) {
        if (event.type === 'operator-message') {
          const messages = await store.listMessages(sessionId);
          const message = messages.find((m) => m.id === event.message_id);
          if (!message) return { messages: [] };
          const data = {
            type: 'operator-message',
            message: {
              id: message.id,
              content: message.content,
              created_at: new Date(message.createdAt).toISOString(),
            },
            compliance: await compliance('human'),
          };
          return { messages: [{ data }] };
        }
        const type = typeof event.type === 'string' ? sessionEventTypes[event.type] : undefined;
        if (!type) return { messages: [] };
        const sent: SseMessage = { data: { type, compliance: await compliance(null) } };
        return { messages: [sent], end: type === 'session-ended' };
      },
    });
  });
}
