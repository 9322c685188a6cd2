import { useId, useRef, useState } from 'react';
import {
  acknowledgeLabel,
  appealOf,
  type DirectiveLike,
  hotlinesOf,
  mustAcknowledge,
  offersEndChat,
  placementOf,
  roleOf,
  titleOf,
} from './directive-logic.js';
import { useFocusTrap } from './focus-trap.js';
import { type KitLocale, kitText } from './texts.js';

/** A directive with a key that stays the same while it is shown (the hook gives each one). */
export interface DirectiveEntry {
  readonly key: string;
  readonly directive: DirectiveLike;
}

interface Common {
  readonly directive: DirectiveLike;
  /** The language of the kit's own words; the directive's text is already localized. */
  readonly locale: KitLocale;
}

/** The help lines of a directive as tap-to-call links (`tel:`). */
function Hotlines({ directive, locale }: Common) {
  const hotlines = hotlinesOf(directive);
  if (hotlines.length === 0) return null;
  const call = kitText(locale, 'call');
  return (
    <ul className="cg-hotlines">
      {hotlines.map((h) => (
        <li key={`${h.name}-${h.number}`}>
          <a className="cg-hotline" href={h.href} aria-label={`${call} ${h.name} ${h.number}`}>
            <span className="cg-hotline-name">{h.name}</span>
            <span className="cg-hotline-number">
              <span className="cg-hotline-call" aria-hidden="true">
                {call}
              </span>
              {h.number}
            </span>
          </a>
        </li>
      ))}
    </ul>
  );
}

type AppealState = 'idle' | 'sending' | 'sent' | 'failed';

/** The appeal button of a `minor-mode` directive that offers one (MINOR-5), when the app can send it. */
function Appeal({
  directive,
  locale,
  onAppeal,
}: Common & { readonly onAppeal: ((directive: DirectiveLike) => Promise<void>) | undefined }) {
  const [state, setState] = useState<AppealState>('idle');
  if (!onAppeal || !appealOf(directive)) return null;
  if (state === 'sent') {
    return (
      <p className="cg-appeal-state" role="status" data-testid="appeal-sent">
        {kitText(locale, 'appealSent')}
      </p>
    );
  }
  const send = () => {
    setState('sending');
    onAppeal(directive).then(
      () => setState('sent'),
      () => setState('failed'),
    );
  };
  return (
    <>
      {state === 'failed' && (
        <p className="cg-appeal-state" role="alert">
          {kitText(locale, 'appealFailed')}
        </p>
      )}
      <button
        type="button"
        className="cg-button cg-button--secondary"
        data-testid="appeal-button"
        disabled={state === 'sending'}
        onClick={send}
      >
        {kitText(locale, 'appeal')}
      </button>
    </>
  );
}

export interface DirectiveModalProps extends Common {
  /** The user acknowledged (or, except for the AI notice, closed) it. */
  readonly onDismiss: () => void;
  /** Offered as "End the chat" in reminders that suggest a break. */
  readonly onEndChat?: (() => void) | undefined;
  /** Sends the appeal a `minor-mode` directive offers (MINOR-5); without it no appeal button is shown. */
  readonly onAppeal?: ((directive: DirectiveLike) => Promise<void>) | undefined;
}

/**
 * A modal over the page with focus trapped inside. The AI notice (DISC-1) is an `alertdialog` the user
 * must acknowledge (Escape does not close it); other pop-ups are a `dialog` Escape closes.
 */
