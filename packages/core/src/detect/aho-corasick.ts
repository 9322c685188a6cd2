/**
 * A compact Aho-Corasick automaton over integer symbols (UTF-16 code units or pinyin syllable ids).
 * Symbols are first compressed to the alphabet actually used by the patterns (a symbol no pattern contains
 * sends the automaton straight back to the root), then the trie is laid out as a double array
 * (`base` / `check` / `next`), so a transition is three typed-array reads and scanning allocates nothing.
 */

export interface AhoCorasick {
  /** Compressed symbol per input symbol (0 = in no pattern). */
  readonly symOf: Uint16Array;
  /** Root transitions per compressed symbol. */
  readonly rootNext: Int32Array;
  /** Double array: the edge of node `s` on compressed symbol `c` is at `base[s] + c` if `check` there is `s`. */
  readonly base: Int32Array;
  readonly check: Int32Array;
  readonly next: Int32Array;
  readonly fail: Int32Array;
  /** `next` and `rootNext` with bit 30 set where the target node has output (saves a read per step). */
  readonly nextFlagged: Int32Array;
  readonly rootNextFlagged: Int32Array;
  /** `base` and `fail` interleaved per node (`nodeBF[2 * s]`, `nodeBF[2 * s + 1]`). */
  readonly nodeBF: Int32Array;
  /** First node on the dictionary chain with output (the node itself if it has output), or 0. */
  readonly outNode: Int32Array;
  /** Next node with output on the dictionary chain, or 0. */
  readonly dictNext: Int32Array;
  /** Output pattern ids of node n are `outIds[outStart[n] .. outStart[n + 1])`. */
  readonly outStart: Int32Array;
  readonly outIds: Int32Array;
}

/** Bit set in `nextFlagged` / `rootNextFlagged` values whose target node has output. */
export const OUTPUT_FLAG = 0x40000000;

