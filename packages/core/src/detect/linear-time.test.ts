/**
 * Growth law of detection (issue #11): the cost of a text must grow linearly with its length, also for texts
 * built to defeat it (no punctuation, one long word, dense partial matches). Timed on 10k, 40k and 160k
 * characters; the 160k/10k ratio must stay well under the quadratic 256×. Linear code measures 9–52× here,
 * not 16×: between 10k and 160k the working set (normalized text, offsets, automaton) leaves the CPU cache, a
 * constant step of up to ~3× that is no growth law. The limit is 64×, a quarter of quadratic. The
 * 10k size is timed over four calls (40k characters, so timer noise stays small); every figure is the time
 * per call in CPU time of this process (time the process waits for a CPU, on a busy machine, is not its cost),
 * the fastest of five samples (other load and the collector only ever add time, so the minimum tracks the cost
 * far better than a median).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_SCAN_CHARS } from './context.js';
import { getDefaultEngine, SCAN_TRUNCATED, scanCut } from './engine.js';
import { runDetectorsWithModel } from './second-opinion/crisis-decision.js';

const SIZES = [10_000, 40_000, 160_000] as const;
const LIMIT = 64;

const repeat = (unit: string, length: number) =>
  unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

/** Our own adversarial texts (no dataset text). */
const TEXTS: Record<string, (length: number) => string> = {
  'repeated 再见': (n) => repeat('再见', n),
  'one letter': (n) => repeat('a', n),
  symbols: (n) => repeat('!@#', n),
  'crisis keyword fragments': (n) => repeat('想自不活轻', n),
  'alternating CJK and Latin': (n) => repeat('我a你b他c', n),
};

const engine = getDefaultEngine();

const MODES: Record<string, (text: string) => void> = {
  input: (text) => {
    runDetectorsWithModel(text, { side: 'input', maxScanChars: Number.POSITIVE_INFINITY });
  },
  output: (text) => {
    engine.run(text, { side: 'output' });
  },
  streamed: (text) => {
    const scanner = engine.createOutputScanner({ side: 'output' });
    for (let i = 0; i < text.length; i += 64) scanner.push(text.slice(i, i + 64));
    scanner.end();
  },
};

/** CPU milliseconds of one call on `text`, averaged over calls covering at least 40k characters. */
function sample(run: (text: string) => void, text: string): number {
  const times = Math.max(1, Math.round(SIZES[1] / text.length));
  const t0 = process.cpuUsage();
  for (let k = 0; k < times; k++) run(text);
  const used = process.cpuUsage(t0);
  return (used.user + used.system) / 1000 / times;
}

/** Fastest of five samples per size, the sizes taken in turn in each round (so all see the same load). */
function timesPerCall(run: (text: string) => void, texts: readonly string[]): number[] {
  const best = texts.map(() => Number.POSITIVE_INFINITY);
  for (const text of texts) run(text); // warm-up
  for (let r = 0; r < 5; r++) {
    texts.forEach((text, i) => {
      best[i] = Math.min(best[i] ?? Number.POSITIVE_INFINITY, sample(run, text));
    });
  }
  return best;
}

describe('detection cost grows linearly with the text (issue #11)', () => {
  for (const [mode, run] of Object.entries(MODES)) {
    it(`${mode}: 160k/10k time ratio under ${LIMIT} on every adversarial text`, () => {
      const ratios: Record<string, number> = {};
      for (const [name, make] of Object.entries(TEXTS)) {
        const [t10, , t160] = timesPerCall(
          run,
          SIZES.map((size) => make(size)),
        ) as [number, number, number];
        ratios[name] = t160 / Math.max(t10, 0.01);
      }
      for (const [name, ratio] of Object.entries(ratios)) {
        expect(ratio, `${mode} on ${name}: ${JSON.stringify(ratios)}`).toBeLessThan(LIMIT);
      }
    }, 60_000);
  }
});

describe('input scan cap (issue #11)', () => {
  const filler = repeat('今天的天气很好我们一起去公园散步吧', 20_000);

  it('scans head and tail of a long input and marks the unscanned middle', () => {
    const text = `${filler}我想自杀`;
    const cut = scanCut(text);
    expect(cut).toBeDefined();
    const findings = engine.run(text, { side: 'input' });
    const crisis = findings.find((f) => f.detector === 'crisis' && f.tier === 2);
    expect(crisis, 'a statement in the tail is found').toBeDefined();
    expect(text.slice(crisis?.span[0], crisis?.span[1])).toContain('自杀');
    const marker = findings.find((f) => f.category === SCAN_TRUNCATED);
    expect(marker).toMatchObject({ rule: `crisis.${SCAN_TRUNCATED}`, tier: 0, status: 'ok' });
    expect(marker?.span).toEqual([DEFAULT_MAX_SCAN_CHARS / 2, text.length - DEFAULT_MAX_SCAN_CHARS / 2]);
  });

  it('does not scan the middle (the cap is a documented limit)', () => {
    const middle = `${filler.slice(0, 10_000)}我想自杀${filler.slice(0, 10_000)}`;
    const findings = engine.run(middle, { side: 'input' });
    expect(findings.filter((f) => f.detector === 'crisis' && f.tier > 0)).toEqual([]);
    expect(findings.some((f) => f.category === SCAN_TRUNCATED)).toBe(true);
    const whole = engine.run(middle, { side: 'input', maxScanChars: middle.length });
    expect(whole.some((f) => f.detector === 'crisis' && f.tier === 2)).toBe(true);
  });

  it('never splits a surrogate pair at the cut and leaves short texts whole', () => {
    expect(scanCut('短消息')).toBeUndefined();
    const text = repeat('😀', 20_000);
    const cut = scanCut(text, 101);
    expect(cut).toBeDefined();
    expect((cut?.headEnd ?? 1) % 2).toBe(0);
    expect((text.length - (cut?.tailStart ?? 0)) % 2).toBe(0);
  });

  it('scans output whole, whatever its length', () => {
    const findings = engine.run(`${filler.slice(0, 20_000)}炸弹制作方法${filler.slice(0, 20_000)}`, {
      side: 'output',
      maxScanChars: 100,
    });
    expect(findings.some((f) => f.category === SCAN_TRUNCATED)).toBe(false);
  });
});
