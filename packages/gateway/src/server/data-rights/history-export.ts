import { createHash } from 'node:crypto';
import type { HistoryMessage, Locale, Profile } from '@companion-guard/core';

/**
 * The implicit label of GB 45438 (DISC-5): the `AIGC` metadata of AI-generated content. `Label` '1' marks
 * AI-generated content; `ReservedCode1` carries the SHA-256 of the content (integrity), `ReservedCode2` is
 * unused.
 */
export interface AigcMetadata {
  readonly Label: '1';
  readonly ContentProducer: string;
  readonly ProduceID: string;
  readonly ReservedCode1: string;
  readonly ContentPropagator: string;
  readonly PropagateID: string;
  readonly ReservedCode2: string;
}

/** One message of a copy: assistant messages the model wrote carry the visible label and `AIGC`. */
export interface ExportedMessage {
  readonly id: string;
  readonly session_id: string;
  readonly character_id: string;
  readonly role: string;
  /** `user`, `ai` (the model), `human` (an operator) or `system` (a fixed text of the gateway). */
  readonly author: string;
  readonly status: string;
  readonly created_at: string;
  readonly content: string;
  readonly content_id: string;
  readonly label?: string;
  readonly AIGC?: AigcMetadata;
}

/** A user's copy of their history (DATA-3), JSON as `GET /v1/users/{user}/export?format=json` returns it. */
export interface HistoryExport {
  readonly type: 'companion-guard/history-export';
  readonly version: 1;
  readonly export_id: string;
  readonly user: string;
  readonly exported_at: string;
  readonly locale: Locale;
  /** The visible label every AI-generated message carries. */
  readonly label: string;
  /** The copy as a whole: it contains AI-generated content. */
  readonly AIGC: AigcMetadata;
  readonly messages: readonly ExportedMessage[];
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Builds a user's copy: every message, the model's with the explicit label, the content ID and the `AIGC`
 * metadata (DISC-5); operator and gateway texts are marked by author and carry no AI label (they are not AI
 * output).
 */
export function buildHistoryExport(options: {
  readonly externalUserId: string;
  readonly locale: Locale;
  readonly messages: readonly HistoryMessage[];
  readonly profile: Profile;
  readonly exportId: string;
  readonly at: number;
}): HistoryExport {
  const { profile, exportId } = options;
  const label = profile.texts.label[options.locale];
  const aigc = (produceId: string, reserved: string): AigcMetadata => ({
    Label: '1',
    ContentProducer: profile.dataRights.aigcProducer,
    ProduceID: produceId,
    ReservedCode1: reserved,
    ContentPropagator: profile.dataRights.aigcPropagator,
    PropagateID: exportId,
    ReservedCode2: '',
  });
  return {
    type: 'companion-guard/history-export',
    version: 1,
    export_id: exportId,
    user: options.externalUserId,
    exported_at: new Date(options.at).toISOString(),
    locale: options.locale,
    label,
    AIGC: aigc(exportId, ''),
    messages: options.messages.map((m) => {
      const base = {
        id: m.id,
        session_id: m.sessionId,
        character_id: m.characterId,
        role: m.role,
        author: m.author,
        status: m.status,
        created_at: new Date(m.createdAt).toISOString(),
        content: m.content,
        content_id: m.contentId,
      };
      return m.role === 'assistant' && m.author === 'ai'
        ? { ...base, label, AIGC: aigc(m.contentId, sha256(m.content)) }
        : base;
    }),
  };
}

const escapes: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c] ?? c);
}

const headings: Readonly<Record<Locale, { title: string; user: string; exported: string }>> = {
  zh: { title: '我的对话记录', user: '用户', exported: '导出时间' },
  en: { title: 'My conversation history', user: 'User', exported: 'Exported at' },
};

/**
 * The same copy as a standalone HTML page: the file's `AIGC` metadata in `<meta name="AIGC">`, each AI
 * message with its visible label, content ID and `data-aigc`. Everything from the store is escaped.
 */
export function renderHistoryHtml(doc: HistoryExport): string {
  const h = headings[doc.locale];
  const json = (value: unknown) => escapeHtml(JSON.stringify(value));
  const messages = doc.messages.map((m) => {
    const aigc = m.AIGC ? ` data-aigc="${json(m.AIGC)}"` : '';
    const label = m.label
      ? `<p class="ai-label">${escapeHtml(m.label)} · ${escapeHtml(m.content_id)}</p>`
      : '';
    return (
      `<article class="message ${escapeHtml(m.role)}" data-author="${escapeHtml(m.author)}" ` +
      `data-content-id="${escapeHtml(m.content_id)}"${aigc}>` +
      `<header>${escapeHtml(m.author)} · ${escapeHtml(m.character_id)} · <time>${escapeHtml(m.created_at)}</time></header>` +
      `${label}<div class="content">${escapeHtml(m.content)}</div></article>`
    );
  });
  return [
    '<!doctype html>',
    `<html lang="${doc.locale === 'zh' ? 'zh-CN' : 'en'}">`,
    '<head><meta charset="utf-8">',
    `<meta name="AIGC" content="${json(doc.AIGC)}">`,
    `<meta name="ai-label" content="${escapeHtml(doc.label)}">`,
    `<title>${escapeHtml(h.title)}</title>`,
    '<style>body{font-family:sans-serif;max-width:48rem;margin:auto;padding:1rem}' +
      '.message{border-bottom:1px solid #ddd;padding:.5rem 0}.ai-label{color:#555;font-size:.85em}' +
      '.content{white-space:pre-wrap}</style>',
    '</head><body>',
    `<h1>${escapeHtml(h.title)}</h1>`,
    `<p>${escapeHtml(h.user)}: ${escapeHtml(doc.user)} · ${escapeHtml(h.exported)}: ${escapeHtml(doc.exported_at)}</p>`,
    ...messages,
    '</body></html>',
    '',
  ].join('\n');
}
