import { useCallback, useEffect, useRef, useState } from 'react';
import { translateValue } from './console-i18n.js';
import { ErrorNote, Field, type Loaded, PageHeader, useAction, useConsole, useLoader } from './console-ui.js';
import { type IncidentFeedStatus, watchIncidents } from './incident-feed.js';
import { applyIncident, compareIncidents, formatDuration } from './incident-queue.js';
import { IncidentView, type LastIncidentEvent, useNow } from './incident-view.js';
import type { Incident, IncidentFigures, IncidentFilter, StaffApiClient } from './staff-api.js';
import './incidents.css';

const filters: readonly IncidentFilter[] = ['active', 'closed', 'all'];
/** How often the on-duty count and the figures are read again besides on live events. */
const refreshMs = 30_000;
/** How often the open, visible queue tells the gateway the operator is here (`staff.onDutyWindowSeconds` ≥ 60). */
const heartbeatMs = 25_000;

/**
 * RISK-4: while this page is open and visible it sends a heartbeat at once and every `heartbeatMs`; hidden
 * (another tab, minimised, screen locked) it stops, and the gateway stops counting the operator as on duty
 * or as with the user whose incident they hold once `staff.onDutyWindowSeconds` has passed. Closed (the tab,
 * or another console page opened) it tells the gateway, which stops counting the operator when that request
 * arrives (if the browser loses it, the window runs out as before). `onShown` runs after the first beat of each
 * time the page shows, so the on-duty count read then includes this operator.
 */
function useHeartbeat(api: StaffApiClient, onShown: () => void): void {
  useEffect(() => {
    let timer: ReturnType<typeof setInterval> | undefined;
    // A failed beat is retried by the next one (an expired session signs the console out on its own).
    const beat = () => api.heartbeat().catch(() => undefined);
    const follow = () => {
      clearInterval(timer);
      timer = undefined;
      if (document.visibilityState !== 'visible') return;
      void beat().then(onShown);
      timer = setInterval(() => void beat(), heartbeatMs);
    };
    // A failed end leaves the window to run out, as before.
    const leave = () => void api.endHeartbeat().catch(() => undefined);
    follow();
    document.addEventListener('visibilitychange', follow);
    window.addEventListener('pagehide', leave);
    return () => {
      document.removeEventListener('visibilitychange', follow);
      window.removeEventListener('pagehide', leave);
      clearInterval(timer);
      leave();
    };
  }, [api, onShown]);
}

/**
 * The safety operator's crisis queue (RISK-4, RISK-5): incidents arrive live over SSE, each with its age,
 * severity and who has it; the operator sets their on-duty flag (counted while this page is open and
 * visible), claims an incident and works it in the incident view beside the queue.
 */
