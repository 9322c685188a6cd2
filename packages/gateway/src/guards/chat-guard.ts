import type { DetectorName, Opinion, SecondOpinion } from '@companion-guard/core';
import { type GuardHttpOptions, isRecord, postGuardJson } from './guard-http.js';

/** Answer format of the guard model. `auto` recognises both. */
export type ChatGuardFormat = 'qwen3guard' | 'llama-guard' | 'auto';

export interface ChatGuardOptions extends GuardHttpOptions {
  /** Model name the server serves, e.g. `Qwen/Qwen3Guard-Gen-0.6B` or `meta-llama/Llama-Guard-3-1B`. */
  readonly model: string;
  readonly format?: ChatGuardFormat;
  /** Name in rule ids and audit records (default `qwen3guard` / `llama-guard` / `chat-guard`). */
  readonly name?: string;
  /** Qwen3Guard's third verdict: count `Controversial` as unsafe (default) or safe. */
  readonly controversial?: 'unsafe' | 'safe';
  /** Which guard category backs which detector (default: suicide / self-harm → crisis, the rest → prohibited). */
  readonly categoryDetector?: (category: string) => DetectorName;
}

/** A parsed guard answer. */
export interface GuardVerdict {
  readonly verdict: 'safe' | 'unsafe' | 'controversial';
  readonly categories: readonly string[];
}

/** Default mapping: Qwen3Guard `Suicide & Self-Harm` and Llama Guard `S11` back `crisis`; the rest `prohibited`. */
export function chatGuardCategoryDetector(category: string): DetectorName {
  return /^s11$|suicide|self[- ]?harm/i.test(category.trim()) ? 'crisis' : 'prohibited';
}

/**
 * Parses a guard model's reply. Qwen3Guard: `Safety: Safe|Unsafe|Controversial` and an optional
 * `Categories: A, B` line. Llama Guard: first line `safe` or `unsafe`, then a line of codes `S1,S11`.
 * Returns `undefined` when the reply is in neither format.
 *
 * @example
 * parseGuardReply('Safety: Unsafe\nCategories: Suicide & Self-Harm', 'auto')
 * // → { verdict: 'unsafe', categories: ['Suicide & Self-Harm'] }
 * parseGuardReply('unsafe\nS1,S11', 'auto') // → { verdict: 'unsafe', categories: ['S1', 'S11'] }
 */
export function parseGuardReply(reply: string, format: ChatGuardFormat): GuardVerdict | undefined {
  const text = reply.trim();
  if (format !== 'llama-guard') {
    const safety = /^\s*safety\s*:\s*(safe|unsafe|controversial)\b/im.exec(text);
    if (safety?.[1]) {
      const cats = /^\s*categories\s*:\s*(.*)$/im.exec(text)?.[1] ?? '';
      const categories = cats
        .split(/[,，]/)
        .map((c) => c.trim())
        .filter((c) => c.length > 0 && c.toLowerCase() !== 'none');
      return { verdict: safety[1].toLowerCase() as GuardVerdict['verdict'], categories };
    }
    if (format === 'qwen3guard') return undefined;
  }
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const first = lines[0]?.toLowerCase();
  if (first === 'safe') return { verdict: 'safe', categories: [] };
  if (first === 'unsafe') {
    const categories = (lines[1] ?? '')
      .split(/[,\s]+/)
      .map((c) => c.trim().toUpperCase())
      .filter((c) => /^S\d+$/.test(c));
    return { verdict: 'unsafe', categories };
  }
  return undefined;
}

const FAILED: Opinion = { label: 'safe', categories: [], score: 0, status: 'error' };

/**
 * A second opinion from a guard model behind an OpenAI-compatible chat endpoint (vLLM, Ollama, SGLang…):
 * `POST {baseUrl}/chat/completions`, greedy, reading `choices[0].message.content`. Input is sent as the user
 * turn; output as the assistant turn after an empty user turn (response moderation). For a given detector
 * the answer is `unsafe` when the verdict is unsafe and a category backs that detector (or no category was
 * given); an unparseable reply is `error`.
 */
export function createChatGuard(options: ChatGuardOptions): SecondOpinion {
  const format = options.format ?? 'auto';
  const toDetector = options.categoryDetector ?? chatGuardCategoryDetector;
  const defaultName =
    format === 'qwen3guard' ? 'qwen3guard' : format === 'llama-guard' ? 'llama-guard' : 'chat-guard';
  return {
    name: options.name ?? defaultName,
    detectors: ['crisis', 'prohibited'],
    async classify(text, request): Promise<Opinion> {
      const messages =
        request.side === 'input'
          ? [{ role: 'user', content: text }]
          : [
              { role: 'user', content: '' },
              { role: 'assistant', content: text },
            ];
      const res = await postGuardJson(
        options,
        'chat/completions',
        { model: options.model, messages, temperature: 0, max_tokens: 64, stream: false },
        request.signal,
      );
      if (!res.ok) return { ...FAILED, status: res.status };
      const choice = isRecord(res.body) && Array.isArray(res.body.choices) ? res.body.choices[0] : undefined;
      const message = isRecord(choice) ? choice.message : undefined;
      const content = isRecord(message) && typeof message.content === 'string' ? message.content : undefined;
      const parsed = content === undefined ? undefined : parseGuardReply(content, format);
      if (parsed === undefined) return FAILED;
      const relevant =
        request.detector === undefined
          ? parsed.categories
          : parsed.categories.filter((c) => toDetector(c) === request.detector);
      const flagged =
        parsed.verdict === 'unsafe' ||
        (parsed.verdict === 'controversial' && options.controversial !== 'safe');
      // A verdict with no category at all is taken for any detector; with categories, only matching ones count.
      const unsafe = flagged && (parsed.categories.length === 0 || relevant.length > 0);
      const score = parsed.verdict === 'unsafe' ? 1 : parsed.verdict === 'controversial' ? 0.5 : 0;
      return {
        label: unsafe ? 'unsafe' : 'safe',
        categories: relevant,
        score: unsafe ? score : 0,
        status: 'ok',
      };
    },
  };
}
