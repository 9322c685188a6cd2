import { useEffect, useRef } from 'react';
import { type Directive, type Locale, readHotlines } from './api.js';
import { popupTitleKey, translate } from './i18n.js';

interface PopupProps {
  readonly directive: Directive;
  readonly locale: Locale;
  readonly onAcknowledge: () => void;
}

/**
 * A modal the user must acknowledge: the AI notice (DISC-1/2), usage reminders (TIME-1), take-a-break
 * and dependence notices, and any unknown pop-up directive.
 */
export function PopupDirective({ directive, locale, onAcknowledge }: PopupProps) {
  const button = useRef<HTMLButtonElement>(null);
  const isAiNotice = directive.type === 'ai-disclosure';
  const titleId = `popup-title-${directive.type}`;

  useEffect(() => {
    button.current?.focus();
  }, []);

  const title = isAiNotice
    ? translate(locale, 'aiNoticeTitle')
    : translate(locale, popupTitleKey(directive.type));
  return (
    <div className="overlay">
      <div
        className={`modal ${isAiNotice ? 'modal-ai' : ''}`}
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={isAiNotice ? 'ai-notice-modal' : `directive-${directive.type}`}
        data-directive={directive.type}
        data-requirement={directive.requirement}
      >
        {isAiNotice && (
          <div className="modal-icon" aria-hidden="true">
            AI
          </div>
        )}
        <h2 id={titleId}>{title}</h2>
        <p className="modal-text" data-testid={isAiNotice ? 'directive-ai-disclosure' : undefined}>
          {directive.text}
        </p>
        <button
          ref={button}
          type="button"
          className="button primary"
          data-testid={isAiNotice ? 'ai-notice-ack' : 'popup-ack'}
          onClick={onAcknowledge}
        >
          {isAiNotice ? translate(locale, 'aiNoticeAck') : translate(locale, 'ok')}
        </button>
      </div>
    </div>
  );
}

interface BannerProps {
  readonly directive: Directive;
  readonly locale: Locale;
  readonly onDismiss: () => void;
}

/** A banner above the conversation; `crisis-resources` becomes a prominent card with call links. */
export function BannerDirective({ directive, locale, onDismiss }: BannerProps) {
  const isCrisis = directive.type === 'crisis-resources';
  const hotlines = isCrisis ? readHotlines(directive) : [];
  return (
    <section
      className={isCrisis ? 'banner crisis' : 'banner'}
      role={isCrisis ? 'alert' : 'status'}
      data-testid={`directive-${directive.type}`}
      data-requirement={directive.requirement}
    >
      <div className="banner-body">
        {isCrisis && <h2 className="banner-title">{translate(locale, 'crisisTitle')}</h2>}
        <p>{directive.text}</p>
        {hotlines.length > 0 && (
          <ul className="hotlines">
            {hotlines.map((hotline) => (
              <li key={`${hotline.name}-${hotline.number}`}>
                <a
                  className="hotline"
                  href={`tel:${hotline.number.replace(/[^\d+]/g, '')}`}
                  aria-label={`${translate(locale, 'crisisCall')} ${hotline.name} ${hotline.number}`}
                >
                  <span className="hotline-name">{hotline.name}</span>
                  <span className="hotline-number">
                    <span aria-hidden="true">☎ </span>
                    {hotline.number}
                  </span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </div>
      <button
        type="button"
        className="banner-close"
        aria-label={translate(locale, 'close')}
        title={translate(locale, 'close')}
        onClick={onDismiss}
      >
        ×
      </button>
    </section>
  );
}

/** An inline note in the conversation: exit confirmed, output withheld, input blocked, session ended … */
export function InlineDirective({ directive }: { readonly directive: Directive }) {
  return (
    <div
      className={`note note-${directive.type}`}
      role="status"
      data-testid={`directive-${directive.type}`}
      data-requirement={directive.requirement}
    >
      {directive.text}
    </div>
  );
}
