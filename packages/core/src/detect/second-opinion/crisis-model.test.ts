import { describe, expect, it } from 'vitest';
import { runDetectorsWithModel } from './crisis-decision.js';
import {
  builtInCrisisModel,
  type CrisisModel,
  crisisLogit,
  crisisThresholdsFor,
  decodeBase64,
  hasCjk,
  loadCrisisModel,
  scoreCrisis,
} from './crisis-model.js';
import {
  checkFeatureSpec,
  collectFeatures,
  type FeatureSpec,
  featureFingerprint,
  foldForModel,
  sumFeatureWeights,
} from './features.js';

const ZH_LIKE: FeatureSpec = { charMin: 1, charMax: 4, wordMax: 2 };
const EN_LIKE: FeatureSpec = { charMin: 3, charMax: 5, wordMax: 2 };

const crisis = [
  '我真的不想活了，活着太痛苦了',
  '我已经准备好安眠药了，今晚就结束',
  '我又用刀片割了自己',
  '活着没有意义，我想去死',
  'I want to kill myself',
  "I don't want to be alive anymore, I'm going to end it",
  'I have been cutting myself every night',
];
const benign = [
  '今天天气真好，我们去公园散步吧',
  '这家餐厅的牛肉面很好吃',
  '笑死我了，这只猫太可爱了',
  '想死你了，下周见！',
  '周末我们一起去图书馆复习吧',
  'How do I kill a Python process that hangs?',
  "Let's grab coffee tomorrow morning",
  "I'm dying to see the new season of that show",
  'Can you recommend a good book about gardening?',
];

describe('crisis model (built-in weights)', () => {
  it.each(crisis)('scores a crisis disclosure at least in the unsure band: %s', (text) => {
    expect(scoreCrisis(text)).toBeGreaterThanOrEqual(crisisThresholdsFor(text).low);
  });

  it.each(benign)('scores everyday text and idioms below the threshold: %s', (text) => {
    expect(scoreCrisis(text)).toBeLessThan(crisisThresholdsFor(text).threshold);
  });

  it('is deterministic and bounded', () => {
    for (const text of [...crisis, ...benign]) {
      const a = scoreCrisis(text);
      expect(scoreCrisis(text)).toBe(a);
      expect(a).toBeGreaterThan(0);
      expect(a).toBeLessThan(1);
    }
  });

  it('ignores separators inserted between Chinese characters, width and case', () => {
    expect(scoreCrisis('我 不 想 活 了')).toBe(scoreCrisis('我不想活了'));
    expect(scoreCrisis('我/不.想*活了')).toBe(scoreCrisis('我不想活了'));
    expect(scoreCrisis('I WANT TO DIE')).toBe(scoreCrisis('i want to die'));
    expect(scoreCrisis('ｉ ｗａｎｔ ｔｏ ｄｉｅ')).toBe(scoreCrisis('i want to die'));
  });

  it('picks thresholds by script', () => {
    const m = builtInCrisisModel();
    expect(hasCjk('我很好')).toBe(true);
    expect(hasCjk('I am fine')).toBe(false);
    expect(crisisThresholdsFor('我很好')).toBe(m.zh.thresholds);
    expect(crisisThresholdsFor('I am fine')).toBe(m.en.thresholds);
    expect(crisisThresholdsFor('I am fine', m, 'zh')).toBe(m.zh.thresholds);
    expect(scoreCrisis('I am fine', m, 'zh')).not.toBe(scoreCrisis('I am fine', m, 'en'));
    for (const t of [m.zh.thresholds, m.en.thresholds]) {
      expect(t.low).toBeLessThan(t.threshold);
      expect(t.threshold).toBeLessThan(t.high);
    }
  });

  it('returns the bias for empty text', () => {
    expect(crisisLogit('')).toBe(builtInCrisisModel().en.bias);
    expect(crisisLogit('。。。')).toBe(builtInCrisisModel().en.bias);
    expect(crisisLogit('。。。', builtInCrisisModel(), 'zh')).toBe(builtInCrisisModel().zh.bias);
  });
});

