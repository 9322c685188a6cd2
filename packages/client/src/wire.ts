/**
 * The companion-guard wire contract, as an app sees it: the `compliance` extension on every `/v1` response
 * (non-streamed bodies and stream chunks), the directives it carries, error bodies with stable codes, the
 * session states and the session events stream. Type-only; snake_case as on the wire.
 *
 * The gateway defines the contract (`packages/gateway/src/server/openai/wire.ts`, core `types.ts`); a type
 * test (`packages/client/test/wire-contract.test.ts`) keeps these copies equal to it, so the package needs no
 * runtime dependency.
 */

/** The state of a chat session: `ended` takes no more messages; `human-takeover` means a person answers (RISK-4). */
export type SessionState = 'active' | 'ended' | 'human-takeover';

/** How the UI shows a directive: a popup to acknowledge, a banner that stays, or inline in the chat. */
export type DirectiveDisplay = 'popup' | 'banner' | 'inline';

/** A help line of `crisis-resources`, named in the user's locale. */
export interface Hotline {
  readonly name: string;
  readonly number: string;
}

/** Age bands of minors. */
export type MinorBand = 'under-14' | '14-15' | '16-17';

/**
 * The `data` of each directive type. `undefined`: the directive has no `data` (the text says it all).
 * Keys are as the gateway writes them.
 */
export interface DirectiveDataMap {
  /** DISC-1/2/6: the AI notice. `reminder: 'reality'` is minor mode's reality reminder (MINOR-1). */
  readonly 'ai-disclosure': { readonly reminder: 'reality' } | undefined;
  /** TIME-1: minutes of continuous use so far. */
  readonly 'usage-reminder': { readonly minutes: number };
  /** TIME-1 (profiles that say "take a break"): minutes of continuous use so far. */
  readonly 'take-a-break': { readonly minutes: number };
  /** EXIT-3: the session is over; send no more messages to it (start a new chat). */
  readonly 'session-ended': undefined;
  /** EXIT-1/2: the exit the user asked for is done. */
  readonly 'exit-confirmed': undefined;
  /** DISC-3: signs of over-reliance. */
  readonly 'dependence-notice': undefined;
  /** RISK-1..3: help lines to show. */
  readonly 'crisis-resources': { readonly hotlines: readonly Hotline[] };
  /** CONTENT-*: the model's reply was withheld (arrives in the last stream chunk). */
  readonly 'output-withheld': undefined;
  /** CONTENT-1: the user's message was refused without a model call. */
  readonly 'input-blocked': undefined;
  /** ELDER-4: a scam warning. */
  readonly 'risk-warning': undefined;
  /** RISK-4: a person has taken over the conversation. */
  readonly 'human-takeover': undefined;
  /** MINOR-2: a guardian's consent is needed for this character. */
  readonly 'consent-required': { readonly band: MinorBand; readonly scope: 'companion' | 'tool' };
  /** MINOR-3, ELDER-3: this user may not use this character. */
  readonly 'character-not-allowed': {
    readonly refusal: 'minor-relation' | 'guardian-blocked' | 'elderly-kin';
    readonly characterId: string;
  };
  /**
   * Minor mode: on, declared by the user or set by the guardian (MINOR-1); on, on suspicion, with how to
   * appeal (MINOR-5: send `appeal.body` to `appeal.path`); or an appeal's outcome (MINOR-5).
   */
  readonly 'minor-mode':
    | { readonly reason: 'declared' | 'guardian' }
    | {
        readonly reason: 'suspected';
        readonly score: number;
        readonly threshold: number;
        readonly appeal: {
          readonly method: 'POST';
          readonly path: string;
          readonly body: { readonly kind: 'minor-mode' };
        };
      }
    | { readonly appeal: 'upheld' | 'rejected'; readonly appealId: string };
  /** MINOR-1: today's time limit is used up. */
  readonly 'time-limit': { readonly limit: number; readonly usedMinutes: number };
  /** MINOR-1: quiet hours (`HH:MM` in the user's time zone; `from` after `to` crosses midnight). */
  readonly 'quiet-hours': { readonly from: string; readonly to: string };
  /** MINOR-1: minutes of continuous use so far. */
  readonly 'rest-reminder': { readonly minutes: number };
  /** MINOR-3, ELDER-3: a role-play (a partner or kin for a minor, a relative for an elderly user) refused. */
  readonly 'roleplay-refused': undefined;
  /** ELDER-1: the profile lacks an emergency contact (ask the user to add one). */
  readonly 'emergency-contact-needed': undefined;
  /** COMPLAINT-1: a staff reply to the user's complaint, report or appeal (snake_case, as the gateway writes it). */
  readonly 'complaint-reply': {
    readonly complaint_id: string;
    readonly kind: ComplaintKind;
    /** Where the complaint stands now. */
    readonly status: ComplaintStatus;
    /** The staff's reply (also in `text`); null if it can no longer be read. */
    readonly reply: string | null;
    readonly reply_id: string;
    /** ISO 8601. */
    readonly replied_at: string;
  };
  /**
   * NOTICE-1: a scheduled withdrawal of a character or a function, the end of the service, or an outage
   * (the model failing, since `effectiveAt`).
   */
  readonly 'service-notice': {
    readonly noticeId: string;
    readonly scope: 'character' | 'function' | 'service' | 'outage';
    /** The character id or function name; '' for the service and an outage. */
    readonly target: string;
    /** When the withdrawal takes effect (ISO 8601). */
    readonly effectiveAt: string;
  };
  /** ASSESS-3: a character, a function or the whole service is off (switched off, or its withdrawal took effect). */
  readonly 'feature-off': {
    readonly scope: 'character' | 'function' | 'service';
    /** The character id or function name; '' for the service. */
    readonly target: string;
    /** A staff switch, or a withdrawal notice that took effect. */
    readonly by: 'switch' | 'notice';
    /** The switch's change id or the notice's id. */
    readonly id: string;
    /** ISO 8601. */
    readonly since: string;
  };
}

