import { type FormEvent, type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { translateValue } from './console-i18n.js';
import { ErrorNote, Field, formatTime, useAction, useConsole } from './console-ui.js';
import { formatDuration } from './incident-queue.js';
import {
  type EmotionalState,
  type Incident,
  type IncidentDetail,
  type IncidentEvent,
  type IncidentOutcome,
  incidentOutcomes,
  type TranscriptMessage,
} from './staff-api.js';

/** The current time, updated every `intervalMs`, for ages that tick. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** The latest live event of the queue; `seq` tells two events about the same incident apart. */
export interface LastIncidentEvent {
  readonly event: IncidentEvent;
  readonly seq: number;
}

interface IncidentViewProps {
  /** The incident as the queue last saw it. */
  readonly incident: Incident;
  /** The signed-in operator's staff id, to recognise incidents assigned to them. */
  readonly myId: string | null;
  readonly lastEvent: LastIncidentEvent | null;
  /** Called with the incident after this view changed it (claim, hand back, close). */
  readonly onChanged: (incident: Incident) => void;
  readonly onBack: () => void;
}

/**
 * One incident: its facts and time line for every operator; claiming it for anyone while it waits; the
 * conversation, the composer, notes, hand back and close only for the operator it is assigned to.
 */
export function IncidentView({ incident, myId, lastEvent, onChanged, onBack }: IncidentViewProps) {
  const { api, t, locale } = useConsole();
  const [detail, setDetail] = useState<IncidentDetail | null>(null);
  const [detailError, setDetailError] = useState<unknown>(null);
  const claim = useAction();
  const heading = useRef<HTMLHeadingElement>(null);
  const titleId = useId();
  const id = incident.id;

  const refresh = useCallback(async (): Promise<IncidentDetail | null> => {
    try {
      const fresh = await api.getIncident(id);
      setDetail(fresh);
      setDetailError(null);
      return fresh;
    } catch (error) {
      setDetailError(error);
      return null;
    }
  }, [api, id]);

  useEffect(() => {
    heading.current?.focus();
    void refresh();
  }, [refresh]);

  const eventSeq = lastEvent?.event.incidentId === id ? lastEvent.seq : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: read again on each live event about this incident
  useEffect(() => {
    if (eventSeq !== null) void refresh();
  }, [eventSeq]);

  /** Runs a change, then reads the incident again and tells the queue. */
  async function change(action: () => Promise<unknown>): Promise<void> {
    await action();
    const fresh = await refresh();
    if (fresh) onChanged(fresh);
  }

  const shown: Incident = detail ?? incident;
  const mine = shown.claimedBy !== null && shown.claimedBy === myId;
  const who = (actor: string | null) => (actor !== null && actor === myId ? t('you') : (actor ?? '—'));
  const messageEvent = lastEvent?.event.type === 'incident-message' ? eventSeq : null;

  return (
    <article
      className="panel incident-view"
      aria-labelledby={titleId}
      data-testid="incident-view"
      data-id={id}
      data-state={shown.state}
    >
      <div className="incident-head">
        <h3 id={titleId} ref={heading} tabIndex={-1}>
          {t('incidentTitle', { user: shown.user })}
        </h3>
        <button type="button" className="button ghost small back-to-queue" onClick={onBack}>
          {t('backToQueue')}
        </button>
      </div>
      {detailError !== null && <ErrorNote error={detailError} t={t} />}
      <IncidentFacts incident={shown} who={who} />
      {detail?.emotional && <EmotionalStateFacts state={detail.emotional} titleId={`${titleId}-emotional`} />}

      {(shown.state === 'open' || shown.state === 'handed-back') && (
        <div className="incident-actions">
          {claim.error !== null && <ErrorNote error={claim.error} t={t} testId="claim-error" />}
          <button
            type="button"
            className="button primary"
            data-testid="incident-claim"
            disabled={claim.busy}
            onClick={() => void claim.run(() => change(() => api.claimIncident(id)))}
          >
            {claim.busy ? t('claiming') : t(mine ? 'claimAgain' : 'claim')}
          </button>
        </div>
      )}
      {shown.state !== 'open' && shown.state !== 'closed' && !mine && (
        <p className="alert alert-info" data-testid="incident-claimed-by-other">
          {t('claimedByOther', { who: who(shown.claimedBy) })}
        </p>
      )}
      {shown.state === 'closed' && (
        <p className="alert alert-ok" data-testid="incident-closed">
          {t('closedWith', { outcome: translateValue(t, 'outcome', shown.outcome ?? 'other') })}
        </p>
      )}
      {mine && shown.state !== 'closed' && (
        <>
          {/* Writing after a hand-back takes the conversation over again. */}
          <Conversation
            incidentId={id}
            messageEvent={messageEvent}
            onSent={() => change(async () => undefined)}
          />
          <TextAction
            title={t('notesTitle')}
            label={t('noteLabel')}
            hint={t('noteHint')}
            submit={t('addNote')}
            done={t('noteAdded')}
            testId="note"
            onSubmit={(text) => change(() => api.addIncidentNote(id, text))}
          />
          {shown.state === 'claimed' && (
            <TextAction
              title={t('handbackTitle')}
              label={t('handbackLabel')}
              submit={t('handBack')}
              initial={t('handbackDefault')}
              testId="handback"
              onSubmit={(instruction) => change(() => api.handBackIncident(id, instruction))}
            />
          )}
          <CloseForm onClose={(outcome) => change(() => api.closeIncident(id, outcome))} />
        </>
      )}

      <section className="incident-section" aria-labelledby={`${titleId}-timeline`}>
        <h4 id={`${titleId}-timeline`}>{t('timelineTitle')}</h4>
        {detail && detail.timeline.length === 0 && <p className="empty-list">{t('timelineEmpty')}</p>}
        {detail && detail.timeline.length > 0 && (
          <ol className="timeline" data-testid="incident-timeline">
            {detail.timeline.map((step, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the time line only grows at its end and has no ids
              <li key={`${index}-${step.type}`} data-type={step.type}>
                <time dateTime={step.at === null ? undefined : new Date(step.at).toISOString()}>
                  {formatTime(locale, step.at)}
                </time>
                <span className="timeline-type">
                  {translateValue(t, 'step', step.type.replace(/^incident-/, ''))}
                </span>
                {step.actor !== null && <span className="muted">{who(step.actor)}</span>}
              </li>
            ))}
          </ol>
        )}
      </section>
    </article>
  );
}

/** RISK-1: the user's running emotional state: level, scores, trend and the days with signals. */
function EmotionalStateFacts({ state, titleId }: { state: EmotionalState; titleId: string }) {
  const { t } = useConsole();
  const top = Math.max(1, ...state.days.map((d) => d.emotion));
  const step = state.days.length > 1 ? 100 / (state.days.length - 1) : 0;
  const points = state.days.map(
    (d, i) => `${(i * step).toFixed(1)},${(28 - (d.emotion / top) * 26).toFixed(1)}`,
  );
  return (
    <section className="incident-section" aria-labelledby={titleId} data-testid="emotional-state">
      <h4 id={titleId}>{t('emotionalTitle')}</h4>
      <p>
        <span className={`badge level-${state.level}`}>
          {translateValue(t, 'emotionalLevel', state.level)}
        </span>{' '}
        {t('emotionalScores', {
          emotion: state.emotion.toFixed(1),
          dependence: state.dependence.toFixed(1),
          trend: translateValue(t, 'emotionalTrend', state.trend),
        })}
      </p>
      {state.days.length > 1 && (
        <svg viewBox="0 0 100 30" width="200" height="60" role="img" aria-label={t('emotionalChart')}>
          <polyline points={points.join(' ')} fill="none" stroke="currentColor" strokeWidth="1.5" />
        </svg>
      )}
    </section>
  );
}

function IncidentFacts({ incident, who }: { incident: Incident; who: (actor: string | null) => string }) {
  const { t, locale } = useConsole();
  const now = useNow();
  const time = (ms: number | null) => formatTime(locale, ms);
  const opened = `${time(incident.openedAt)} · ${formatDuration((incident.closedAt ?? now) - incident.openedAt, locale)}`;
  const facts: [string, ReactNode, string][] = [
    [t('factReason'), translateValue(t, 'reason', incident.reason), 'reason'],
    [
      t('factSignals'),
      incident.signals
        .map((s) => (s.tier === null ? s.rule : t('signalTier', { rule: s.rule, tier: String(s.tier) })))
        .join(', ') || '—',
      'signals',
    ],
    [t('factSession'), incident.sessionId ?? '—', 'session'],
    [t('factCharacter'), incident.characterId ?? '—', 'character'],
    [t('factAgeBand'), incident.ageBand ? translateValue(t, 'ageBand', incident.ageBand) : '—', 'age-band'],
    [t('factOpened'), opened, 'opened'],
    [
      t('factClaimed'),
      incident.claimedAt === null
        ? t('unclaimed')
        : `${time(incident.claimedAt)} · ${who(incident.claimedBy)}`,
      'claimed',
    ],
    [t('factEscalated'), time(incident.escalatedAt), 'escalated'],
    [t('factFirstHuman'), time(incident.firstHumanMessageAt), 'first-human'],
    [t('factContact'), time(incident.contactNotifiedAt), 'contact'],
  ];
  if (incident.closedAt !== null) {
    facts.push([t('factClosed'), time(incident.closedAt), 'closed']);
    facts.push([t('factOutcome'), translateValue(t, 'outcome', incident.outcome ?? 'other'), 'outcome']);
  }
  return (
    <div className="incident-summary">
      <p className="incident-badges">
        <span className={`badge severity-${incident.severity}`}>
          {translateValue(t, 'severity', incident.severity)}
        </span>
        <span className={`badge state-${incident.state}`} data-testid="incident-view-state">
          {translateValue(t, 'incidentState', incident.state)}
        </span>
        {incident.escalatedAt !== null && <span className="badge escalated">{t('escalatedMark')}</span>}
      </p>
      <dl className="facts">
        {facts.map(([label, value, key]) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd data-testid={`fact-${key}`}>{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

interface ConversationProps {
  readonly incidentId: string;
  /** Called after a message went out: it changes the incident (first human message, takeover). */
  readonly onSent: () => Promise<void>;
  /** Changes on each live `incident-message` event of this incident; the open conversation is read again. */
  readonly messageEvent: number | null;
}

/**
 * The conversation, opened only after the operator states a purpose: each reading is an audit event on
 * the gateway (DATA-1), so nothing is read before the operator asks.
 */
function Conversation({ incidentId, onSent, messageEvent }: ConversationProps) {
  const { api, t, locale } = useConsole();
  const [purpose, setPurpose] = useState('');
  /** The purpose the conversation was opened with, reused when it is read again. */
  const [openedWith, setOpenedWith] = useState<string | null>(null);
  const [messages, setMessages] = useState<TranscriptMessage[]>([]);
  const [readError, setReadError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const titleId = useId();

  const read = useCallback(
    async (why: string) => {
      setBusy(true);
      try {
        setMessages(await api.readIncidentMessages(incidentId, why));
        setOpenedWith(why);
        setReadError(null);
      } catch (error) {
        setReadError(error);
      } finally {
        setBusy(false);
      }
    },
    [api, incidentId],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: read again on each new message event
  useEffect(() => {
    if (messageEvent !== null && openedWith !== null) void read(openedWith);
  }, [messageEvent]);

  function open(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    void read(purpose.trim());
  }

  return (
    <section className="incident-section" aria-labelledby={titleId} data-testid="conversation">
      <h4 id={titleId}>{t('conversationTitle')}</h4>
      {readError !== null && <ErrorNote error={readError} t={t} testId="conversation-error" />}
      {openedWith === null ? (
        <form className="inline-form" onSubmit={open}>
          <Field label={t('purposeLabel')} hint={t('purposeHint')}>
            {(props) => (
              <input
                {...props}
                data-testid="purpose"
                value={purpose}
                required
                minLength={5}
                maxLength={500}
                onChange={(event) => setPurpose(event.currentTarget.value)}
              />
            )}
          </Field>
          <button type="submit" className="button primary" data-testid="open-conversation" disabled={busy}>
            {busy ? t('opening') : t('openConversation')}
          </button>
        </form>
      ) : (
        <>
          {messages.length === 0 ? (
            <p className="empty-list">{t('noMessages')}</p>
          ) : (
            <ol className="transcript" aria-label={t('messagesLabel')} data-testid="transcript">
              {messages.map((message) => (
                <li
                  key={message.id}
                  className={`transcript-message author-${message.author}`}
                  data-testid="transcript-message"
                  data-author={message.author}
                >
                  <span className="transcript-meta">
                    <span className="badge">{translateValue(t, 'author', message.author)}</span>
                    <span className="muted">{formatTime(locale, message.createdAt)}</span>
                  </span>
                  <span className="transcript-text">{message.content}</span>
                </li>
              ))}
            </ol>
          )}
          <div className="toolbar">
            <button
              type="button"
              className="button ghost small"
              data-testid="refresh-conversation"
              disabled={busy}
              onClick={() => void read(openedWith)}
            >
              {t('refreshConversation')}
            </button>
          </div>
          <TextAction
            label={t('composerLabel')}
            hint={t('composerHint')}
            submit={t('send')}
            testId="composer"
            onSubmit={async (text) => {
              const sent = await api.sendIncidentMessage(incidentId, text);
              const mine: TranscriptMessage = {
                id: sent.id,
                role: 'assistant',
                author: 'human',
                content: text,
                status: null,
                createdAt: sent.createdAt,
              };
              setMessages((list) => (list.some((m) => m.id === sent.id) ? list : [...list, mine]));
              await onSent();
            }}
          />
        </>
      )}
    </section>
  );
}

interface TextActionProps {
  readonly title?: string;
  readonly label: string;
  readonly hint?: string;
  readonly submit: string;
  /** Shown after a success; without it the text box is simply emptied. */
  readonly done?: string;
  readonly initial?: string;
  readonly testId: string;
  readonly onSubmit: (text: string) => Promise<void>;
}

/** A text box and a button that sends its text: the composer, a note, the hand-back instruction. */
function TextAction({ title, label, hint, submit, done, initial = '', testId, onSubmit }: TextActionProps) {
  const { t } = useConsole();
  const [text, setText] = useState(initial);
  const [succeeded, setSucceeded] = useState(false);
  const action = useAction();

  async function send(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setSucceeded(false);
    if (await action.run(() => onSubmit(text.trim()))) {
      setText(initial);
      setSucceeded(true);
    }
  }

  const form = (
    <form className="inline-form" data-testid={`${testId}-form`} onSubmit={(event) => void send(event)}>
      <Field label={label} {...(hint ? { hint } : {})}>
        {(props) => (
          <textarea
            {...props}
            data-testid={testId}
            rows={3}
            required
            value={text}
            onChange={(event) => {
              setText(event.currentTarget.value);
              setSucceeded(false);
            }}
          />
        )}
      </Field>
      {action.error !== null && <ErrorNote error={action.error} t={t} testId={`${testId}-error`} />}
      <div className="form-actions">
        <button
          type="submit"
          className="button primary"
          data-testid={`${testId}-submit`}
          disabled={action.busy || text.trim() === ''}
        >
          {action.busy ? t('sending') : submit}
        </button>
        {done && (
          <span className="copy-state" role="status" data-testid={`${testId}-done`}>
            {succeeded ? done : ''}
          </span>
        )}
      </div>
    </form>
  );
  if (!title) return form;
  return (
    <section className="incident-section">
      <h4>{title}</h4>
      {form}
    </section>
  );
}

function CloseForm({ onClose }: { onClose: (outcome: IncidentOutcome) => Promise<void> }) {
  const { t } = useConsole();
  const [outcome, setOutcome] = useState<IncidentOutcome | ''>('');
  const action = useAction();

  function close(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (outcome !== '') void action.run(() => onClose(outcome));
  }

  return (
    <section className="incident-section">
      <h4>{t('closeTitle')}</h4>
      <form className="inline-form" onSubmit={close}>
        <Field label={t('outcomeLabel')}>
          {(props) => (
            <select
              {...props}
              data-testid="close-outcome"
              required
              value={outcome}
              onChange={(event) => setOutcome(event.currentTarget.value as IncidentOutcome | '')}
            >
              <option value="">{t('outcomeChoose')}</option>
              {incidentOutcomes.map((value) => (
                <option key={value} value={value}>
                  {t(`outcome.${value}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {action.error !== null && <ErrorNote error={action.error} t={t} testId="close-error" />}
        <div className="form-actions">
          <button
            type="submit"
            className="button danger"
            data-testid="close-submit"
            disabled={action.busy || outcome === ''}
          >
            {t('closeIncident')}
          </button>
        </div>
      </form>
    </section>
  );
}
