/**
 * Lexicon format and parser.
 *
 * A lexicon is UTF-8 text, one entry per line, fields separated by TAB:
 *
 * ```
 * term <TAB> category <TAB> tier <TAB> lang [<TAB> flags]
 * ```
 *
 * - `term`: the phrase, written naturally (it is normalized like the text: case, width, traditional
 *   characters, separators…). `A…B` (or `A...B`) matches `A`, then `B` within a few characters in the
 *   same sentence (4 Han characters / 24 Latin characters; `gap=N` overrides).
 * - `category`: a detector-specific category (e.g. `suicide`, `gambling`); letters, digits, `-`, `_`, `/`.
 * - `tier`: `0`, `1` or `2` (severity), or `allow` for an allow-list phrase: a hit inside an allow phrase
 *   of the same lexicon is cancelled (category `*` cancels every category, otherwise only that one).
 * - `lang`: `zh`, `en` or `*`.
 * - `flags` (optional, comma-separated): `py` also match the pinyin spelling, initials and homophones of a
 *   Chinese term; `prefix` Latin term matches at a word start (`suicid` → "suicidal"); `sub` Latin term
 *   matches anywhere; `neg` the term carries its own negation (skip negation checks); `gap=N`; `conf=0.N`.
 *
 * Empty lines and lines starting with `#` are ignored. Deployments add files in this format without code.
 */
import { CgError } from '../errors.js';
import type { Lang } from '../types.js';

/** One parsed lexicon line. */
export interface LexiconEntry {
  readonly term: string;
  readonly category: string;
  readonly tier: 0 | 1 | 2;
  readonly lang: Lang | '*';
  /** Allow-list phrase: cancels shorter hits inside it. */
  readonly allow: boolean;
  readonly pinyin: boolean;
  readonly prefix: boolean;
  readonly sub: boolean;
  readonly neg: boolean;
  /** Maximum gap in normalized characters between `…`-separated parts, or -1 for the default. */
  readonly gap: number;
  /** 0..1, default 0.9 (0.8 for gapped terms). */
  readonly confidence: number;
  /** Lexicon name and 1-based line, for diagnostics. */
  readonly source: string;
}

/** A named lexicon. */
export interface Lexicon {
  readonly name: string;
  readonly entries: readonly LexiconEntry[];
}

const CATEGORY_RE = /^(\*|[A-Za-z0-9][A-Za-z0-9_/-]*)$/;
const KNOWN_FLAGS = new Set(['py', 'prefix', 'sub', 'neg']);

/** Parses lexicon text. Throws `CgError('invalid-lexicon')` naming the lexicon and line of the first bad line. */
export function parseLexicon(text: string, name: string): LexiconEntry[] {
  const entries: LexiconEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const where = `${name}:${i + 1}`;
    const fields = raw.split('\t').map((f) => f.trim());
    if (fields.length < 4 || fields.length > 5) {
      throw new CgError(
        'invalid-lexicon',
        `${where}: expected 4 or 5 tab-separated fields, got ${fields.length}`,
      );
    }
    const [term = '', category = '', tierField = '', langField = '', flagField = ''] = fields;
    if (term === '') throw new CgError('invalid-lexicon', `${where}: empty term`);
    if (term.length > 200) throw new CgError('invalid-lexicon', `${where}: term longer than 200 characters`);
    if (!CATEGORY_RE.test(category)) throw new CgError('invalid-lexicon', `${where}: invalid category`);
    let tier: 0 | 1 | 2 = 0;
    let allow = false;
    if (tierField === 'allow') allow = true;
    else if (tierField === '0' || tierField === '1' || tierField === '2')
      tier = Number(tierField) as 0 | 1 | 2;
    else throw new CgError('invalid-lexicon', `${where}: tier must be 0, 1, 2 or allow`);
    if (category === '*' && !allow)
      throw new CgError('invalid-lexicon', `${where}: category * is for allow lines`);
    if (langField !== 'zh' && langField !== 'en' && langField !== '*') {
      throw new CgError('invalid-lexicon', `${where}: lang must be zh, en or *`);
    }
    let pinyin = false;
    let prefix = false;
    let sub = false;
    let neg = false;
    let gap = -1;
    let confidence = -1;
    if (flagField !== '') {
      for (const flag of flagField.split(',')) {
        const f = flag.trim();
        if (f === '') continue;
        if (f.startsWith('gap=')) {
          gap = Number(f.slice(4));
          if (!Number.isInteger(gap) || gap < 0 || gap > 100) {
            throw new CgError('invalid-lexicon', `${where}: gap must be an integer 0..100`);
          }
        } else if (f.startsWith('conf=')) {
          confidence = Number(f.slice(5));
          if (!(confidence > 0 && confidence <= 1)) {
            throw new CgError('invalid-lexicon', `${where}: conf must be in (0, 1]`);
          }
        } else if (KNOWN_FLAGS.has(f)) {
          if (f === 'py') pinyin = true;
          else if (f === 'prefix') prefix = true;
          else if (f === 'sub') sub = true;
          else neg = true;
        } else throw new CgError('invalid-lexicon', `${where}: unknown flag`);
      }
    }
    const gapped = term.includes('…') || term.includes('...');
    entries.push({
      term,
      category,
      tier,
      lang: langField,
      allow,
      pinyin,
      prefix,
      sub,
      neg,
      gap,
      confidence: confidence > 0 ? confidence : gapped ? 0.8 : 0.9,
      source: where,
    });
  }
  return entries;
}

/** Splits a gapped term into its parts (`A…B` → [A, B]). */
export function termParts(term: string): string[] {
  return term
    .split(/…|\.\.\./)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}