export function CrisisQueuePage() {
  const { api, t, session } = useConsole();
  const [filter, setFilter] = useState<IncidentFilter>('active');
  const [incidents, setIncidents] = useState<Incident[] | null>(null);
  const [onDutyCount, setOnDutyCount] = useState<number | null>(null);
  const [listError, setListError] = useState<unknown>(null);
  const [feed, setFeed] = useState<IncidentFeedStatus>('connecting');
  const [selected, setSelected] = useState<string | null>(null);
  /** The last live event, for the incident view to read its incident again. */
  const [lastEvent, setLastEvent] = useState<LastIncidentEvent | null>(null);
  /** The incident that arrived last, announced to screen readers. */
  const [arrived, setArrived] = useState<Incident | null>(null);
  const [myId, setMyId] = useState<string | null>(session.id);
  const [onDuty, setOnDuty] = useState<boolean | null>(null);
  const duty = useAction();
  const figures = useLoader(() => api.incidentFigures());
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const reloadFigures = figures.reload;

  // Only the answer to the latest request counts: an older one may arrive later and lack a new incident.
  const latestLoad = useRef(0);
  const loadList = useCallback(async () => {
    const requested = filterRef.current;
    const load = ++latestLoad.current;
    try {
      const queue = await api.listIncidents(requested);
      if (filterRef.current !== requested || load !== latestLoad.current) return;
      setIncidents([...queue.incidents].sort(compareIncidents));
      setOnDutyCount(queue.onDutyCount);
      setListError(null);
    } catch (error) {
      setListError(error);
    }
  }, [api]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter is a new list
  useEffect(() => {
    setIncidents(null);
    void loadList();
  }, [filter, loadList]);

  useHeartbeat(api, loadList);

  // The login answer does not name the staff id, needed to recognise one's own incidents.
  useEffect(() => {
    api.me().then(
      (me) => setMyId(me?.id ?? null),
      () => undefined,
    );
    api.getDuty().then(setOnDuty, (error: unknown) => setListError(error));
  }, [api]);

  useEffect(() => {
    let seq = 0;
    const stop = watchIncidents({
      url: api.incidentEventsUrl,
      onStatus: setFeed,
      // Whatever happened while the feed was down is read again in full.
      onOpen: () => void loadList(),
      onEvent: (event) => {
        setLastEvent({ event, seq: ++seq });
        // An event that names only the incident's id is followed by a read of the incident.
        const now = event.incident
          ? Promise.resolve(event.incident)
          : api.getIncident(event.incidentId).catch(() => null);
        void now.then((incident) => {
          if (!incident) return;
          setIncidents((list) => (list === null ? list : applyIncident(list, incident, filterRef.current)));
          reloadFigures();
          if (event.type !== 'incident-opened') return;
          setArrived(incident);
          // The user was just told whether a person will join: show the operators on duty as of now.
          void loadList();
        });
      },
    });
    const refresh = setInterval(() => {
      void loadList();
      reloadFigures();
    }, refreshMs);
    return () => {
      stop();
      clearInterval(refresh);
    };
  }, [api, loadList, reloadFigures]);

  async function changeDuty(next: boolean): Promise<void> {
    await duty.run(async () => {
      setOnDuty(await api.setDuty(next));
      await loadList();
    });
  }

  const current = incidents?.find((incident) => incident.id === selected);
  return (
    <section data-testid="page-queue" className="crisis-page">
      <PageHeader title={t('queueTitle')} intro={t('queueIntro')} />
      <div className="panel crisis-bar">
        <div className="duty">
          <label className="checkbox">
            <input
              type="checkbox"
              role="switch"
              aria-checked={onDuty === true}
              data-testid="duty-toggle"
              checked={onDuty === true}
              disabled={duty.busy || onDuty === null}
              aria-describedby="duty-hint"
              onChange={(event) => void changeDuty(event.currentTarget.checked)}
            />
            {t('dutyLabel')}
          </label>
          <p className="field-hint" id="duty-hint">
            {t('dutyHint')}
          </p>
        </div>
        <p className="duty-count" data-testid="duty-count" data-count={onDutyCount ?? ''}>
          {onDutyCount === null ? '' : t('dutyCount', { count: String(onDutyCount) })}
        </p>
        <p className="feed-status" data-testid="feed-status" data-status={feed} role="status">
          <span className="feed-dot" aria-hidden="true" />
          {t(`feed.${feed}`)}
        </p>
      </div>
      {onDutyCount === 0 && (
        <p className="alert alert-info" data-testid="duty-nobody">
          {t('dutyNobody')}
        </p>
      )}
      {duty.error !== null && <ErrorNote error={duty.error} t={t} />}
      {listError !== null && <ErrorNote error={listError} t={t} testId="queue-error" />}
      <p className="visually-hidden" aria-live="assertive" data-testid="queue-announcement">
        {arrived &&
          t('incidentArrived', {
            severity: translateValue(t, 'severity', arrived.severity),
            reason: translateValue(t, 'reason', arrived.reason),
          })}
      </p>
      <div className={`crisis-layout${current ? ' has-selection' : ''}`}>
        <div className="crisis-list">
          <Field label={t('filterLabel')}>
            {(props) => (
              <select
                {...props}
                data-testid="incident-filter"
                value={filter}
                onChange={(event) => setFilter(event.currentTarget.value as IncidentFilter)}
              >
                {filters.map((value) => (
                  <option key={value} value={value}>
                    {t(`filter.${value}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {incidents === null ? (
            listError === null && <p className="loading">{t('loading')}</p>
          ) : incidents.length === 0 ? (
            <p className="empty-list" data-testid="no-incidents">
              {t('noIncidents')}
            </p>
          ) : (
            <ul className="incident-list" aria-label={t('incidentListLabel')} data-testid="incident-list">
              {incidents.map((incident) => (
                <li key={incident.id}>
                  <IncidentRow
                    incident={incident}
                    mine={incident.claimedBy !== null && incident.claimedBy === myId}
                    selected={incident.id === selected}
                    onSelect={() => setSelected(incident.id)}
                  />
                </li>
              ))}
            </ul>
          )}
        </div>
        {current && (
          <IncidentView
            key={current.id}
            incident={current}
            myId={myId}
            lastEvent={lastEvent}
            onChanged={(changed) => {
              setIncidents((list) =>
                list === null ? list : applyIncident(list, changed, filterRef.current),
              );
              reloadFigures();
            }}
            onBack={() => setSelected(null)}
          />
        )}
      </div>
      <FiguresPanel figures={figures} />
    </section>
  );
}

interface IncidentRowProps {
  readonly incident: Incident;
  readonly mine: boolean;
  readonly selected: boolean;
  readonly onSelect: () => void;
}

function IncidentRow({ incident, mine, selected, onSelect }: IncidentRowProps) {
  const { t, locale } = useConsole();
  const now = useNow();
  const age = formatDuration((incident.closedAt ?? now) - incident.openedAt, locale);
  const owner = mine
    ? t('claimedByYou')
    : incident.claimedBy
      ? t('claimedBy', { who: incident.claimedBy })
      : t('unclaimed');
  return (
    <button
      type="button"
      className="incident-row"
      data-testid="incident-row"
      data-id={incident.id}
      data-state={incident.state}
      data-severity={incident.severity}
      aria-current={selected ? 'true' : undefined}
      onClick={onSelect}
    >
      <span className="incident-row-top">
        <span className={`badge severity-${incident.severity}`}>
          {translateValue(t, 'severity', incident.severity)}
        </span>
        <span className={`badge state-${incident.state}`} data-testid="incident-state">
          {translateValue(t, 'incidentState', incident.state)}
        </span>
        {incident.escalatedAt !== null && (
          <span className="badge escalated" data-testid="incident-escalated">
            {t('escalatedMark')}
          </span>
        )}
        <span className="incident-age" data-testid="incident-age">
          {t(incident.state === 'open' ? 'incidentAge' : 'incidentOpenFor', { age })}
        </span>
      </span>
      <span className="incident-row-main">
        <strong>{translateValue(t, 'reason', incident.reason)}</strong>
        <span>{t('incidentUser', { user: incident.user })}</span>
      </span>
      <span className="incident-row-owner" data-testid="incident-owner">
        {owner}
      </span>
    </button>
  );
}

/** The incident figures the assessment report uses (ASSESS-2). */
function FiguresPanel({ figures }: { figures: Loaded<IncidentFigures> }) {
  const { t, locale } = useConsole();
  const data = figures.data;
  const median = (ms: number | null | undefined) =>
    ms === null || ms === undefined ? t('figuresNone') : formatDuration(ms, locale);
  const outcomes = Object.entries(data?.outcomes ?? {});
  return (
    <section className="panel figures" aria-labelledby="figures-title" data-testid="incident-figures">
      <h3 id="figures-title">{t('figuresTitle')}</h3>
      {figures.error !== null && <ErrorNote error={figures.error} t={t} testId="figures-error" />}
      {data && (
        <dl className="figures-grid">
          <Figure label={t('figuresIncidents')} value={String(data.incidents)} testId="figures-incidents" />
          <Figure label={t('figuresClaimed')} value={String(data.claimed)} testId="figures-claimed" />
          <Figure label={t('figuresClosed')} value={String(data.closed)} testId="figures-closed" />
          <Figure
            label={t('figuresToClaim')}
            value={median(data.medianMs.toClaim)}
            testId="figures-to-claim"
          />
          <Figure
            label={t('figuresToFirstHuman')}
            value={median(data.medianMs.toFirstHumanMessage)}
            testId="figures-to-first-human"
          />
          <Figure
            label={t('figuresToContact')}
            value={median(data.medianMs.toContactNotification)}
            testId="figures-to-contact"
          />
          <Figure
            label={t('figuresOutcomes')}
            value={
              outcomes.length === 0
                ? t('figuresNone')
                : outcomes.map(([outcome, n]) => `${translateValue(t, 'outcome', outcome)}: ${n}`).join(' · ')
            }
            testId="figures-outcomes"
          />
        </dl>
      )}
    </section>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}