export function DirectiveModal({ directive, locale, onDismiss, onEndChat, onAppeal }: DirectiveModalProps) {
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const required = mustAcknowledge(directive);
  useFocusTrap(box, button, required ? undefined : onDismiss);
  const id = useId();
  const isAiNotice = directive.type === 'ai-disclosure';
  return (
    <div className="cg-overlay">
      {/* biome-ignore lint/a11y/useAriaPropsSupportedByRole: the role is dialog or alertdialog, both modal */}
      <div
        ref={box}
        tabIndex={-1}
        className={`cg-modal cg-modal--${directive.type}`}
        role={required ? 'alertdialog' : 'dialog'}
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-text`}
        data-testid={isAiNotice ? 'ai-notice-modal' : `directive-${directive.type}`}
        data-directive={directive.type}
        data-requirement={directive.requirement}
      >
        {isAiNotice && (
          <div className="cg-modal-icon" aria-hidden="true">
            AI
          </div>
        )}
        <h2 id={`${id}-title`} className="cg-modal-title">
          {titleOf(directive, locale)}
        </h2>
        <p
          id={`${id}-text`}
          className="cg-modal-text"
          data-testid={isAiNotice ? 'directive-ai-disclosure' : undefined}
        >
          {directive.text}
        </p>
        <Hotlines directive={directive} locale={locale} />
        <div className="cg-modal-actions">
          <button
            ref={button}
            type="button"
            className="cg-button cg-button--primary"
            data-testid={isAiNotice ? 'ai-notice-ack' : 'popup-ack'}
            onClick={onDismiss}
          >
            {acknowledgeLabel(directive, locale)}
          </button>
          {onEndChat && offersEndChat(directive) && (
            <button
              type="button"
              className="cg-button cg-button--secondary"
              data-testid="popup-end-chat"
              onClick={() => {
                onDismiss();
                onEndChat();
              }}
            >
              {kitText(locale, 'endChat')}
            </button>
          )}
          <Appeal directive={directive} locale={locale} onAppeal={onAppeal} />
        </div>
      </div>
    </div>
  );
}

export interface DirectiveBannerProps extends Common {
  readonly onDismiss: () => void;
}

/**
 * A banner above the conversation. `crisis-resources` is a card with tap-to-call help lines (`alert`);
 * `human-takeover` says a person is with the user (the gateway sends it only when one is).
 */
export function DirectiveBanner({ directive, locale, onDismiss }: DirectiveBannerProps) {
  const id = useId();
  const close = kitText(locale, 'close');
  return (
    <section
      className={`cg-banner cg-banner--${directive.type}`}
      role={roleOf(directive)}
      aria-labelledby={`${id}-title`}
      data-testid={`directive-${directive.type}`}
      data-requirement={directive.requirement}
    >
      <h2 id={`${id}-title`} className="cg-banner-title">
        {titleOf(directive, locale)}
      </h2>
      <p className="cg-banner-text">{directive.text}</p>
      <Hotlines directive={directive} locale={locale} />
      <button
        type="button"
        className="cg-banner-close"
        aria-label={close}
        title={close}
        data-testid="directive-close"
        onClick={onDismiss}
      >
        <span aria-hidden="true">×</span>
      </button>
    </section>
  );
}

/**
 * A note in the conversation: exit confirmed, output withheld, input blocked, the minor-mode gates
 * (consent, quiet hours, time limit), refused roles, complaint replies, service notices, switched-off
 * functions, and any inline directive.
 */
export function DirectiveNote({ directive, locale }: Common) {
  return (
    <div
      className={`cg-note cg-note--${directive.type}`}
      role={roleOf(directive)}
      data-testid={`directive-${directive.type}`}
      data-requirement={directive.requirement}
    >
      <strong className="cg-note-title">{titleOf(directive, locale)}</strong>
      <span className="cg-note-text">{directive.text}</span>
      <Hotlines directive={directive} locale={locale} />
    </div>
  );
}

export interface SessionEndedCardProps {
  /** The `session-ended` directive (EXIT-3), or `null` when the page knows only that the session ended. */
  readonly directive: DirectiveLike | null;
  readonly locale: KitLocale;
  /** Shows the "Start a new chat" button. */
  readonly onNewChat?: (() => void) | undefined;
  readonly busy?: boolean | undefined;
}

/** The card that closes an ended conversation, with its reason and a way to start a new one. */
export function SessionEndedCard({ directive, locale, onNewChat, busy }: SessionEndedCardProps) {
  const id = useId();
  return (
    <section
      className="cg-ended"
      role="status"
      aria-labelledby={`${id}-title`}
      data-testid="session-ended"
      data-requirement={directive?.requirement}
    >
      <h2 id={`${id}-title`} className="cg-ended-title">
        {kitText(locale, 'title.session-ended')}
      </h2>
      {directive ? (
        <p className="cg-ended-text" data-testid="directive-session-ended">
          {directive.text}
        </p>
      ) : (
        <p className="cg-ended-text">{kitText(locale, 'endedHint')}</p>
      )}
      {onNewChat && (
        <button
          type="button"
          className="cg-button cg-button--primary"
          data-testid="new-chat-button"
          disabled={busy}
          onClick={onNewChat}
        >
          {kitText(locale, 'newChat')}
        </button>
      )}
    </section>
  );
}

export interface ComplianceDirectivesProps {
  readonly directives: readonly DirectiveEntry[];
  /** The language of the kit's own words (buttons, titles, labels). */
  readonly locale: KitLocale;
  /** A directive was acknowledged or closed; drop it from `directives`. */
  readonly onDismiss: (key: string) => void;
  /** Offered in reminders that suggest a break (TIME-1, MINOR-1). */
  readonly onEndChat?: (() => void) | undefined;
  /** Sends a `minor-mode` appeal (MINOR-5); the hook's `appeal` does. */
  readonly onAppeal?: ((directive: DirectiveLike) => Promise<void>) | undefined;
  /** Shows "Start a new chat" on the ended card. */
  readonly onNewChat?: (() => void) | undefined;
}

/**
 * Renders every directive it is given, each where it belongs: the first pop-up as a modal (the next ones
 * wait their turn), banners (the crisis card, takeover, warnings, notices), notes, and the ended card.
 */
export function ComplianceDirectives({
  directives,
  locale,
  onDismiss,
  onEndChat,
  onAppeal,
  onNewChat,
}: ComplianceDirectivesProps) {
  const modal = directives.find((e) => placementOf(e.directive) === 'modal');
  const banners = directives.filter((e) => placementOf(e.directive) === 'banner');
  const notes = directives.filter((e) => placementOf(e.directive) === 'note');
  const ended = directives.findLast((e) => placementOf(e.directive) === 'end');
  return (
    <>
      {banners.length > 0 && (
        <div className="cg-banners">
          {banners.map((e) => (
            <DirectiveBanner
              key={e.key}
              directive={e.directive}
              locale={locale}
              onDismiss={() => onDismiss(e.key)}
            />
          ))}
        </div>
      )}
      {notes.map((e) => (
        <DirectiveNote key={e.key} directive={e.directive} locale={locale} />
      ))}
      {ended && <SessionEndedCard directive={ended.directive} locale={locale} onNewChat={onNewChat} />}
      {modal && (
        <DirectiveModal
          key={modal.key}
          directive={modal.directive}
          locale={locale}
          onDismiss={() => onDismiss(modal.key)}
          onEndChat={onEndChat}
          onAppeal={onAppeal}
        />
      )}
    </>
  );
}
