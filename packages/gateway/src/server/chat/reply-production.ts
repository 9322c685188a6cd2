import {
  type Clock,
  type Finding,
  isCgError,
  type LiveEvents,
  protectsMinor,
  type ScanStep,
  type Transition,
} from '@companion-guard/core';
import type { Detection } from '../../detection.js';
import type { Logger } from '../../logger.js';
import type { ChatUpstream, UpstreamMessage } from '../../upstream/upstream.js';
import type { ServiceControls } from '../controls/service-controls.js';
import type { Compliance } from './compliance.js';
import type { DecidedTurn, TurnDecider } from './turn-decision.js';

/** A decided turn that calls the model. */
export interface ModelTurn {
  readonly decided: DecidedTurn;
  readonly model: string;
  readonly messages: readonly UpstreamMessage[];
  /** Sampling parameters passed through to the upstream. */
  readonly params: Readonly<Record<string, unknown>>;
  /** The model of this turn when it is not the deployment's (`TurnInput.upstream`). */
  readonly upstream?: ChatUpstream | undefined;
}

/** How a reply ended. */
export interface TurnOutcome {
  /** `length`: the reply reached `detection.maxOutputChars` and was cut there (issue #11). */
  readonly finishReason: 'stop' | 'content_filter' | 'length';
  /** Directives that go with the end of the reply (held ones, `output-withheld`), or null. */
  readonly compliance: Compliance | null;
}

/** The model's replies: streamed from the upstream through the output scanner, stored, cancellable. */
export interface ReplyProducer {
  /**
   * Asks the model and yields the text the output scanner releases: as it comes for a streamed turn, whole
   * at the end for a non-streamed one. Withheld output is replaced (a streamed turn keeps what was already
   * released: it was checked). The reply is stored before the outcome is returned. Throws the upstream's
   * error when the model fails — not when the user left (an exit or `signal`, the client going away).
   */
  produce(turn: ModelTurn, signal: AbortSignal): AsyncGenerator<string, TurnOutcome>;
  /**
   * Stops every reply being produced in the session at once (EXIT-3), on this instance. Other instances
   * stop theirs on the `session-exit` event (`sessionChannel`), which every reply listens for.
   */
  cancel(sessionId: string): void;
}

/** The live channel of one session (operator messages, takeover, exit). */
export const sessionChannel = (sessionId: string) => `session:${sessionId}`;

export interface ReplyProducerOptions {
  readonly upstream: ChatUpstream;
  readonly detection: Detection;
  readonly decider: TurnDecider;
  readonly logger: Logger;
  readonly events: LiveEvents;
  readonly clock: Clock;
  /** NOTICE-1: told of every model call's outcome (the outage notice). */
  readonly controls?: ServiceControls | undefined;
}

/** Why a model call was ended early: the session was exited, or the reply is done (output withheld). */
const exitReason = new Error('The session was exited.');
const finishedReason = new Error('The reply is done.');

