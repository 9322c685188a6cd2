/** A chat message as sent to the upstream model. */
export interface UpstreamMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

export interface UpstreamRequest {
  readonly model: string;
  readonly messages: readonly UpstreamMessage[];
  /** Sampling parameters passed through unchanged (temperature, top_p, max_tokens, …). */
  readonly params: Readonly<Record<string, unknown>>;
  /** Aborted when the client goes away or the gateway withholds the output. */
  readonly signal: AbortSignal;
}

/**
 * The model behind the gateway. `stream` yields content as it arrives (pieces that arrived while the caller
 * was busy come as one) and throws
 * `CgError('upstream-error' | 'upstream-timeout')` on failure. The gateway always streams from the
 * upstream, also for non-streamed client requests, so output is checked the same way.
 */
export interface ChatUpstream {
  readonly name: string;
  stream(request: UpstreamRequest): AsyncIterable<string>;
}
