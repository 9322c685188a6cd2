import type { Directive, MessageAuthor, SessionRecord, SessionState } from '@companion-guard/core';

/** A session as the chat flow holds it: the store's record with the core session state. */
export type Session = SessionRecord<SessionState>;

/** The explicit AI label of an assistant message and its content ID (DISC-4). */
export interface AiLabel {
  readonly text: string;
  readonly contentId: string;
  /** The machine-readable mark (EU AI Act Art. 50(2)) where the user's profile asks for it. */
  readonly machineReadable?: { readonly producer: string };
}

/**
 * What a response tells the client UI besides the text: directives, the AI label and the session state.
 * Domain form; `server/openai/wire.ts` writes it as the wire's `compliance` extension.
 */
export interface Compliance {
  readonly directives: readonly Directive[];
  readonly label: AiLabel | null;
  readonly session: { readonly id: string; readonly state: SessionState['status'] };
  /** Who wrote the reply when it is not the model: `human` (an operator, RISK-4) or `system`. */
  readonly author?: MessageAuthor;
}

/** The envelope of a response about `session`. */
export function complianceOf(
  session: Session,
  directives: readonly Directive[],
  label: AiLabel | null,
): Compliance {
  return { directives, label, session: { id: session.id, state: session.state.status } };
}

/**
 * The whole envelope of a reply: the directives of its start and those that came with its end (`late`,
 * e.g. `output-withheld`), with the end's label and session.
 */
export function withLate(start: Compliance, late: Compliance | null): Compliance {
  return late ? { ...late, directives: [...start.directives, ...late.directives] } : start;
}