describe('crisis model arithmetic', () => {
  const thresholds = { low: 0.2, threshold: 0.5, high: 0.8 };
  const lang = (value: number, bias: number, scale: number, features: FeatureSpec) => ({
    bits: 4,
    bias,
    scale,
    weights: new Int8Array(16).fill(value),
    features,
    thresholds,
  });
  const uniform = (value: number, bias: number, scale: number): CrisisModel => ({
    zh: lang(value, bias, scale, ZH_LIKE),
    en: lang(value, bias + 1, scale, EN_LIKE),
  });

  it('logit = bias + scale * sum(weights) / sqrt(n), with the model of the script of the text', () => {
    const n = collectFeatures(foldForModel('ab'), EN_LIKE, 4, () => {});
    expect(crisisLogit('ab', uniform(2, 0.5, 0.25))).toBeCloseTo(1.5 + (0.25 * 2 * n) / Math.sqrt(n), 10);
    const nz = collectFeatures(foldForModel('我想'), ZH_LIKE, 4, () => {});
    expect(crisisLogit('我想', uniform(2, 0.5, 0.25))).toBeCloseTo(0.5 + (0.25 * 2 * nz) / Math.sqrt(nz), 10);
    expect(scoreCrisis('ab', uniform(0, -1, 1))).toBe(0.5);
  });

  it('counts char n-grams of the spec and word 1-2 grams', () => {
    // "ab" padded with markers: unigrams 2, bigrams 3, trigrams 2, 4-grams 1; one word unigram.
    expect(collectFeatures('ab', ZH_LIKE, 10, () => {})).toBe(2 + 3 + 2 + 1 + 1);
    // "a b": 3 chars → 3 + 4 + 3 + 2 char grams, 2 word unigrams + 1 bigram.
    expect(collectFeatures('a b', ZH_LIKE, 10, () => {})).toBe(3 + 4 + 3 + 2 + 3);
    // char 3-5 grams of "a b" (5 padded units): 3 + 2 + 1; words 2 + 1.
    expect(collectFeatures('a b', EN_LIKE, 10, () => {})).toBe(3 + 2 + 1 + 3);
    expect(collectFeatures('a b', { charMin: 2, charMax: 2, wordMax: 1 }, 10, () => {})).toBe(4 + 2);
    const seen: number[] = [];
    collectFeatures('我想', ZH_LIKE, 6, (b) => seen.push(b));
    expect(seen.every((b) => b >= 0 && b < 64)).toBe(true);
  });

  it('rejects unsupported feature specs', () => {
    expect(() => checkFeatureSpec({ charMin: 0, charMax: 3, wordMax: 2 })).toThrow(/unsupported/);
    expect(() => checkFeatureSpec({ charMin: 4, charMax: 3, wordMax: 2 })).toThrow(/unsupported/);
    expect(() => checkFeatureSpec({ charMin: 1, charMax: 9, wordMax: 2 })).toThrow(/unsupported/);
    expect(() => checkFeatureSpec(EN_LIKE)).not.toThrow();
  });

  it('the inlined sum equals the sum over collectFeatures', () => {
    // Deterministic pseudo-random weights (LCG).
    const weights = new Int8Array(1 << 12);
    let x = 12345;
    for (let i = 0; i < weights.length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      weights[i] = ((x >>> 16) % 255) - 127;
    }
    const texts = [
      '',
      'a',
      'ab',
      "I don't want to go on",
      '我不想活了',
      'mixed 中文 and English 123',
      '𠀀𠀁 rare 字',
    ];
    const specs: FeatureSpec[] = [
      ZH_LIKE,
      EN_LIKE,
      { charMin: 1, charMax: 8, wordMax: 0 },
      { charMin: 2, charMax: 3, wordMax: 1 },
    ];
    for (const spec of specs) {
      for (const text of texts) {
        const folded = foldForModel(text);
        let sum = 0;
        const n = collectFeatures(folded, spec, 12, (b) => {
          sum += weights[b] ?? 0;
        });
        expect(sumFeatureWeights(folded, spec, 12, weights)).toEqual({ sum, n });
      }
    }
  });

  it('folds text for the model', () => {
    expect(foldForModel('  Hello,   WORLD!! ')).toBe('hello world');
    expect(foldForModel('我 · 不想')).toBe('我不想');
    expect(foldForModel('我想hello你')).toBe('我想 hello 你');
  });

  const langData = (bits: number, weights: string, features: FeatureSpec = EN_LIKE) => ({
    bits,
    bias: 0,
    scale: 1,
    weights,
    features,
    fingerprint: featureFingerprint(bits, features),
    thresholds,
  });

  it('decodes base64 and checks the weight count', () => {
    expect([...decodeBase64('AQL/')]).toEqual([1, 2, 255]);
    expect([...decodeBase64('AQI=')]).toEqual([1, 2]);
    expect(() => decodeBase64('A*==')).toThrow();
    const ok = langData(2, 'AQL/fw==');
    const data = { version: 2 as const, zh: langData(2, 'AQL/fw==', ZH_LIKE), en: ok, meta: {} };
    expect(loadCrisisModel(data).en.weights[2]).toBe(-1);
    expect(() => loadCrisisModel({ ...data, en: langData(2, 'AQI=') })).toThrow(/\(en\): expected 4/);
    expect(() => loadCrisisModel({ ...data, version: 1 } as never)).toThrow(/version/);
  });

  it('refuses weights trained with another feature function or spec', () => {
    const ok = langData(2, 'AQL/fw==');
    const data = { version: 2 as const, zh: ok, en: ok, meta: {} };
    expect(() => loadCrisisModel({ ...data, zh: { ...ok, fingerprint: ok.fingerprint ^ 1 } })).toThrow(
      /\(zh\).*retrain/,
    );
    expect(() => loadCrisisModel({ ...data, en: { ...ok, features: ZH_LIKE } })).toThrow(/retrain/);
    expect(featureFingerprint(2, EN_LIKE)).not.toBe(featureFingerprint(3, EN_LIKE));
    expect(featureFingerprint(8, EN_LIKE)).not.toBe(featureFingerprint(8, ZH_LIKE));
    // The committed weights match the committed featurizer.
    expect(() => builtInCrisisModel()).not.toThrow();
  });
});

