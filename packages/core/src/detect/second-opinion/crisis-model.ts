import { crisisModelData } from './crisis-model.generated.js';
import { type FeatureSum, featureFingerprint, foldForModel, sumFeatureWeights } from './features.js';

const scratch: FeatureSum = { sum: 0, n: 0 };

/**
 * Shape of the weights file written by `scripts/train-crisis-model.ts`. Weights are int8-quantized and
 * base64-encoded: weight of bucket `i` = `weights[i] * scale`.
 */
export interface CrisisModelData {
  readonly version: 1;
  /** log2 of the number of hashed buckets. */
  readonly bits: number;
  readonly bias: number;
  readonly scale: number;
  /** base64 of `2^bits` signed bytes. */
  readonly weights: string;
  /** `featureFingerprint(bits)` of the featurizer the weights were trained with. */
  readonly fingerprint: number;
  /** Decision thresholds per script (CJK text uses `zh`), picked on validation by the trainer. */
  readonly thresholds: Readonly<Record<'zh' | 'en', CrisisThresholds>>;
  /** Aggregate training facts (counts, seed, validation figures); never texts. */
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

/** A loaded model: decoded weights plus thresholds. */
export interface CrisisModel {
  readonly bits: number;
  readonly bias: number;
  readonly scale: number;
  readonly weights: Int8Array;
  readonly thresholds: Readonly<Record<'zh' | 'en', CrisisThresholds>>;
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

/** Loads (decodes and checks) model data. Throws when the data is malformed. */
export function loadCrisisModel(data: CrisisModelData): CrisisModel {
  if (featureFingerprint(data.bits) !== data.fingerprint) {
    throw new Error('crisis model: the weights were trained with a different feature function; retrain');
  }
  const bytes = decodeBase64(data.weights);
  if (bytes.length !== 1 << data.bits) {
    throw new Error(`crisis model: expected ${1 << data.bits} weights, got ${bytes.length}`);
  }
  return {
    bits: data.bits,
    bias: data.bias,
    scale: data.scale,
    weights: new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length),
    thresholds: data.thresholds,
  };
}

let builtIn: CrisisModel | undefined;

/** The committed model, decoded on first use. */
export function builtInCrisisModel(): CrisisModel {
  if (builtIn === undefined) builtIn = loadCrisisModel(crisisModelData);
  return builtIn;
}

/** Raw logit of `text` under `model` (before the sigmoid). */
export function crisisLogit(text: string, model: CrisisModel = builtInCrisisModel()): number {
  const folded = foldForModel(text);
  if (folded.length === 0) return model.bias;
  const { sum, n } = sumFeatureWeights(folded, model.bits, model.weights, scratch);
  return model.bias + (model.scale * sum) / Math.sqrt(n);
}

/**
 * Probability-like crisis score in [0, 1] of the in-repo character n-gram logistic-regression model
 * (suicide / self-harm, Chinese and English). Pure and synchronous; tens of microseconds on a chat message.
 * Compare with `crisisThresholdsFor(text)`.
 *
 * @example
 * scoreCrisis('I want to end my life tonight') // close to 1
 * scoreCrisis('我们明天去公园野餐吧') // close to 0
 */
export function scoreCrisis(text: string, model: CrisisModel = builtInCrisisModel()): number {
  return 1 / (1 + Math.exp(-crisisLogit(text, model)));
}

/** True when the text contains a CJK ideograph: the model's Chinese thresholds apply. */
export function hasCjk(text: string): boolean {
  return /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/.test(text);
}

/** Thresholds of `model` for the script of `text` (or for an explicit language). */
export function crisisThresholdsFor(
  text: string,
  model: CrisisModel = builtInCrisisModel(),
  lang?: 'zh' | 'en',
): CrisisThresholds {
  return model.thresholds[lang ?? (hasCjk(text) ? 'zh' : 'en')];
}
