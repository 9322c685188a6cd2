import {
  CgError,
  type Clock,
  isCgError,
  type Locale,
  type Notifier,
  type Store,
} from '@companion-guard/core';
import { z } from 'zod';
import { type AuditTrailJobs, startInProcessRuntime } from '../cli/serve.js';
import type { Logger } from '../logger.js';
import type { ChatService, Turn } from '../server/chat/chat-service.js';
import { withLate } from '../server/chat/compliance.js';
import type { IncidentSweeper } from '../server/incidents/incident-sweeper.js';
import { type ComplianceWire, complianceWire, endUser } from '../server/openai/wire.js';
import type { ChatUpstream, UpstreamMessage } from '../upstream/upstream.js';

/** A chat message as the in-process API takes and hands to the model. */
export type GuardMessage = UpstreamMessage;

/**
 * The app's model call for one turn: gets the messages to send (the character's persona first, then the
 * app's system messages and history, then the user's message) and returns the reply whole or as text
 * pieces. Abort when `signal` aborts (an exit, or output withheld). A throw becomes `upstream-error`.
 */
export type ModelFunction = (
  messages: readonly GuardMessage[],
  options: { readonly signal: AbortSignal },
) => string | Promise<string> | AsyncIterable<string>;

export interface CompanionGuardOptions {
  /** `sqlite:<file>` or `postgres://…`; default SQLite under `dataDir`. */
  readonly store?: string | undefined;
  /**
   * Where the master key (created on first use unless `COMPANION_GUARD_MASTER_KEY` is set), the audit
   * signing key and the checkpoint file live; default `./data`.
   */
  readonly dataDir?: string | undefined;
  /** The policy profile: `cn-2026` (default), `cn-2025-draft`, `us-ca-sb243`, `us-ny-art47`, `eu-ai-act`. */
  readonly profile?: string | undefined;
  /**
   * The gateway's configuration (docs: README "Configure"): a config file path, or its content as an
   * object — `policy` overrides, `characters`, `defaultCharacter`, `lexicons`, `secondOpinions`, `notify`,
   * `redis`, `audit`, `guardians.publicUrl` (consent links for minors point there; without it none are sent).
   */
  readonly config?: string | Readonly<Record<string, unknown>> | undefined;
  /** Environment read for keys and `COMPANION_GUARD_*` settings; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Injected for tests: a fake clock. */
  readonly clock?: Clock | undefined;
  readonly logger?: Logger | undefined;
  /** Incident notifications; default the ones configured under `notify`. */
  readonly notifier?: Notifier | undefined;
}

/** Who is talking to whom: the end user (required), the character, the user's locale. */
export interface GuardParty {
  /** The app's id of the end user (like the gateway's `user` field). */
  readonly user: string;
  /** The character id; default the deployment's default character. */
  readonly character?: string | undefined;
  readonly locale?: Locale | undefined;
}

export interface GuardTurnInput extends GuardParty {
  /** The user's new message. */
  readonly text: string;
  /**
   * Messages before the new one as the app keeps them: its system messages and, if it keeps the
   * conversation, the history. Without user or assistant messages the session's stored history is sent.
   */
  readonly history?: readonly GuardMessage[] | undefined;
  readonly model: ModelFunction;
  /** Aborts the turn (the user went away): a reply being produced is cut off and stored as interrupted. */
  readonly signal?: AbortSignal | undefined;
}

/** A non-streamed turn's answer. */
export interface GuardTurnResult {
  /** What to show: the model's checked reply, or the safety reply when the model was not asked. */
  readonly text: string;
  /** `content_filter`: the output was withheld and `text` ends with the replacement. */
  readonly finishReason: 'stop' | 'content_filter' | 'length';
  /** The gateway's `compliance` extension: the directives to render, the AI label, the session. */
  readonly compliance: ComplianceWire;
}

/** A streamed turn: the directives to show first, then the text as it is released. */
export interface GuardStream {
  /** Directives to show before the reply (like the gateway's first SSE chunk). */
  readonly compliance: ComplianceWire;
  /** The released text; iterate it once. */
  readonly textStream: AsyncIterable<string>;
  /** Once the text ended: why, and the directives that came with the end (`output-withheld`), or null. */
  readonly done: Promise<{
    finishReason: 'stop' | 'content_filter' | 'length';
    compliance: ComplianceWire | null;
  }>;
}

/** companion-guard in the app's own process: the gateway's chat runtime without the HTTP hop. */
export interface CompanionGuard {
  /** One user turn, answered whole. The user's message is stored before `model` is called. */
  turn(input: GuardTurnInput): Promise<GuardTurnResult>;
  /** One user turn, streamed. */
  streamTurn(input: GuardTurnInput): Promise<GuardStream>;
  /** The exit button (EXIT-1): ends the session at once and stops its replies. */
  exit(input: { user: string; session: string; locale?: Locale | undefined }): Promise<ComplianceWire>;
  /** The app's "new chat": always a fresh session, with the AI notice. */
  newChat(input: GuardParty): Promise<ComplianceWire>;
  /** The store (users, sessions, encrypted messages, the audit chain). */
  readonly store: Store;
  /** The incident timers (tests run them on a fake clock). */
  readonly sweeper: IncidentSweeper;
  /** LOG-1: the audit checkpoints and the retention purge. */
  readonly auditTrail: AuditTrailJobs;
  /** Stops the timers and closes the store. */
  close(): Promise<void>;
}

const party = z
  .object({
    user: endUser,
    character: z.string().min(1).optional(),
    locale: z.enum(['zh', 'en']).optional(),
  })
  .strict();

