import { type AiLabel, type Compliance, GatewayError } from '@companion-guard/client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { appealOf, type DirectiveLike, placementOf } from './directive-logic.js';
import type { DirectiveEntry } from './directive-views.js';
import { type GatewayOptions, gatewayCalls } from './gateway.js';

/** One line of the conversation, in order. */
export type ChatMessage =
  | { readonly kind: 'user'; readonly key: string; readonly text: string }
  | {
      readonly kind: 'assistant';
      readonly key: string;
      readonly text: string;
      /** The explicit AI label and content ID (DISC-4); `null` for a person's reply or before it arrives. */
      readonly label: AiLabel | null;
      /** `human` when an operator wrote it (RISK-4), `system` for a fixed reply; `null` for the model. */
      readonly author: 'user' | 'ai' | 'human' | 'system' | null;
      readonly streaming: boolean;
      /** The user stopped it (abort, exit). */
      readonly stopped: boolean;
      /** `stop`, `content_filter` (the reply was withheld and replaced), …; `null` while streaming. */
      readonly finishReason: string | null;
    }
  /** An inline directive (exit confirmed, input blocked, a minor-mode gate, …), where it arrived. */
  | { readonly kind: 'directive'; readonly key: string; readonly directive: DirectiveLike }
  | { readonly kind: 'error'; readonly key: string; readonly error: GatewayError };

/** The session as the page knows it. */
export interface ChatSession {
  /** The gateway's session id; `null` until it names one. */
  readonly id: string | null;
  /** `none` until the gateway answered; then `active`, `human-takeover`, `ended` (or a newer state). */
  readonly state: string;
  readonly ended: boolean;
  /** The `session-ended` directive (EXIT-3) that ended it, for the ended card. */
  readonly endedNotice: DirectiveLike | null;
}

export interface UseCompanionChatOptions extends GatewayOptions {
  /** The end user's id (the chat request's `user`). */
  readonly user: string;
  /** The `model` sent with each turn (the gateway passes it to its upstream). */
  readonly model: string;
  /** The character (`metadata.character_id`); `null`/absent: the gateway's default. */
  readonly characterId?: string | null | undefined;
  /** The user's locale, sent as `metadata.locale`: the gateway writes directive texts in it. */
  readonly locale: 'zh' | 'en';
  /** A session id kept from before (e.g. in localStorage), so exit works after a reload. */
  readonly sessionId?: string | null | undefined;
  /** Called whenever the gateway names the session (to keep its id). */
  readonly onSessionId?: ((id: string) => void) | undefined;
  /**
   * Listen to the session's live events between turns (`GET /v1/sessions/{id}/events`): an operator's
   * messages (RISK-4), the fallback with the help lines, takeover start and end, the session ending.
   * Default true.
   */
  readonly liveEvents?: boolean | undefined;
}

export interface CompanionChat {
  readonly messages: readonly ChatMessage[];
  /** Pop-ups and banners waiting to be acknowledged or closed: give them to `<ComplianceDirectives>`. */
  readonly directives: readonly DirectiveEntry[];
  readonly session: ChatSession;
  /** What is under way: a turn streaming, an exit, a new chat; `null` when idle. */
  readonly busy: 'sending' | 'exit' | 'new' | null;
  /**
   * The last error (also in `messages`), cleared by the next successful call. `code` is stable: the
   * gateway's (`missing-user`, `upstream-error`, …) or `network-error`, `stream-interrupted`,
   * `invalid-response`, `http-<status>`.
   */
  readonly error: GatewayError | null;
  /** Sends a message and streams the reply; ignored when empty, busy or ended. */
  send(text: string): Promise<void>;
  /** Stops the reply streaming now (the gateway keeps what it stored). */
  abort(): void;
  /** Ends the session at once (EXIT-1): stops any reply, then tells the gateway. */
  exit(): Promise<void>;
  /** Starts a new session (new chat), optionally with another character; the conversation is cleared. */
  newChat(characterId?: string | null): Promise<void>;
  /** Drops an acknowledged or closed directive from `directives`. */
  dismiss(key: string): void;
  /** Files the appeal a `minor-mode` directive offers (MINOR-5); rejects with the gateway's error. */
  appeal(directive: DirectiveLike): Promise<void>;
}

type AssistantMessage = Extract<ChatMessage, { kind: 'assistant' }>;

function asChatError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError(0, 'invalid-response', error instanceof Error ? error.message : String(error));
}

/**
 * Streaming chat with a companion-guard gateway and every compliance directive it sends: messages with
 * their AI labels, the directives to show, the session state, exit, new chat, abort, errors with codes.
 */
