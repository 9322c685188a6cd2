import { CgError, type MessageRecord } from '@companion-guard/core';
import type { Context } from 'hono';
import type { AppEnv, SecureRoutes } from '../auth/authorization.js';
import type { AppDeps } from '../deps.js';
import { isoTime, staffPrincipal } from './wire.js';

const minPurposeLength = 5;
const maxPurposeLength = 500;

/** The stated purpose of a read (DATA-1), or `purpose-required`. */
export function readPurpose(c: Context<AppEnv>): string {
  const purpose = (c.req.query('purpose') ?? '').trim();
  if (purpose.length < minPurposeLength || purpose.length > maxPurposeLength) {
    throw new CgError(
      'purpose-required',
      `State why you read this conversation (purpose, ${minPurposeLength}-${maxPurposeLength} characters). ` +
        `请说明查看该对话的目的（purpose，${minPurposeLength}-${maxPurposeLength} 个字符）。`,
    );
  }
  return purpose;
}

/** Messages as the `/api` routes show them. */
export const messageJson = (m: MessageRecord) => ({
  id: m.id,
  role: m.role,
  author: m.author,
  content: m.content,
  content_id: m.contentId,
  status: m.status,
  created_at: isoTime(m.createdAt),
});

/**
 * DATA-1: an operator reads a conversation's plaintext only with a stated purpose, and every read is an
 * audit event (who, which session, why, how many messages — never the content) appended before the
 * content leaves the gateway.
 */
export function registerTranscriptRoutes(routes: SecureRoutes, deps: AppDeps): void {
  routes.route('GET /api/sessions/:id/messages', async (c) => {
    const me = staffPrincipal(c);
    const purpose = readPurpose(c);
    const sessionId = c.req.param('id') ?? '';
    const session = await deps.store.getSession(sessionId);
    if (!session) throw new CgError('not-found', `No session ${sessionId}.`);
    // Only the operator who holds the user's incident reads the user's conversations.
    const incident = await deps.store.incidents.activeIncidentOfUser(session.userId);
    if (incident?.state !== 'claimed' || incident.claimedBy !== me.staffId) {
      throw new CgError(
        'incident-not-assigned',
        'Only the operator holding this user’s incident may read it.',
      );
    }
    const messages = await deps.store.listMessages(sessionId);
    await deps.store.appendAudit([
      {
        type: 'transcript-read',
        requirement: 'DATA-1',
        at: deps.clock.now(),
        userId: session.userId,
        sessionId,
        data: { staffId: me.staffId, purpose, messageCount: messages.length, incident: incident.id },
      },
    ]);
    return c.json({ data: messages.map(messageJson) });
  });
}