describe('runDetectorsWithModel', () => {
  const ctx = { side: 'input' as const, detectors: ['crisis' as const] };
  const alwaysLang = {
    bits: 2,
    bias: 10,
    scale: 0,
    weights: new Int8Array(4),
    features: ZH_LIKE,
    thresholds: { low: 0.1, threshold: 0.5, high: 0.99 },
  };
  const always: CrisisModel = { zh: alwaysLang, en: alwaysLang };

  it('adds crisis.model when the fast pass has no hit and the score reaches the threshold', () => {
    const r = runDetectorsWithModel('今天有点无聊', ctx, { model: always });
    expect(r.modelScore).toBeGreaterThan(0.99);
    expect(r.findings).toContainEqual(
      expect.objectContaining({
        detector: 'crisis',
        rule: 'crisis.model',
        tier: 1,
        span: [0, 6],
        status: 'ok',
      }),
    );
  });

  it('adds nothing when the model is off or crisis is not selected', () => {
    expect(runDetectorsWithModel('今天有点无聊', ctx, { model: false })).toEqual({
      findings: [],
      modelScore: undefined,
    });
    const r = runDetectorsWithModel(
      '今天有点无聊',
      { side: 'input', detectors: ['emotion'] },
      { model: always },
    );
    expect(r.modelScore).toBeUndefined();
    expect(r.findings.some((f) => f.rule === 'crisis.model')).toBe(false);
  });

  it('does not duplicate a fast-pass crisis hit', () => {
    const r = runDetectorsWithModel('我想自杀', ctx, { model: always });
    expect(r.findings.some((f) => f.detector === 'crisis' && f.tier >= 1 && f.rule !== 'crisis.model')).toBe(
      true,
    );
    expect(r.findings.some((f) => f.rule === 'crisis.model')).toBe(false);
  });

  const decides = (t: string) =>
    runDetectorsWithModel(t, ctx).findings.some((f) => f.detector === 'crisis' && f.tier >= 1);

  it.each(crisis)('the crisis decision flags: %s', (text) => {
    expect(decides(text)).toBe(true);
  });

  it.each([...benign, 'I could kill myself laughing at this', '我不想退出', '我不想走', '我不想结束'])(
    'the crisis decision passes: %s',
    (text) => {
      expect(decides(text)).toBe(false);
    },
  );
});