export function createReplyProducer(options: ReplyProducerOptions): ReplyProducer {
  const { decider, logger } = options;
  /** Replies being produced, per session: an exit stops them at once. */
  const producing = new Map<string, Set<() => void>>();

  async function* produce(turn: ModelTurn, signal: AbortSignal): AsyncGenerator<string, TurnOutcome> {
    const { decided } = turn;
    const sessionId = decided.record.id;
    // One signal for the model call: an exit, the client going away, or the reply being done ends it.
    // Aborting with a reason spares the DOMException (and its stack) an abort without one creates.
    const call = new AbortController();
    let exited = false;
    const stop = () => {
      exited = true;
      call.abort(exitReason);
    };
    const clientGone = () => call.abort(signal.reason);
    if (signal.aborted) clientGone();
    else signal.addEventListener('abort', clientGone, { once: true });
    const running = producing.get(sessionId) ?? new Set<() => void>();
    producing.set(sessionId, running.add(stop));
    // An exit on any instance stops this reply.
    const unsubscribe = options.events.subscribe(sessionChannel(sessionId), (event) => {
      if (event.type === 'session-exit') stop();
    });
    const scanner = options.detection.createOutputScanner(protectsMinor(decided.ctx));
    const findings: Finding[] = [];
    const output: { released: string; withheld: Transition | null; received: number; cut: boolean } = {
      released: '',
      withheld: null,
      received: 0,
      cut: false,
    };
    /** Takes a scanner step: the text that may be shown now (none once the output is withheld). */
    const release = (step: ScanStep): string => {
      if (step.findings.length > 0) {
        findings.push(...step.findings);
        const judged = decider.judgeOutput(decided, findings);
        if (judged.withhold) output.withheld = judged;
      }
      return output.withheld ? '' : step.release;
    };
    const interrupted = () => exited || signal.aborted;
    try {
      const deltas = (turn.upstream ?? options.upstream).stream({
        model: turn.model,
        messages: turn.messages,
        params: turn.params,
        signal: call.signal,
      });
      const cap = options.detection.maxOutputChars;
      for await (const delta of deltas) {
        if (interrupted()) break;
        // Issue #11: the reply is cut at the cap; what came before it is scanned to its end like any reply.
        const room = cap - output.received;
        // Never split a surrogate pair at the cap.
        const end = room > 0 && /[\uD800-\uDBFF]/.test(delta.charAt(room - 1)) ? room - 1 : room;
        const piece = delta.length > room ? delta.slice(0, end) : delta;
        output.received += piece.length;
        const text = release(scanner.push(piece));
        if (output.withheld) break;
        output.released += text;
        if (text && decided.stream) yield text;
        if (delta.length > room) {
          output.cut = true;
          logger.warn('model reply cut at detection.maxOutputChars', { sessionId, maxOutputChars: cap });
          break;
        }
      }
      if (!output.withheld && !interrupted()) {
        const tail = release(scanner.end());
        output.released += tail;
        if (tail && decided.stream) yield tail;
      }
    } catch (e) {
      // The user left (exit or disconnect): not an upstream failure; what was shown is kept below.
      if (!interrupted() || isCgError(e)) {
        const code = isCgError(e) ? e.code : 'internal';
        logger.warn('upstream failed', { code, sessionId });
        await decider.recordFailure(decided, code);
        // NOTICE-1: only the deployment's own upstream makes an outage; an in-process app's model is its own.
        if (!turn.upstream) await options.controls?.upstreamFailed(options.clock.now());
        throw e;
      }
    } finally {
      call.abort(finishedReason); // cancels the upstream request if it is still open (output withheld)
      signal.removeEventListener('abort', clientGone);
      unsubscribe();
      running.delete(stop);
      if (running.size === 0) producing.delete(sessionId);
    }
    // The model answered (a user who left cut it short, but it was answering): an outage is over.
    if (!turn.upstream) await options.controls?.upstreamOk(options.clock.now());
    const { released, withheld } = output;
    if (withheld) {
      // The decision's own text: a plain goodbye when the reply only tried to hold a leaving user back.
      const replacement =
        withheld.directives.find((d) => d.type === 'output-withheld')?.text ??
        decided.ctx.profile.texts.outputWithheld[decided.ctx.locale];
      const kept = decided.stream && released !== '';
      yield kept ? `\n${replacement}` : replacement;
      const text = kept ? `${released}\n${replacement}` : replacement;
      const compliance = await decider.settle(decided, { text, withheld, interrupted: interrupted() });
      return { finishReason: 'content_filter', compliance };
    }
    const cut = interrupted();
    if (!decided.stream && released && !cut) yield released;
    const compliance = await decider.settle(decided, { text: released, withheld: null, interrupted: cut });
    return { finishReason: output.cut ? 'length' : 'stop', compliance };
  }

  return {
    produce,
    cancel(sessionId) {
      for (const stop of producing.get(sessionId) ?? []) stop();
    },
  };
}