export function useCompanionChat(options: UseCompanionChatOptions): CompanionChat {
  const { baseURL, apiKey } = options;
  // Inline `headers` and `fetch` are new objects on every render: compare the headers by value and call the
  // latest fetch, so the calls (and the live events stream) are not remade each render.
  const headersKey = JSON.stringify(options.headers ?? {});
  const current = useRef(options);
  current.current = options;
  const calls = useMemo(() => {
    const headers = JSON.parse(headersKey) as Record<string, string>;
    const viaLatest: typeof fetch = (input, init) => (current.current.fetch ?? globalThis.fetch)(input, init);
    return gatewayCalls({ baseURL, apiKey, headers, fetch: viaLatest });
  }, [baseURL, apiKey, headersKey]);
  const [messages, setMessages] = useState<readonly ChatMessage[]>([]);
  const [directives, setDirectives] = useState<readonly DirectiveEntry[]>([]);
  const [session, setSession] = useState<ChatSession>(() => ({
    id: options.sessionId ?? null,
    state: 'none',
    ended: false,
    endedNotice: null,
  }));
  const [busy, setBusy] = useState<CompanionChat['busy']>(null);
  const [error, setError] = useState<GatewayError | null>(null);
  const counter = useRef(0);
  const abortRef = useRef<AbortController | null>(null);
  // The latest options and state for the callbacks, without remaking them on every render.
  const latest = useRef({ options, session, busy });
  latest.current = { options, session, busy };

  useEffect(() => () => abortRef.current?.abort(), []);

  const nextKey = useCallback(() => {
    counter.current += 1;
    return `cg${counter.current}`;
  }, []);

  /** Applies a compliance object; returns the inline directives it added to the conversation. */
  const apply = useCallback(
    (compliance: Compliance): DirectiveEntry[] => {
      const notes: DirectiveEntry[] = [];
      const current = compliance.session as { readonly id: string; readonly state: string } | undefined;
      if (current) {
        setSession((s) => ({ ...s, id: current.id, state: current.state, ended: current.state === 'ended' }));
        latest.current.options.onSessionId?.(current.id);
        // The person has left: a takeover banner would now say something untrue.
        if (current.state !== 'human-takeover') {
          setDirectives((list) => list.filter((e) => e.directive.type !== 'human-takeover'));
        }
      }
      const overlay: DirectiveEntry[] = [];
      for (const directive of compliance.directives) {
        const entry = { key: nextKey(), directive };
        const placement = placementOf(directive);
        if (placement === 'end') {
          setSession((s) => ({ ...s, state: 'ended', ended: true, endedNotice: directive }));
        } else if (placement === 'note') {
          notes.push(entry);
        } else {
          overlay.push(entry);
        }
      }
      if (overlay.length > 0) {
        setDirectives((list) => {
          // One banner of a type at a time: a newer one replaces the older.
          const replaced = new Set(
            overlay.filter((e) => placementOf(e.directive) === 'banner').map((e) => e.directive.type),
          );
          const kept = list.filter(
            (e) => placementOf(e.directive) !== 'banner' || !replaced.has(e.directive.type),
          );
          return [...kept, ...overlay];
        });
      }
      if (notes.length > 0) {
        setMessages((list) => [...list, ...notes.map((n) => ({ kind: 'directive' as const, ...n }))]);
      }
      return notes;
    },
    [nextKey],
  );

  const fail = useCallback(
    (cause: unknown) => {
      const e = asChatError(cause);
      setError(e);
      setMessages((list) => [...list, { kind: 'error', key: nextKey(), error: e }]);
    },
    [nextKey],
  );

  const update = useCallback((key: string, change: (m: AssistantMessage) => AssistantMessage) => {
    setMessages((list) => list.map((m) => (m.kind === 'assistant' && m.key === key ? change(m) : m)));
  }, []);

  const send = useCallback(
    async (text: string) => {
      const content = text.trim();
      const { options: o, session: s, busy: b } = latest.current;
      if (content === '' || b !== null || s.ended) return;
      const controller = new AbortController();
      abortRef.current = controller;
      latest.current.busy = 'sending';
      setBusy('sending');
      setMessages((list) => [...list, { kind: 'user', key: nextKey(), text: content }]);
      const replyKey = nextKey();
      let started = false;
      let label: AiLabel | null = null;
      let author: AssistantMessage['author'] = null;
      let reply = '';
      const notes: DirectiveEntry[] = [];
      try {
        const { finishReason } = await calls.turn(
          {
            user: o.user,
            model: o.model,
            characterId: o.characterId ?? null,
            locale: o.locale,
            content,
          },
          (event) => {
            if (event.kind === 'compliance') {
              notes.push(...apply(event.compliance));
              const c = event.compliance;
              if (c.label) label = c.label;
              if (c.author) author = c.author;
              if (started) update(replyKey, (m) => ({ ...m, label, author }));
              return;
            }
            reply += event.text;
            if (started) {
              const delta = event.text;
              update(replyKey, (m) => ({ ...m, text: m.text + delta }));
              return;
            }
            started = true;
            const first: AssistantMessage = {
              kind: 'assistant',
              key: replyKey,
              text: event.text,
              label,
              author,
              streaming: true,
              stopped: false,
              finishReason: null,
            };
            setMessages((list) => [...list, first]);
          },
          controller.signal,
        );
        update(replyKey, (m) => ({ ...m, streaming: false, finishReason }));
        setError(null);
        // A fixed reply (e.g. the exit confirmation) may repeat a note word for word: show it once.
        const repeated = new Set(
          notes.filter((n) => n.directive.text.trim() === reply.trim()).map((n) => n.key),
        );
        if (repeated.size > 0) setMessages((list) => list.filter((m) => !repeated.has(m.key)));
      } catch (cause) {
        const aborted = controller.signal.aborted;
        update(replyKey, (m) => ({ ...m, streaming: false, stopped: aborted }));
        if (!aborted) fail(cause);
      } finally {
        if (abortRef.current === controller) abortRef.current = null;
        latest.current.busy = null;
        setBusy(null);
      }
    },
    [calls, apply, update, fail, nextKey],
  );

  const abort = useCallback(() => abortRef.current?.abort(), []);

  const exit = useCallback(async () => {
    const { options: o, session: s } = latest.current;
    if (s.id === null || s.ended || latest.current.busy === 'exit' || latest.current.busy === 'new') return;
    // EXIT-1: stop whatever is streaming at once, then tell the gateway.
    abortRef.current?.abort();
    latest.current.busy = 'exit';
    setBusy('exit');
    try {
      const compliance = await calls.exitSession({ user: o.user, sessionId: s.id, locale: o.locale });
      apply(compliance);
      if (!compliance.session) setSession((v) => ({ ...v, state: 'ended', ended: true }));
      setError(null);
    } catch (cause) {
      fail(cause);
    } finally {
      latest.current.busy = null;
      setBusy(null);
    }
  }, [calls, apply, fail]);

  const newChat = useCallback(
    async (characterId?: string | null) => {
      const { options: o } = latest.current;
      if (latest.current.busy === 'exit' || latest.current.busy === 'new') return;
      abortRef.current?.abort();
      latest.current.busy = 'new';
      setBusy('new');
      try {
        const compliance = await calls.newSession({
          user: o.user,
          characterId: characterId === undefined ? (o.characterId ?? null) : characterId,
          locale: o.locale,
        });
        setMessages([]);
        setDirectives([]);
        setSession({ id: null, state: 'none', ended: false, endedNotice: null });
        apply(compliance);
        setError(null);
      } catch (cause) {
        fail(cause);
      } finally {
        latest.current.busy = null;
        setBusy(null);
      }
    },
    [calls, apply, fail],
  );

  // RISK-4: an operator's messages and the takeover reach the page between turns.
  const listen = options.liveEvents ?? true;
  // Only a session the gateway named to this page, and still open: an id kept from before a reload may be an
  // ended session, which must not end the page the user is about to chat in.
  const liveId = session.ended || session.state === 'none' ? null : session.id;
  useEffect(() => {
    if (!listen || liveId === null) return;
    const stop = new AbortController();
    const user = latest.current.options.user;
    void (async () => {
      try {
        for await (const event of calls.client.sessionEvents(liveId, user, { signal: stop.signal })) {
          apply(event.compliance);
          if ((event.type === 'operator-message' || event.type === 'fallback') && event.message) {
            const message: AssistantMessage = {
              kind: 'assistant',
              key: nextKey(),
              text: event.message.content,
              label: null,
              author: event.compliance.author ?? (event.type === 'operator-message' ? 'human' : 'system'),
              streaming: false,
              stopped: false,
              finishReason: 'stop',
            };
            setMessages((list) => [...list, message]);
          }
        }
      } catch {
        // The stream refused for good (e.g. the session is gone): the chat itself still works.
      }
    })();
    return () => stop.abort();
  }, [listen, liveId, calls, apply, nextKey]);

  const dismiss = useCallback((key: string) => {
    setDirectives((list) => list.filter((e) => e.key !== key));
  }, []);

  const appeal = useCallback(
    async (directive: DirectiveLike) => {
      const action = appealOf(directive);
      if (!action) throw new GatewayError(0, 'invalid-request', 'This directive offers no appeal.');
      await calls.appeal(action);
    },
    [calls],
  );

  return { messages, directives, session, busy, error, send, abort, exit, newChat, dismiss, appeal };
}
