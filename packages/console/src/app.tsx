import {
  type ChatMessage,
  ComplianceDirectives,
  DirectiveNote,
  SessionEndedCard,
  useCompanionChat,
} from '@companion-guard/react';
import { type FormEvent, type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { type Character, createApiClient, type Locale } from './api.js';
import { Brand, LanguageButton } from './brand.js';
import { detectLocale, type MessageKey, sessionStateKey, translate } from './i18n.js';
import { loadLocale, loadOrCreateUserId, loadSessionId, saveLocale, saveSessionId } from './local-store.js';
import { ApiError } from './wire-read.js';

function initialLocale(): Locale {
  const languages = navigator.languages.length > 0 ? navigator.languages : [navigator.language];
  return loadLocale() ?? detectLocale(languages);
}

/**
 * The user-side demo chat: characters, streaming replies, and every compliance directive shown — built on
 * `@companion-guard/react` (`useCompanionChat` and the directive views), as an app would.
 */
export function App() {
  const api = useMemo(() => createApiClient(), []);
  const [user] = useState(loadOrCreateUserId);
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const [characters, setCharacters] = useState<readonly Character[] | null>(null);
  const [charactersFailed, setCharactersFailed] = useState(false);
  const [characterId, setCharacterId] = useState<string | null>(null);
  const [initialSession] = useState(loadSessionId);
  const [input, setInput] = useState('');
  const [copied, setCopied] = useState(false);
  const [pageError, setPageError] = useState<string | null>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const endRef = useRef<HTMLDivElement>(null);
  const chat = useCompanionChat({
    user,
    model: 'demo',
    characterId,
    locale,
    sessionId: initialSession,
    onSessionId: saveSessionId,
  });
  const { messages, session, busy } = chat;

  const t = (key: MessageKey, values?: Record<string, string>) => translate(locale, key, values);
  const streaming = busy === 'sending';
  const working = busy === 'exit' || busy === 'new';
  const ended = session.ended;
  const modalOpen = chat.directives.some(
    (e) => e.directive.type === 'ai-disclosure' || e.directive.display === 'popup',
  );

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
    if (messages.length > 0) endRef.current?.scrollIntoView({ block: 'end' });
  }, [messages]);

  // Back to the message box once the last pop-up is acknowledged.
  const hadModal = useRef(false);
  useEffect(() => {
    if (hadModal.current && !modalOpen) inputRef.current?.focus();
    hadModal.current = modalOpen;
  }, [modalOpen]);

  function send(): void {
    if (input.trim() === '' || busy !== null || ended) return;
    void chat.send(input);
    setInput('');
  }

  async function startNewChat(nextCharacterId: string | null = characterId): Promise<void> {
    await chat.newChat(nextCharacterId);
    inputRef.current?.focus();
  }

  function changeCharacter(id: string): void {
    setCharacterId(id);
    // A conversation belongs to one character: switching mid-chat starts a new one.
    if (messages.length > 0) void startNewChat(id);
  }

  /** DISC-5: the copy keeps the visible label and content ID of every AI reply. */
  async function copyConversation(): Promise<void> {
    const lines = messages.flatMap((item) => {
      if (item.kind === 'user') return [`${t('you')}: ${item.text}`];
      if (item.kind !== 'assistant') return [];
      const label = item.label ? `\n[${item.label.text} · ${item.label.content_id}]` : '';
      return [`${senderOf(item)}: ${item.text}${label}`];
    });
    try {
      await navigator.clipboard.writeText(lines.join('\n\n'));
      setCopied(true);
    } catch {
      setPageError(t('errorPrefix'));
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
      setPageError(
        error instanceof ApiError && error.code === 'network_error'
          ? t('errorNetwork')
          : `${t('errorPrefix')} ${error instanceof Error ? error.message : ''}`,
      );
    }
  }

  function toggleLocale(): void {
    const next: Locale = locale === 'zh' ? 'en' : 'zh';
    setLocale(next);
    saveLocale(next);
  }

  function onSubmit(event: FormEvent): void {
    event.preventDefault();
    send();
  }

  function onInputKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): void {
    // Enter sends, Shift+Enter breaks the line; never send while an IME is composing Chinese.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  const character = characters?.find((c) => c.id === characterId) ?? null;
  const characterName = character ? character.name[locale] : t('assistant');
  const senderOf = (item: Extract<ChatMessage, { kind: 'assistant' }>) =>
    item.author === 'human' ? t('staff') : item.author === 'system' ? t('system') : characterName;
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
              disabled={characters === null || working}
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
            disabled={messages.length === 0}
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
            disabled={working}
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
            disabled={session.id === null || ended || working}
            onClick={() => void chat.exit()}
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

      {/* Banners sit outside the scrolling conversation, so a crisis card stays in view until closed; the
          pop-ups (the AI notice first) are modals over the page. */}
      <div className="directives">
        <ComplianceDirectives
          directives={chat.directives}
          locale={locale}
          onDismiss={chat.dismiss}
          onEndChat={() => void chat.exit()}
          onAppeal={chat.appeal}
        />
      </div>

      <main className="conversation" aria-live="polite">
        {charactersFailed && <div className="note note-warning">{t('charactersFailed')}</div>}
        {pageError && (
          <div className="note note-error" role="alert" data-testid="error-message">
            {pageError}
          </div>
        )}

        {messages.length === 0 && !ended && (
          <div className="empty">
            <p className="empty-title">{t('emptyTitle', { name: characterName })}</p>
            <p className="empty-hint">{t('emptyHint')}</p>
          </div>
        )}

        {messages.map((item) => {
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
                  className={`message assistant${item.finishReason === 'content_filter' ? ' filtered' : ''}${item.author === 'human' ? ' human' : ''}`}
                  data-testid="assistant-message"
                  data-author={item.author ?? 'ai'}
                  data-streaming={item.streaming ? 'true' : 'false'}
                  data-finish={item.finishReason ?? ''}
                >
                  <div className="sender">{senderOf(item)}</div>
                  <div className="bubble">
                    <span data-testid="message-text">{item.text}</span>
                    {item.streaming && <span className="cursor" aria-hidden="true" />}
                  </div>
                  {item.stopped && <div className="message-meta">{t('stopped')}</div>}
                  {item.label && (
                    <div
                      className="ai-label"
                      data-testid="ai-label"
                      data-content-id={item.label.content_id}
                      title={t('contentId', { id: item.label.content_id })}
                    >
                      {item.label.text}
                    </div>
                  )}
                </div>
              );
            case 'directive':
              return <DirectiveNote key={item.key} directive={item.directive} locale={locale} />;
            case 'error':
              return (
                <div key={item.key} className="note note-error" role="alert" data-testid="error-message">
                  {item.error.code === 'network-error'
                    ? t('errorNetwork')
                    : `${t('errorPrefix')} ${item.error.message}`}
                  {item.error.code !== 'network-error' && (
                    <span className="error-code">{t('errorCode', { code: item.error.code })}</span>
                  )}
                </div>
              );
            default:
              return null;
          }
        })}

        {ended && (
          <SessionEndedCard
            directive={session.endedNotice}
            locale={locale}
            busy={working}
            onNewChat={() => void startNewChat()}
          />
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
          disabled={ended || working}
          onChange={(event) => setInput(event.target.value)}
          onKeyDown={onInputKeyDown}
        />
        {streaming ? (
          <button type="button" className="button ghost send" data-testid="stop-button" onClick={chat.abort}>
            {t('stop')}
          </button>
        ) : (
          <button
            type="submit"
            className="button primary send"
            data-testid="send-button"
            disabled={ended || busy !== null || input.trim() === ''}
          >
            {t('send')}
          </button>
        )}
      </form>
      <footer className="footer">{t('footer')}</footer>
    </div>
  );
}