/** Every directive type the gateway emits. */
export type DirectiveType = keyof DirectiveDataMap;

/** A directive of type `T`: show `text` as `display` says; it fulfils `requirement` (e.g. `DISC-1`). */
export type DirectiveOf<T extends DirectiveType> = {
  readonly type: T;
  /** The requirement it fulfils, e.g. `TIME-1`. */
  readonly requirement: string;
  readonly display: DirectiveDisplay;
  /** In the user's locale (Simplified Chinese or English). */
  readonly text: string;
} & (undefined extends DirectiveDataMap[T]
  ? { readonly data?: Exclude<DirectiveDataMap[T], undefined> }
  : { readonly data: DirectiveDataMap[T] });

/** A UI directive; narrow on `type` to get its `data`. */
export type Directive = { [T in DirectiveType]: DirectiveOf<T> }[DirectiveType];

/** The explicit AI label of the assistant message and its content ID (DISC-4). */
export interface AiLabel {
  readonly text: string;
  readonly content_id: string;
  /** The machine-readable mark of AI-generated text (EU AI Act Art. 50(2)) where the user's profile asks for it. */
  readonly ai_generated?: true;
  /** Who generated it (the service), with `ai_generated`. */
  readonly producer?: string;
}

/** Who wrote a reply that is not the model's: `human` (an operator; no AI label) or `system`. */
export type Author = 'user' | 'ai' | 'human' | 'system';

/**
 * The `compliance` extension on every `/v1` response: in non-streamed bodies, in the first stream chunk
 * (before any content) and in the last one when directives come late (`output-withheld`).
 */
export interface Compliance {
  readonly directives: readonly Directive[];
  readonly label: AiLabel | null;
  readonly session: { readonly id: string; readonly state: SessionState };
  readonly author?: Author;
}

/** Anything that carries the extension: a completion body, a stream chunk, a session action's answer. */
export interface WithCompliance {
  readonly compliance: Compliance;
}

/** The stable error codes of the gateway (`error.code` under `/v1`, `code` elsewhere). */
export type ErrorCode =
  | 'invalid-request'
  | 'missing-user'
  | 'body-too-large'
  | 'unsupported-media-type'
  | 'unknown-character'
  | 'character-disabled'
  | 'not-found'
  | 'unauthorized'
  | 'forbidden'
  | 'forbidden-host'
  | 'session-exists'
  | 'session-conflict'
  | 'upstream-error'
  | 'upstream-timeout'
  | 'store-error'
  | 'internal';

/** An error body under `/v1` (OpenAI-shaped). Codes the client does not know still arrive as strings. */
export interface ApiErrorBody {
  readonly error: {
    readonly message: string;
    readonly type: string;
    readonly code: ErrorCode | (string & {});
    readonly param: null;
  };
}

/** Kinds of user complaint (COMPLAINT-1): a complaint, a report of content, an appeal of a decision. */
export type ComplaintKind = 'complaint' | 'report' | 'appeal';

/** Where a complaint stands: `open` until staff take it up, then `in-progress`, then `resolved` or `rejected`. */
export type ComplaintStatus = 'open' | 'in-progress' | 'resolved' | 'rejected';

/** The body of `POST /v1/complaints`. */
export interface ComplaintRequest {
  /** The app's id for the user (as the chat request's `user`). */
  readonly user: string;
  readonly kind: ComplaintKind;
  /** The user's words (sealed under the user's data key by the gateway). */
  readonly text: string;
  /** What it is about, e.g. a message's content ID (`label.content_id`) or a session id. */
  readonly ref?: string;
}

