import { type FormEvent, type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import {
  type AiLabel,
  type Character,
  type Compliance,
  createApiClient,
  type Directive,
  type Locale,
  type SessionState,
} from './api.js';
import { Brand, LanguageButton } from './brand.js';
import { BannerDirective, InlineDirective, PopupDirective } from './directive-views.js';
import { detectLocale, type MessageKey, sessionStateKey, translate } from './i18n.js';
import { loadLocale, loadOrCreateUserId, loadSessionId, saveLocale, saveSessionId } from './local-store.js';
import { ApiError } from './wire-read.js';

type ChatItem =
  | { readonly kind: 'user'; readonly key: string; readonly text: string }
  | {
      readonly kind: 'assistant';
      readonly key: string;
      readonly text: string;
      readonly label: AiLabel | null;
      readonly streaming: boolean;
      readonly stopped: boolean;
      readonly finishReason: string | null;
    }
  | { readonly kind: 'directive'; readonly key: string; readonly directive: Directive }
  | { readonly kind: 'error'; readonly key: string; readonly message: string; readonly code: string | null };

type AssistantItem = Extract<ChatItem, { kind: 'assistant' }>;

interface Keyed<T> {
  readonly key: string;
  readonly value: T;
}

interface SessionView {
  /** The gateway's session id; `null` until the gateway names one. */
  readonly id: string | null;
  /** `none` until this page has heard from the gateway. */
  readonly state: SessionState | 'none';
}

function initialLocale(): Locale {
  const languages = navigator.languages.length > 0 ? navigator.languages : [navigator.language];
  return loadLocale() ?? detectLocale(languages);
}

/** The user-side demo chat: characters, streaming replies, and every compliance directive shown. */
export function App() {
  const api = useMemo(() => createApiClient(), []);
  const [user] = useState(loadOrCreateUserId);
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const [characters, setCharacters] = useState<readonly Character[] | null>(null);
  const [charactersFailed, setCharactersFailed] = useState(false);
  const [characterId, setCharacterId] = useState<string | null>(null);
  const [session, setSession] = useState<SessionView>(() => ({ id: loadSessionId(), state: 'none' }));
  const [items, setItems] = useState<readonly ChatItem[]>([]);
  const [popups, setPopups] = useState<readonly Keyed<Directive>[]>([]);
  const [banners, setBanners] = useState<readonly Keyed<Directive>[]>([]);
  const [endedNotice, setEndedNotice] = useState<Directive | null>(null);
  const [input, setInput] = useState('');
  const [streaming, setStreaming] = useState(false);
  const [working, setWorking] = useState<'exit' | 'new' | null>(null);
  const [copied, setCopied] = useState(false);
  const abortRef = useRef<AbortController | null>(null);
  const counter = useRef(0);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const endRef = useRef<HTMLDivElement>(null);

  const t = (key: MessageKey, values?: Record<string, string>) => translate(locale, key, values);
  const nextKey = () => {
    counter.current += 1;
    return `i${counter.current}`;
  };
  const ended = session.state === 'ended';
  const currentPopup = popups[0];

  useEffect(() => {
    document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en';
    document.title = `companion-guard · ${translate(locale, 'pageTitle')}`;
  }, [locale]);

  useEffect(() => {
    let cancelled = false;
    api.listCharacters().then(
      (list) => {
        if (cancelled) return;
        setCharacters(list.characters);
        const preferred = list.characters.find((c) => c.id === list.defaultCharacterId) ?? list.characters[0];
        setCharacterId(preferred?.id ?? null);
      },
      () => {
        if (cancelled) return;
        setCharacters([]);
        setCharactersFailed(true);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api]);

  // Keep the newest message in view as replies stream in.
  useEffect(() => {
    if (items.length > 0) endRef.current?.scrollIntoView({ block: 'end' });
  }, [items]);

  /** Applies a compliance object; returns the inline notes it added to the conversation. */
  function applyCompliance(compliance: Compliance): Keyed<Directive>[] {
    const notes: Keyed<Directive>[] = [];
    const current = compliance.session;
    if (current) {
      setSession({ id: current.id, state: current.state });
      saveSessionId(current.id);
    }
    for (const directive of compliance.directives) {
      const entry = { key: nextKey(), value: directive };
      if (directive.type === 'session-ended') {
        // Shown in the ended card rather than as one more note saying the same.
        setEndedNotice(directive);
        setSession((view) => ({ ...view, state: 'ended' }));
      } else if (directive.display === 'popup') {
        setPopups((queue) => [...queue, entry]);
      } else if (directive.display === 'banner') {
        // One banner per type: a newer one replaces the older.
        setBanners((list) => [...list.filter((b) => b.value.type !== directive.type), entry]);
      } else {
        notes.push(entry);
        setItems((list) => [...list, { kind: 'directive', key: entry.key, directive }]);
      }
    }
    return notes;
  }

  function showError(error: unknown): void {
    let message = t('errorPrefix');
    let code: string | null = null;
    if (error instanceof ApiError) {
      if (error.code === 'network_error') {
        message = t('errorNetwork');
      } else {
        message = `${t('errorPrefix')} ${error.message}`;
        code = error.code;
      }
    }
    setItems((list) => [...list, { kind: 'error', key: nextKey(), message, code }]);
  }

  function updateAssistant(key: string, change: (item: AssistantItem) => AssistantItem): void {
    setItems((list) =>
      list.map((item) => (item.kind === 'assistant' && item.key === key ? change(item) : item)),
    );
  }

  async function sendMessage(): Promise<void> {
    const content = input.trim();
    if (content === '' || streaming || working !== null || ended) return;
    setInput('');
    const controller = new AbortController();
    abortRef.current = controller;
    setStreaming(true);
    setItems((list) => [...list, { kind: 'user', key: nextKey(), text: content }]);

    const replyKey = nextKey();
    let label: AiLabel | null = null;
    let started = false;
    let replyText = '';
    const notes: Keyed<Directive>[] = [];
    try {
      const result = await api.streamChat(
        { user, characterId, locale, content },
        (event) => {
          if (event.kind === 'compliance') {
            notes.push(...applyCompliance(event.compliance));
            const latest = event.compliance.label;
            if (latest) {
              label = latest;
              if (started) updateAssistant(replyKey, (item) => ({ ...item, label: latest }));
            }
            return;
          }
          const delta = event.text;
          replyText += delta;
          if (started) {
            updateAssistant(replyKey, (item) => ({ ...item, text: item.text + delta }));
            return;
          }
          started = true;
          const first: AssistantItem = {
            kind: 'assistant',
            key: replyKey,
            text: delta,
            label,
            streaming: true,
            stopped: false,
            finishReason: null,
          };
          setItems((list) => [...list, first]);
        },
        controller.signal,
      );
      updateAssistant(replyKey, (item) => ({ ...item, streaming: false, finishReason: result.finishReason }));
      // A fixed reply (e.g. the exit confirmation) may repeat a note word for word; show it once.
      const repeated = new Set(
        notes.filter((n) => n.value.text.trim() === replyText.trim()).map((n) => n.key),
      );
      if (repeated.size > 0) setItems((list) => list.filter((item) => !repeated.has(item.key)));
    } catch (error) {
      const aborted = controller.signal.aborted;
      updateAssistant(replyKey, (item) => ({ ...item, streaming: false, stopped: aborted }));
      if (!aborted) showError(error);
    } finally {
      if (abortRef.current === controller) abortRef.current = null;
      setStreaming(false);
    }
  }

  async function exitSession(): Promise<void> {
    const id = session.id;
    if (id === null || working !== null) return;
    // EXIT-1: stop whatever is streaming at once, then tell the gateway.
    abortRef.current?.abort();
    setWorking('exit');
    try {
      const compliance = await api.exitSession({ sessionId: id, user });
      applyCompliance(compliance);
      if (!compliance.session) setSession({ id, state: 'ended' });
    } catch (error) {
      showError(error);
    } finally {
      setWorking(null);
    }
  }

  async function startNewChat(nextCharacterId: string | null = characterId): Promise<void> {
    if (working !== null) return;
    abortRef.current?.abort();
    setWorking('new');
    try {
      const compliance = await api.startSession({ user, characterId: nextCharacterId, locale });
      setItems([]);
      setBanners([]);
      setPopups([]);
      setEndedNotice(null);
      applyCompliance(compliance);
      inputRef.current?.focus();
    } catch (error) {
      showError(error);
    } finally {
      setWorking(null);
    }
  }

  function changeCharacter(id: string): void {
    setCharacterId(id);
    // A conversation belongs to one character: switching mid-chat starts a new one.
    if (items.length > 0) void startNewChat(id);
  }

  /** DISC-5: the copy keeps the visible label and content ID of every AI reply. */
  async function copyConversation(): Promise<void> {
    const lines = items.flatMap((item) => {
      if (item.kind === 'user') return [`${t('you')}: ${item.text}`];
      if (item.kind !== 'assistant') return [];
      const label = item.label ? `\n[${item.label.text} · ${item.label.contentId}]` : '';
      return [`${characterName}: ${item.text}${label}`];
    });
    try {
      await navigator.clipboard.writeText(lines.join('\n\n'));
      setCopied(true);
    } catch (error) {
      showError(error);
    }
  }

  async function downloadMyData(): Promise<void> {
    try {
      const url = URL.createObjectURL(await api.exportHistory(user));
      const link = document.createElement('a');
      link.href = url;
      link.download = 'my-conversations.html';
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      showError(error);
    }
  }

  function toggleLocale(): void {
    const next: Locale = locale === 'zh' ? 'en' : 'zh';
    setLocale(next);
    saveLocale(next);
  }

  function acknowledgePopup(): void {
    setPopups((queue) => queue.slice(1));
    if (popups.length <= 1) inputRef.current?.focus();
  }

  function onSubmit(event: FormEvent): void {
    event.preventDefault();
    void sendMessage();
  }

  function onInputKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): void {
    // Enter sends, Shift+Enter breaks the line; never send while an IME is composing Chinese.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void sendMessage();
    }
  }

  const character = characters?.find((c) => c.id === characterId) ?? null;
  const characterName = character ? character.name[locale] : t('assistant');
  const stateKey = session.state === 'none' ? 'state.none' : sessionStateKey(session.state);

  return (
    <div className="app">
      <header className="topbar">
        <Brand name={t('productName')} title={t('pageTitle')} />
        <div className="controls">
          <label className="character-picker">
            <span className="visually-hidden">{t('character')}</span>
            <select
              data-testid="character-select"
              value={characterId ?? ''}
              disabled={characters === null || working !== null}
              onChange={(event) => changeCharacter(event.target.value)}
            >
              {characters === null && <option value="">{t('characterLoading')}</option>}
              {characters !== null && characters.length === 0 && (
                <option value="">{t('characterDefault')}</option>
              )}
              {characters?.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name[locale]}
                </option>
              ))}
            </select>
          </label>
          <LanguageButton t={t} onToggle={toggleLocale} />
          <button
            type="button"
            className="button ghost"
            data-testid="copy-conversation-button"
            disabled={items.length === 0}
            onClick={() => void copyConversation()}
          >
            {copied ? t('copied') : t('copyConversation')}
          </button>
          <button
            type="button"
            className="button ghost"
            data-testid="download-data-button"
            onClick={() => void downloadMyData()}
          >
            {t('downloadData')}
          </button>
          <button
            type="button"
            className="button ghost"
            data-testid="header-new-chat-button"
            disabled={working !== null}
            onClick={() => void startNewChat()}
          >
            {t('newChat')}
          </button>
          <button
            type="button"
            className="button danger"
            data-testid="exit-button"
            aria-label={t('exitLabel')}
            title={t('exitLabel')}
            disabled={session.id === null || ended || working !== null}
            onClick={() => void exitSession()}
          >
            {t('exit')}
          </button>
        </div>
      </header>

      <div className="statusbar">
        <span className="session-state" data-testid="session-state" data-state={session.state}>
          <span className="dot" aria-hidden="true" />
          {t('sessionState')}: {stateKey ? t(stateKey) : session.state}
        </span>
        <span className="ai-badge">{t('aiBadge')}</span>
        {character && character.description[locale] !== '' && (
          <span className="character-description">{character.description[locale]}</span>
        )}
      </div>

      {banners.length > 0 && (
        // Outside the scrolling conversation, so a crisis card stays in view until dismissed.
        <div className="banners">
          {banners.map((banner) => (
            <BannerDirective
              key={banner.key}
              directive={banner.value}
              locale={locale}
              onDismiss={() => setBanners((list) => list.filter((b) => b.key !== banner.key))}
            />
          ))}
        </div>
      )}

      <main className="conversation" aria-live="polite">
        {charactersFailed && <div className="note note-warning">{t('charactersFailed')}</div>}

        {items.length === 0 && !ended && (
          <div className="empty">
            <p className="empty-title">{t('emptyTitle', { name: characterName })}</p>
            <p className="empty-hint">{t('emptyHint')}</p>
          </div>
        )}

        {items.map((item) => {
          switch (item.kind) {
            case 'user':
              return (
                <div key={item.key} className="message user" data-testid="user-message">
                  <div className="bubble">{item.text}</div>
                </div>
              );
            case 'assistant':
              return (
                <div
                  key={item.key}
                  className={`message assistant${item.finishReason === 'content_filter' ? ' filtered' : ''}`}
                  data-testid="assistant-message"
                  data-streaming={item.streaming ? 'true' : 'false'}
                  data-finish={item.finishReason ?? ''}
                >
                  <div className="sender">{characterName}</div>
                  <div className="bubble">
                    <span data-testid="message-text">{item.text}</span>
                    {item.streaming && <span className="cursor" aria-hidden="true" />}
                  </div>
                  {item.stopped && <div className="message-meta">{t('stopped')}</div>}
                  {item.label && (
                    <div
                      className="ai-label"
                      data-testid="ai-label"
                      data-content-id={item.label.contentId}
                      title={t('contentId', { id: item.label.contentId })}
                    >
                      {item.label.text}
                    </div>
                  )}
                </div>
              );
            case 'directive':
              return <InlineDirective key={item.key} directive={item.directive} />;
            case 'error':
              return (
                <div key={item.key} className="note note-error" role="alert" data-testid="error-message">
                  {item.message}
                  {item.code && <span className="error-code">{t('errorCode', { code: item.code })}</span>}
                </div>
              );
            default:
              return null;
          }
        })}

        {ended && (
          <section className="ended-card" data-testid="session-ended">
            <h2>{t('endedTitle')}</h2>
            {endedNotice ? (
              <p data-testid="directive-session-ended" data-requirement={endedNotice.requirement}>
                {endedNotice.text}
              </p>
            ) : (
              <p>{t('endedHint')}</p>
            )}
            <button
              type="button"
              className="button primary"
              data-testid="new-chat-button"
              disabled={working !== null}
              onClick={() => void startNewChat()}
            >
              {t('startNewChat')}
            </button>
          </section>
        )}
        <div ref={endRef} />
      </main>

      <form className="composer" onSubmit={onSubmit}>
        <label className="visually-hidden" htmlFor="message-input">
          {t('inputLabel')}
        </label>
        <textarea
          id="message-input"
          ref={inputRef}
          data-testid="message-input"
          rows={1}
          value={input}
          maxLength={4000}
          placeholder={ended ? t('inputPlaceholderEnded') : t('inputPlaceholder')}
          disabled={ended || working !== null}
          onChange={(event) => setInput(event.target.value)}
          onKeyDown={onInputKeyDown}
        />
        <button
          type="submit"
          className="button primary send"
          data-testid="send-button"
          disabled={ended || streaming || working !== null || input.trim() === ''}
        >
          {streaming ? t('sending') : t('send')}
        </button>
      </form>
      <footer className="footer">{t('footer')}</footer>

      {currentPopup && (
        <PopupDirective
          key={currentPopup.key}
          directive={currentPopup.value}
          locale={locale}
          onAcknowledge={acknowledgePopup}
        />
      )}
    </div>
  );
}
