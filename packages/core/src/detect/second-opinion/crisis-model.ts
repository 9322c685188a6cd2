import { crisisModelData } from './crisis-model.generated.js';
import {
  checkFeatureSpec,
  type FeatureSpec,
  type FeatureSum,
  featureFingerprint,
  foldForModel,
  sumFeatureWeights,
} from './features.js';

const scratch: FeatureSum = { sum: 0, n: 0 };

/** The weights of one language's model, as written by `scripts/train-crisis-model.ts`. */
export interface CrisisLangModelData {
  /** log2 of the number of hashed buckets. */
  readonly bits: number;
  /** Calibrated (Platt) logit = bias + scale * sum(int8 weights) / sqrt(number of features). */
  readonly bias: number;
  readonly scale: number;
  /** base64 of `2^bits` signed bytes. */
  readonly weights: string;
  /** Which n-grams this model reads. */
  readonly features: FeatureSpec;
  /** `featureFingerprint(bits, features)` of the featurizer the weights were trained with. */
  readonly fingerprint: number;
  /** Decision thresholds, picked on out-of-fold scores by the trainer. */
  readonly thresholds: CrisisThresholds;
}

/**
 * Shape of the weights file written by `scripts/train-crisis-model.ts`: one model for text with CJK
 * ideographs (`zh`), one for the rest (`en`). Weights are int8-quantized and base64-encoded.
 */
export interface CrisisModelData {
  readonly version: 2;
  readonly zh: CrisisLangModelData;
  readonly en: CrisisLangModelData;
  /** Aggregate training facts (counts, settings, cross-validated figures); never texts. */
  readonly meta: Readonly<Record<string, unknown>>;
}

/**
 * Thresholds on the score. `score >= threshold`: a crisis (tier 1) signal. `score >= high`: confident.
 * `low <= score < threshold`: unsure, so a second opinion is asked when one is configured.
 */
export interface CrisisThresholds {
  readonly threshold: number;
  readonly low: number;
  readonly high: number;
}

/** One language's loaded model: decoded weights, feature spec and thresholds. */
export interface CrisisLangModel {
  readonly bits: number;
  readonly bias: number;
  readonly scale: number;
  readonly weights: Int8Array;
  readonly features: FeatureSpec;
  readonly thresholds: CrisisThresholds;
}

/** A loaded model: one per script. */
export interface CrisisModel {
  readonly zh: CrisisLangModel;
  readonly en: CrisisLangModel;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes standard base64 (padding optional) into bytes; core has no `Buffer` or `atob` typings. */
export function decodeBase64(s: string): Uint8Array {
  const lookup = new Int16Array(128).fill(-1);
  for (let i = 0; i < B64.length; i++) lookup[B64.charCodeAt(i)] = i;
  let clean = s.replace(/[\s=]/g, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let acc = 0;
  let bitsHeld = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    const v = lookup[clean.charCodeAt(i)] ?? -1;
    if (v < 0) throw new Error('invalid base64 in crisis model weights');
    acc = (acc << 6) | v;
    bitsHeld += 6;
    if (bitsHeld >= 8) {
      bitsHeld -= 8;
      out[o++] = (acc >> bitsHeld) & 0xff;
    }
  }
  clean = '';
  return out.subarray(0, o);
}

function loadLang(data: CrisisLangModelData, lang: string): CrisisLangModel {
  checkFeatureSpec(data.features);
  if (featureFingerprint(data.bits, data.features) !== data.fingerprint) {
    throw new Error(
      `crisis model (${lang}): the weights were trained with a different feature function; retrain`,
    );
  }
  const bytes = decodeBase64(data.weights);
  if (bytes.length !== 1 << data.bits) {
    throw new Error(`crisis model (${lang}): expected ${1 << data.bits} weights, got ${bytes.length}`);
  }
  return {
    bits: data.bits,
    bias: data.bias,
    scale: data.scale,
    weights: new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length),
    features: data.features,
    thresholds: data.thresholds,
  };
}

/** Loads (decodes and checks) model data. Throws when the data is malformed. */
export function loadCrisisModel(data: CrisisModelData): CrisisModel {
  if (data.version !== 2) throw new Error(`crisis model: unsupported version ${String(data.version)}`);
  return { zh: loadLang(data.zh, 'zh'), en: loadLang(data.en, 'en') };
}

let builtIn: CrisisModel | undefined;

/** The committed model, decoded on first use. */
export function builtInCrisisModel(): CrisisModel {
  if (builtIn === undefined) builtIn = loadCrisisModel(crisisModelData);
  return builtIn;
}

/** The language model that reads `text`: `zh` when it has a CJK ideograph, else `en` (or `lang` if given). */
function pick(text: string, model: CrisisModel, lang?: 'zh' | 'en'): CrisisLangModel {
  return model[lang ?? (hasCjk(text) ? 'zh' : 'en')];
}

/** Raw (calibrated) logit of `text` under `model` (before the sigmoid). */
export function crisisLogit(
  text: string,
  model: CrisisModel = builtInCrisisModel(),
  lang?: 'zh' | 'en',
): number {
  const m = pick(text, model, lang);
  const folded = foldForModel(text);
  if (folded.length === 0) return m.bias;
  const { sum, n } = sumFeatureWeights(folded, m.features, m.bits, m.weights, scratch);
  return m.bias + (m.scale * sum) / Math.sqrt(n);
}

/**
 * Calibrated crisis probability in [0, 1] from the in-repo hashed n-gram logistic-regression models
 * (suicide / self-harm; one model for Chinese text, one for English). Pure and synchronous; microseconds on
 * a chat message. Compare with `crisisThresholdsFor(text)`.
 *
 * @example
 * scoreCrisis('I want to end my life tonight') // close to 1
 * scoreCrisis('我们明天去公园野餐吧') // close to 0
 */
export function scoreCrisis(
  text: string,
  model: CrisisModel = builtInCrisisModel(),
  lang?: 'zh' | 'en',
): number {
  return 1 / (1 + Math.exp(-crisisLogit(text, model, lang)));
}

/** True when the text contains a CJK ideograph: the Chinese model and thresholds apply. */
export function hasCjk(text: string): boolean {
  return /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/.test(text);
}

/** Thresholds of `model` for the script of `text` (or for an explicit language). */
export function crisisThresholdsFor(
  text: string,
  model: CrisisModel = builtInCrisisModel(),
  lang?: 'zh' | 'en',
): CrisisThresholds {
  return pick(text, model, lang).thresholds;
}