/** A complaint as the app sees it (`POST /v1/complaints`, `GET /v1/users/{user}/complaints`). */
export interface Complaint {
  readonly id: string;
  readonly kind: ComplaintKind;
  readonly ref: string | null;
  readonly status: ComplaintStatus;
  /** The user's words; null if they can no longer be read (the user's data was deleted). */
  readonly text: string | null;
  /** ISO 8601 times: filed, the deadlines, and when it was acknowledged and closed (or null). */
  readonly filed_at: string;
  readonly acknowledge_by: string;
  readonly resolve_by: string;
  readonly acknowledged_at: string | null;
  readonly closed_at: string | null;
  /** Past a deadline and not closed. */
  readonly overdue: boolean;
  readonly replies: readonly { readonly id: string; readonly text: string | null; readonly at: string }[];
}

/** The published complaint process (`GET /v1/complaints/process`): the text to show and the deadlines. */
export interface ComplaintProcess {
  readonly locale: 'zh' | 'en';
  /** The process in the user's language, to show where the app offers complaints. */
  readonly text: string;
  readonly kinds: readonly ComplaintKind[];
  readonly acknowledge_within_hours: number;
  readonly resolve_within_days: Readonly<Record<ComplaintKind, number>>;
  /** How to file one. */
  readonly file: {
    readonly method: 'POST';
    readonly path: string;
    readonly body: Readonly<Record<string, string>>;
  };
}

/** A character the app may offer (`GET /v1/characters`). */
export interface Character {
  readonly id: string;
  readonly name: { readonly zh: string; readonly en: string };
  readonly description: { readonly zh: string; readonly en: string };
  /** `companion` characters get the companion rules; `tool` ones (assistants) do not. */
  readonly scope: 'companion' | 'tool';
  /** The relation the character plays to the user (minors never get `partner` or `kin`). */
  readonly relation: 'friend' | 'partner' | 'kin' | 'mentor' | 'assistant' | 'other';
  /** True while staff have it (or the whole service) switched off (ASSESS-3). */
  readonly off?: boolean;
}

/** The answer of `GET /v1/characters`. */
export interface CharacterList {
  readonly object: 'list';
  readonly default_character_id: string;
  readonly data: readonly Character[];
}

/** A contact on the user's profile. */
export interface ContactWire {
  readonly name: string;
  readonly email: string | null;
  readonly phone: string | null;
}

/** The body of `PUT /v1/users/{user}` (REG-1): every field optional; absent = unchanged, null = cleared. */
export interface ProfileUpdate {
  /** `YYYY-MM-DD`; give this or `age`, not both. */
  readonly birth_date?: string | null;
  readonly age?: number | null;
  /** e.g. `CN`, `US-CA`. */
  readonly region?: string | null;
  /** IANA time zone, e.g. `Asia/Shanghai`. */
  readonly timezone?: string | null;
  readonly locale?: 'zh' | 'en' | null;
  readonly guardian?: ContactInput | null;
  readonly emergency_contact?: ContactInput | null;
}

/** A contact as sent: a name and an email or a phone (or both). */
export interface ContactInput {
  readonly name: string;
  readonly email?: string;
  readonly phone?: string;
}

/** The user's profile as `GET`/`PUT /v1/users/{user}` return it. */
export interface UserProfile {
  readonly user: string;
  readonly birth_date: string | null;
  /** The age today, or null. */
  readonly age: number | null;
  readonly age_band: 'unknown' | 'under-14' | '14-15' | '16-17' | 'adult' | 'elderly';
  readonly region: string | null;
  readonly timezone: string | null;
  readonly locale: 'zh' | 'en';
  readonly guardian: ContactWire | null;
  readonly emergency_contact: ContactWire | null;
  /** Fields the deployment asks for and the profile lacks. */
  readonly missing: readonly {
    readonly field: string;
    readonly requirement: string;
    readonly level: string;
  }[];
  readonly created_at: string;
  readonly updated_at: string | null;
}

/** A message waiting for the user (an operator's, or the fallback with the help lines). */
export interface SessionEventMessage {
  readonly id: string;
  readonly content: string;
  /** ISO 8601. */
  readonly created_at: string;
}

/**
 * An event of `GET /v1/sessions/{id}/events`: an operator's message, the fallback (with `message` when one
 * waits), a takeover starting or ending, a staff reply to a complaint (`complaint-reply` directives in
 * `compliance`), the session ending (the stream closes after it). Each carries the session's state now in
 * `compliance`.
 */
export type SessionEvent =
  | {
      readonly type: 'operator-message';
      readonly message: SessionEventMessage;
      readonly compliance: Compliance;
    }
  | { readonly type: 'fallback'; readonly message?: SessionEventMessage; readonly compliance: Compliance }
  | {
      readonly type: 'takeover-start' | 'takeover-end' | 'complaint-reply' | 'session-ended';
      readonly compliance: Compliance;
    };

/** Every session event type. */
export type SessionEventType = SessionEvent['type'];
