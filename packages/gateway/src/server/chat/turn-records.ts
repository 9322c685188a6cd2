import { randomUUID } from 'node:crypto';
import type { AuditDraft, AuditInput, MessageRole, MessageStatus, NewMessage } from '@companion-guard/core';

/** A new DISC-4 content ID. */
export const newContentId = (): string => `cg-${randomUUID()}`;

/**
 * The core's audit drafts as events of this user and session at `at`. With `profileId` (SCOPE-2) every event
 * names the policy profile that decided it in `data.profile`.
 */
export function auditInputs(
  drafts: readonly AuditDraft[],
  userId: string,
  sessionId: string,
  at: number,
  profileId?: string,
): AuditInput[] {
  return drafts.map((d) =>
    profileId
      ? { ...d, data: { ...d.data, profile: profileId }, at, userId, sessionId }
      : { ...d, at, userId, sessionId },
  );
}

/** A message to store (the store encrypts its content). */
export function newMessage(
  fields: {
    sessionId: string;
    userId: string;
    role: MessageRole;
    content: string;
    status: MessageStatus;
    at: number;
  },
  contentId = newContentId(),
): NewMessage {
  const { at, ...rest } = fields;
  return { id: randomUUID(), ...rest, contentId, createdAt: at };
}