const messages = z.array(
  z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() }).strict(),
);

/**
 * Reads the end user, character and locale: `missing-user` without a user, `invalid-request` naming the
 * field otherwise. `where` names the place the caller put them (for the message).
 */
export function readParty(value: unknown, where: string): GuardParty {
  if (typeof value !== 'object' || value === null || !('user' in value) || value.user === undefined) {
    throw new CgError('missing-user', `Name the end user in \`${where}.user\`.`);
  }
  const parsed = party.safeParse(value);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${where}.${i.path.join('.')}: ${i.message}`);
    throw new CgError('invalid-request', fields.join('; '));
  }
  return parsed.data;
}

/** A model error as the chat flow reports it: `upstream-error` unless it is one of ours or an abort. */
export function asUpstreamError(cause: unknown, signal: AbortSignal): unknown {
  if (isCgError(cause) || signal.aborted) return cause;
  return new CgError('upstream-error', 'The model failed.', { cause });
}

/** The app's model function as the chat flow's upstream. */
function functionUpstream(model: ModelFunction): ChatUpstream {
  return {
    name: 'in-process',
    async *stream(request) {
      try {
        const reply = await model(request.messages, { signal: request.signal });
        if (typeof reply === 'string') {
          if (reply) yield reply;
          return;
        }
        for await (const piece of reply) if (piece) yield piece;
      } catch (cause) {
        throw asUpstreamError(cause, request.signal);
      }
    },
  };
}

const never = new AbortController().signal;

/** The chat service of each guard (the AI SDK middleware runs its turns through it). */
const chats = new WeakMap<CompanionGuard, ChatService>();

/** The chat service behind `guard`. */
export function chatOf(guard: CompanionGuard): ChatService {
  const chat = chats.get(guard);
  if (!chat) throw new CgError('invalid-request', 'Not a guard made by createCompanionGuard.');
  return chat;
}

/**
 * Opens companion-guard in this process: the same runtime the gateway composes (`composeRuntime`: store,
 * detectors, session machine, incidents, audit), so a turn here is decided exactly as through the gateway.
 */
export async function createCompanionGuard(options: CompanionGuardOptions = {}): Promise<CompanionGuard> {
  const runtime = await startInProcessRuntime(
    {
      dataDir: options.dataDir,
      databaseUrl: options.store,
      profile: options.profile,
      ...(typeof options.config === 'string'
        ? { configFile: options.config }
        : { inline: options.config ?? {} }),
    },
    options.env ?? process.env,
    { clock: options.clock, notifier: options.notifier, logger: options.logger },
  );
  const { chat } = runtime;

  async function start(input: GuardTurnInput, stream: boolean): Promise<Turn> {
    const who = readParty({ user: input.user, character: input.character, locale: input.locale }, 'input');
    if (typeof input.text !== 'string' || !input.text.trim()) {
      throw new CgError('invalid-request', 'The user message (`text`) must not be empty.');
    }
    const history = messages.safeParse(input.history ?? []);
    if (!history.success) {
      throw new CgError(
        'invalid-request',
        '`history` must be `{ role: system|user|assistant, content: string }[]`.',
      );
    }
    if (typeof input.model !== 'function') {
      throw new CgError('invalid-request', '`model` must be a function that calls the model.');
    }
    return chat.startTurn({
      externalUserId: who.user,
      characterId: who.character,
      locale: who.locale,
      model: 'in-process',
      text: input.text.trim(),
      clientHistory: history.data,
      params: {},
      stream,
      upstream: functionUpstream(input.model),
    });
  }

  const guard: CompanionGuard = {
    store: runtime.store,
    sweeper: runtime.sweeper,
    auditTrail: runtime.auditTrail,
    async turn(input) {
      const turn = await start(input, false);
      const produce = turn.produce(input.signal ?? never);
      let text = '';
      let step = await produce.next();
      while (!step.done) {
        text += step.value;
        step = await produce.next();
      }
      return {
        text,
        finishReason: step.value.finishReason,
        compliance: complianceWire(withLate(turn.compliance, step.value.compliance)),
      };
    },
    async streamTurn(input) {
      const turn = await start(input, true);
      let settle!: (outcome: Awaited<GuardStream['done']>) => void;
      let fail!: (error: unknown) => void;
      const done = new Promise<Awaited<GuardStream['done']>>((resolve, reject) => {
        settle = resolve;
        fail = reject;
      });
      done.catch(() => undefined); // the error also reaches whoever iterates the text
      async function* textStream() {
        try {
          const produce = turn.produce(input.signal ?? never);
          let step = await produce.next();
          while (!step.done) {
            yield step.value;
            step = await produce.next();
          }
          const late = step.value.compliance;
          settle({ finishReason: step.value.finishReason, compliance: late && complianceWire(late) });
        } catch (e) {
          fail(e);
          throw e;
        }
      }
      return { compliance: complianceWire(turn.compliance), textStream: textStream(), done };
    },
    async exit(input) {
      const who = readParty({ user: input.user, locale: input.locale }, 'input');
      if (typeof input.session !== 'string' || !input.session) {
        throw new CgError('invalid-request', 'Name the session to end (`session`).');
      }
      return complianceWire(await chat.exitSession(input.session, who.user, 'button', who.locale));
    },
    async newChat(input) {
      const who = readParty({ user: input.user, character: input.character, locale: input.locale }, 'input');
      return complianceWire(await chat.newSession(who.user, who.character, who.locale));
    },
    close: () => runtime.close(),
  };
  chats.set(guard, chat);
  return guard;
}
