import type { DetectorName, Opinion, SecondOpinion } from '@companion-guard/core';
import { type GuardHttpOptions, isRecord, postGuardJson } from './guard-http.js';

export interface PolicyGuardOptions extends GuardHttpOptions {
  /** Model name the server serves, e.g. `openai/gpt-oss-safeguard-20b`. */
  readonly model: string;
  /** The written policy per detector it backs (the deployment's text, sent as the system message). */
  readonly policies: Readonly<Partial<Record<DetectorName, string>>>;
  /** Name in rule ids and audit records (default `gpt-oss-safeguard`). */
  readonly name?: string;
  /** Sent as `reasoning_effort` (gpt-oss reasoning models: `low` is fastest), when set. */
  readonly reasoningEffort?: 'low' | 'medium' | 'high';
  /** Upper bound of the answer, reasoning included (default 1024). */
  readonly maxTokens?: number;
}

/** A parsed policy verdict. */
export interface PolicyVerdict {
  readonly violation: boolean;
  readonly categories: readonly string[];
}

const TRUE_WORD = /^(?:1|violates|violation|violating|unsafe|true)\b/i;
const FALSE_WORD =
  /^(?:0|safe|non[- ]?violating|no[- ]violation|does not violate|allowed|compliant|false)\b/i;

function categoriesOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((c): c is string => typeof c === 'string' && c.trim() !== '').map((c) => c.trim());
}

function jsonVerdict(text: string): PolicyVerdict | undefined {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end < start) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(start, end + 1));
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  const v = parsed.violation;
  const violation =
    v === 1 || v === true || v === '1' || v === 'true'
      ? true
      : v === 0 || v === false || v === '0' || v === 'false'
        ? false
        : undefined;
  if (violation === undefined) return undefined;
  const categories = categoriesOf(parsed.category ?? parsed.policy_category ?? parsed.categories);
  return { violation, categories: violation ? categories : [] };
}

function wordVerdict(line: string): PolicyVerdict | undefined {
  const plain = line.replace(/^[\s*`"'#>[\]-]+/, '').trim();
  if (FALSE_WORD.test(plain)) return { violation: false, categories: [] };
  if (!TRUE_WORD.test(plain)) return undefined;
  const rest = /[:：]\s*(.+)$/.exec(plain)?.[1] ?? '';
  return { violation: true, categories: categoriesOf(rest.split(/[,，]/)) };
}

/**
 * Parses a policy model's answer in the forms gpt-oss-safeguard's guide suggests a policy ask for: a JSON
 * object with `violation` (0/1 or a boolean) and an optional `category` / `policy_category` (a string or a
 * list); or a plain label: `1`/`0`, `VIOLATES`/`SAFE` (optionally `VIOLATES: category`). The JSON object may
 * sit inside other text or a code fence; a plain label is read from the first line, then the last.
 * Returns `undefined` for anything else.
 *
 * @example
 * parsePolicyVerdict('{"violation":1,"category":"terrorism"}') // → { violation: true, categories: ['terrorism'] }
 * parsePolicyVerdict('0') // → { violation: false, categories: [] }
 */
export function parsePolicyVerdict(reply: string): PolicyVerdict | undefined {
  const text = reply.trim();
  if (text === '') return undefined;
  const json = jsonVerdict(text);
  if (json) return json;
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return wordVerdict(lines[0] ?? '') ?? wordVerdict(lines[lines.length - 1] ?? '');
}

const FAILED: Opinion = { label: 'safe', categories: [], score: 0, status: 'error' };

/**
 * A bring-your-own-policy second opinion (gpt-oss-safeguard, or any model that classifies by a written
 * policy) behind an OpenAI-compatible chat endpoint: `POST {baseUrl}/chat/completions` with the detector's
 * policy as the system message and the text to classify as the user message (both sides: the policy says
 * what it judges), reading `choices[0].message.content` (`parsePolicyVerdict`). It backs exactly the
 * detectors it has a policy for; asked without a detector, every policy is asked and any violation counts.
 * An unparseable answer is `error`, so the profile's failure mode decides.
 */
export function createPolicyGuard(options: PolicyGuardOptions): SecondOpinion {
  const detectors = (Object.keys(options.policies) as DetectorName[]).filter(
    (d) => (options.policies[d] ?? '').trim() !== '',
  );
  const ask = async (
    policy: string,
    text: string,
    signal: Parameters<SecondOpinion['classify']>[1]['signal'],
  ): Promise<Opinion> => {
    const body = {
      model: options.model,
      messages: [
        { role: 'system', content: policy },
        { role: 'user', content: text },
      ],
      temperature: 0,
      max_tokens: options.maxTokens ?? 1024,
      stream: false,
      ...(options.reasoningEffort ? { reasoning_effort: options.reasoningEffort } : {}),
    };
    const res = await postGuardJson(options, 'chat/completions', body, signal);
    if (!res.ok) return { ...FAILED, status: res.status };
    const choice = isRecord(res.body) && Array.isArray(res.body.choices) ? res.body.choices[0] : undefined;
    const message = isRecord(choice) ? choice.message : undefined;
    const content = isRecord(message) && typeof message.content === 'string' ? message.content : undefined;
    const verdict = content === undefined ? undefined : parsePolicyVerdict(content);
    if (verdict === undefined) return FAILED;
    return verdict.violation
      ? { label: 'unsafe', categories: verdict.categories, score: 1, status: 'ok' }
      : { label: 'safe', categories: [], score: 0, status: 'ok' };
  };
  return {
    name: options.name ?? 'gpt-oss-safeguard',
    detectors,
    async classify(text, request): Promise<Opinion> {
      const asked = request.detector === undefined ? detectors : [request.detector];
      const answers = await Promise.all(
        asked.map((d) => {
          const policy = options.policies[d];
          return policy && policy.trim() !== ''
            ? ask(policy, text, request.signal)
            : Promise.resolve<Opinion>({ label: 'safe', categories: [], score: 0, status: 'ok' });
        }),
      );
      const failed = answers.find((a) => a.status !== 'ok');
      if (failed) return failed;
      const unsafe = answers.filter((a) => a.label === 'unsafe');
      return unsafe.length > 0
        ? { label: 'unsafe', categories: unsafe.flatMap((a) => a.categories), score: 1, status: 'ok' }
        : { label: 'safe', categories: [], score: 0, status: 'ok' };
    },
  };
}
