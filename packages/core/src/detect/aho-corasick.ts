/**
 * A compact Aho-Corasick automaton over integer symbols (UTF-16 code units or pinyin syllable ids).
 * Root transitions are a dense `Int32Array`; other edges live in one open-addressing hash table of typed
 * arrays, so scanning allocates nothing.
 */

export interface AhoCorasick {
  /** Number of symbols of the dense root table (symbols must be below it). */
  readonly alphabet: number;
  readonly rootNext: Int32Array;
  readonly hashNode: Int32Array;
  readonly hashSym: Int32Array;
  readonly hashTo: Int32Array;
  readonly hashMask: number;
  readonly fail: Int32Array;
  /** First node on the dictionary chain with output (the node itself if it has output), or 0. */
  readonly outNode: Int32Array;
  /** Next node with output on the dictionary chain, or 0. */
  readonly dictNext: Int32Array;
  /** Output pattern ids of node n are `outIds[outStart[n] .. outStart[n + 1])`. */
  readonly outStart: Int32Array;
  readonly outIds: Int32Array;
}

function hashOf(node: number, sym: number, mask: number): number {
  return (Math.imul(node, 0x9e3779b1) ^ Math.imul(sym, 0x85ebca6b)) & mask;
}

/** Builds the automaton. Pattern `i` in `patterns` gets output id `i`. Empty patterns are ignored. */
export function buildAhoCorasick(patterns: readonly ArrayLike<number>[], alphabet: number): AhoCorasick {
  // Trie with Map children while building.
  const children: Map<number, number>[] = [new Map()];
  const outputs: number[][] = [[]];
  for (let p = 0; p < patterns.length; p++) {
    const pat = patterns[p];
    if (pat === undefined || pat.length === 0) continue;
    let node = 0;
    for (let k = 0; k < pat.length; k++) {
      const sym = pat[k] ?? 0;
      const kids = children[node] ?? new Map<number, number>();
      let next = kids.get(sym);
      if (next === undefined) {
        next = children.length;
        children.push(new Map());
        outputs.push([]);
        kids.set(sym, next);
      }
      node = next;
    }
    outputs[node]?.push(p);
  }
  const nodeCount = children.length;
  let edgeCount = 0;
  for (const kids of children) edgeCount += kids.size;
  let size = 16;
  while (size < edgeCount * 2) size <<= 1;
  const mask = size - 1;
  const hashNode = new Int32Array(size).fill(-1);
  const hashSym = new Int32Array(size);
  const hashTo = new Int32Array(size);
  const rootNext = new Int32Array(alphabet);
  for (let n = 0; n < nodeCount; n++) {
    const kids = children[n];
    if (kids === undefined) continue;
    for (const [sym, to] of kids) {
      if (n === 0) {
        rootNext[sym] = to;
        continue;
      }
      let h = hashOf(n, sym, mask);
      while ((hashNode[h] ?? -1) !== -1) h = (h + 1) & mask;
      hashNode[h] = n;
      hashSym[h] = sym;
      hashTo[h] = to;
    }
  }
  const fail = new Int32Array(nodeCount);
  const outNode = new Int32Array(nodeCount);
  const dictNext = new Int32Array(nodeCount);
  const ac: AhoCorasick = {
    alphabet,
    rootNext,
    hashNode,
    hashSym,
    hashTo,
    hashMask: mask,
    fail,
    outNode,
    dictNext,
    outStart: new Int32Array(nodeCount + 1),
    outIds: new Int32Array(0),
  };
  // BFS for failure links.
  const queue = new Int32Array(nodeCount);
  let head = 0;
  let tail = 0;
  for (const to of children[0]?.values() ?? []) {
    fail[to] = 0;
    queue[tail++] = to;
  }
  while (head < tail) {
    const n = queue[head++] ?? 0;
    const kids = children[n];
    if (kids === undefined) continue;
    for (const [sym, to] of kids) {
      let f = fail[n] ?? 0;
      let target = 0;
      for (;;) {
        const t = f === 0 ? (rootNext[sym] ?? 0) : edge(ac, f, sym);
        if (t > 0 && t !== to) {
          target = t;
          break;
        }
        if (f === 0) break;
        f = fail[f] ?? 0;
      }
      fail[to] = target;
      queue[tail++] = to;
    }
  }
  // Output chains, in BFS order so fail targets are done first.
  for (let q = 0; q < tail; q++) {
    const n = queue[q] ?? 0;
    const f = fail[n] ?? 0;
    const fOut = f === 0 ? 0 : (outNode[f] ?? 0);
    dictNext[n] = fOut;
    outNode[n] = (outputs[n]?.length ?? 0) > 0 ? n : fOut;
  }
  const outStart = ac.outStart;
  let total = 0;
  for (let n = 0; n < nodeCount; n++) {
    outStart[n] = total;
    total += outputs[n]?.length ?? 0;
  }
  outStart[nodeCount] = total;
  const outIds = new Int32Array(total);
  for (let n = 0; n < nodeCount; n++) {
    const list = outputs[n] ?? [];
    const base = outStart[n] ?? 0;
    for (let k = 0; k < list.length; k++) outIds[base + k] = list[k] ?? 0;
  }
  return { ...ac, outIds };
}

/** The child of non-root `node` on `sym`, or 0. */
export function edge(ac: AhoCorasick, node: number, sym: number): number {
  const mask = ac.hashMask;
  let h = hashOf(node, sym, mask);
  const hn = ac.hashNode;
  for (;;) {
    const k = hn[h] ?? -1;
    if (k === -1) return 0;
    if (k === node && ac.hashSym[h] === sym) return ac.hashTo[h] ?? 0;
    h = (h + 1) & mask;
  }
}

/** Transition from `state` on `sym` (following failure links). */
export function step(ac: AhoCorasick, state: number, sym: number): number {
  let s = state;
  while (s !== 0) {
    const t = edge(ac, s, sym);
    if (t !== 0) return t;
    s = ac.fail[s] ?? 0;
  }
  return sym < ac.alphabet ? (ac.rootNext[sym] ?? 0) : 0;
}