/** Builds the automaton. Pattern `i` gets output id `i`; empty patterns are ignored. Symbols must be < alphabet. */
export function buildAhoCorasick(patterns: readonly ArrayLike<number>[], alphabet: number): AhoCorasick {
  const symOf = new Uint16Array(alphabet);
  let symbolCount = 0;
  for (const pat of patterns) {
    for (let k = 0; k < pat.length; k++) {
      const sym = pat[k] ?? 0;
      if (symOf[sym] === 0) symOf[sym] = ++symbolCount;
    }
  }
  // Trie with Map children (compressed symbols) while building.
  const children: Map<number, number>[] = [new Map()];
  const outputs: number[][] = [[]];
  for (let p = 0; p < patterns.length; p++) {
    const pat = patterns[p];
    if (pat === undefined || pat.length === 0) continue;
    let node = 0;
    for (let k = 0; k < pat.length; k++) {
      const sym = symOf[pat[k] ?? 0] ?? 0;
      const kids = children[node] ?? new Map<number, number>();
      let child = kids.get(sym);
      if (child === undefined) {
        child = children.length;
        children.push(new Map());
        outputs.push([]);
        kids.set(sym, child);
      }
      node = child;
    }
    outputs[node]?.push(p);
  }
  const nodeCount = children.length;
  // Renumber nodes breadth-first: the shallow nodes, which the scan visits most, end up next to each other.
  {
    const order: number[] = [0];
    for (let q = 0; q < order.length; q++) {
      for (const to of (children[order[q] ?? 0] ?? new Map<number, number>()).values()) order.push(to);
    }
    const newId = new Int32Array(nodeCount);
    for (let k = 0; k < order.length; k++) newId[order[k] ?? 0] = k;
    const kids2: Map<number, number>[] = [];
    const outs2: number[][] = [];
    for (let k = 0; k < order.length; k++) {
      const old = order[k] ?? 0;
      const m = new Map<number, number>();
      for (const [sym, to] of children[old] ?? []) m.set(sym, newId[to] ?? 0);
      kids2.push(m);
      outs2.push(outputs[old] ?? []);
    }
    children.length = 0;
    outputs.length = 0;
    for (let k = 0; k < kids2.length; k++) {
      children.push(kids2[k] ?? new Map());
      outputs.push(outs2[k] ?? []);
    }
  }

  // Double-array layout. Free cells form a linked list, so placing a node only visits free cells.
  const base = new Int32Array(nodeCount);
  let cap = Math.max(1024, nodeCount * 2 + symbolCount + 2);
  let check = new Int32Array(cap).fill(-1);
  let next = new Int32Array(cap);
  let nextFree = new Int32Array(cap);
  let prevFree = new Int32Array(cap);
  const linkFree = (from: number, to: number) => {
    for (let p = from; p < to; p++) {
      nextFree[p] = p + 1 < to ? p + 1 : -1;
      prevFree[p] = p - 1;
    }
  };
  linkFree(1, cap);
  let freeHead = 1;
  let freeTail = cap - 1;
  const grow = (need: number) => {
    if (need < cap) return;
    let size = cap;
    while (size <= need) size *= 2;
    const c2 = new Int32Array(size).fill(-1);
    c2.set(check);
    const n2 = new Int32Array(size);
    n2.set(next);
    const nf = new Int32Array(size);
    nf.set(nextFree);
    const pf = new Int32Array(size);
    pf.set(prevFree);
    check = c2;
    next = n2;
    nextFree = nf;
    prevFree = pf;
    const old = cap;
    cap = size;
    linkFree(old, cap);
    prevFree[old] = freeTail;
    if (freeTail >= 0) nextFree[freeTail] = old;
    else freeHead = old;
    freeTail = cap - 1;
  };
  const takeFree = (p: number) => {
    const pv = prevFree[p] ?? -1;
    const nx = nextFree[p] ?? -1;
    if (pv >= 0) nextFree[pv] = nx;
    else freeHead = nx;
    if (nx >= 0) prevFree[nx] = pv;
    else freeTail = pv;
  };
  let maxUsed = 0;
  const rootNext = new Int32Array(symbolCount + 1);
  for (const [sym, to] of children[0] ?? []) rootNext[sym] = to;
  for (let node = 1; node < nodeCount; node++) {
    const kids = children[node];
    if (kids === undefined || kids.size === 0) continue;
    const syms = [...kids.keys()].sort((a, b) => a - b);
    const first = syms[0] ?? 1;
    const last = syms[syms.length - 1] ?? first;
    let b = -1;
    for (let p = freeHead; ; ) {
      if (p < 0) {
        grow(cap + 1);
        p = freeHead;
        while (p >= 0 && p - first < 1) p = nextFree[p] ?? -1;
        continue;
      }
      const cand = p - first;
      if (cand >= 1) {
        grow(cand + last + symbolCount + 2);
        let free = true;
        for (let k = 1; k < syms.length; k++) {
          if (check[cand + (syms[k] ?? 0)] !== -1) {
            free = false;
            break;
          }
        }
        if (free) {
          b = cand;
          break;
        }
      }
      p = nextFree[p] ?? -1;
    }
    base[node] = b;
    for (const s of syms) {
      check[b + s] = node;
      next[b + s] = kids.get(s) ?? 0;
      takeFree(b + s);
      if (b + s > maxUsed) maxUsed = b + s;
    }
  }
  // Trim, keeping room so that base[s] + any symbol stays in bounds.
  const size = maxUsed + symbolCount + 2;
  grow(size);
  const checkOut = check.slice(0, size);
  const nextOut = next.slice(0, size);

  const fail = new Int32Array(nodeCount);
  const goto = (node: number, sym: number): number => {
    if (node === 0) return rootNext[sym] ?? 0;
    const pos = (base[node] ?? 0) + sym;
    return checkOut[pos] === node ? (nextOut[pos] ?? 0) : 0;
  };
  // BFS for failure links.
  const queue = new Int32Array(nodeCount);
  let head = 0;
  let tail = 0;
  for (const to of children[0]?.values() ?? []) queue[tail++] = to;
  while (head < tail) {
    const n = queue[head++] ?? 0;
    for (const [sym, to] of children[n] ?? []) {
      let f = fail[n] ?? 0;
      let target = 0;
      for (;;) {
        const t = goto(f, sym);
        if (t !== 0) {
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
  const outNode = new Int32Array(nodeCount);
  const dictNext = new Int32Array(nodeCount);
  for (let q = 0; q < tail; q++) {
    const n = queue[q] ?? 0;
    const f = fail[n] ?? 0;
    const fOut = f === 0 ? 0 : (outNode[f] ?? 0);
    dictNext[n] = fOut;
    outNode[n] = (outputs[n]?.length ?? 0) > 0 ? n : fOut;
  }
  const outStart = new Int32Array(nodeCount + 1);
  let total = 0;
  for (let n = 0; n < nodeCount; n++) {
    outStart[n] = total;
    total += outputs[n]?.length ?? 0;
  }
  outStart[nodeCount] = total;
  const outIds = new Int32Array(total);
  for (let n = 0; n < nodeCount; n++) {
    const list = outputs[n] ?? [];
    const at = outStart[n] ?? 0;
    for (let k = 0; k < list.length; k++) outIds[at + k] = list[k] ?? 0;
  }
  const nextFlagged = new Int32Array(nextOut.length);
  for (let p = 0; p < nextOut.length; p++) {
    const to = nextOut[p] ?? 0;
    nextFlagged[p] = (checkOut[p] ?? -1) >= 0 && (outNode[to] ?? 0) !== 0 ? to | OUTPUT_FLAG : to;
  }
  const rootNextFlagged = new Int32Array(rootNext.length);
  for (let c = 0; c < rootNext.length; c++) {
    const to = rootNext[c] ?? 0;
    rootNextFlagged[c] = (outNode[to] ?? 0) !== 0 ? to | OUTPUT_FLAG : to;
  }
  const nodeBF = new Int32Array(nodeCount * 2);
  for (let n = 0; n < nodeCount; n++) {
    nodeBF[2 * n] = base[n] ?? 0;
    nodeBF[2 * n + 1] = fail[n] ?? 0;
  }
  return {
    symOf,
    rootNext,
    base,
    check: checkOut,
    next: nextOut,
    fail,
    nextFlagged,
    rootNextFlagged,
    nodeBF,
    outNode,
    dictNext,
    outStart,
    outIds,
  };
}

/** Transition from `state` on input symbol `input` (following failure links). */
export function step(ac: AhoCorasick, state: number, input: number): number {
  const c = ac.symOf[input] ?? 0;
  if (c === 0) return 0;
  let s = state;
  while (s !== 0) {
    const pos = (ac.base[s] ?? 0) + c;
    if (ac.check[pos] === s) return ac.next[pos] ?? 0;
    s = ac.fail[s] ?? 0;
  }
  return ac.rootNext[c] ?? 0;
}
