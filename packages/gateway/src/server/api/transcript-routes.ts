import { CgError } from '@companion-guard/core';
import type { SecureRoutes } from '../auth/authorization.js';
import type { AppDeps } from '../deps.js';
import { isoTime, staffPrincipal } from './wire.js';

const minPurposeLength = 5;
const maxPurposeLength = 500;

/**
 * DATA-1: an operator reads a conversation's plaintext only with a stated purpose, and every read is an
 * audit event (who, which session, why, how many messages — never the content) appended before the
 * content leaves the gateway.
 */
export function registerTranscriptRoutes(routes: SecureRoutes, deps: AppDeps): void {
  routes.route('GET /api/sessions/:id/messages', async (c) => {
    const me = staffPrincipal(c);
    const purpose = (c.req.query('purpose') ?? '').trim();
    if (purpose.length < minPurposeLength || purpose.length > maxPurposeLength) {
      throw new CgError(
        'purpose-required',
        `State why you read this conversation (purpose, ${minPurposeLength}-${maxPurposeLength} characters). ` +
          `请说明查看该对话的目的（purpose，${minPurposeLength}-${maxPurposeLength} 个字符）。`,
      );
    }
    const sessionId = c.req.param('id') ?? '';
    const session = await deps.store.getSession(sessionId);
    if (!session) throw new CgError('not-found', `No session ${sessionId}.`);
    const messages = await deps.store.listMessages(sessionId);
    await deps.store.appendAudit([
      {
        type: 'transcript-read',
        requirement: 'DATA-1',
        at: deps.clock.now(),
        userId: session.userId,
        sessionId,
        data: { staffId: me.staffId, purpose, messageCount: messages.length },
      },
    ]);
    return c.json({
      data: messages.map((m) => ({
        id: m.id,
        role: m.role,
        content: m.content,
        content_id: m.contentId,
        status: m.status,
        created_at: isoTime(m.createdAt),
      })),
    });
  });
}
