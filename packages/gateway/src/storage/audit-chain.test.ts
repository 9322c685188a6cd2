import { describe, expect, it } from 'vitest';
import {
  auditHashBody,
  canonicalJson,
  chainAuditEvents,
  computeAuditHash,
  genesisHash,
  normalizeAuditData,
} from './audit-chain.js';

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: [true, { d: null, c: 'x' }] }, '{"a":[true,{"c":"x","d":null}],"b":1}'],
    [{ z: undefined, y: '中文 "quoted"' }, '{"y":"中文 \\"quoted\\""}'],
    [[1, 'two', null], '[1,"two",null]'],
    ['plain', '"plain"'],
    [42, '42'],
    [{}, '{}'],
  ])('%j → %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('is independent of key insertion order', () => {
    expect(canonicalJson({ a: 1, b: { c: 2, d: 3 } })).toBe(canonicalJson({ b: { d: 3, c: 2 }, a: 1 }));
  });
});

describe('normalizeAuditData', () => {
  it('keeps what survives JSON and drops the rest', () => {
    expect(normalizeAuditData(undefined)).toEqual({});
    expect(normalizeAuditData({ when: new Date(0), gone: undefined, n: Number.NaN, list: [1] })).toEqual({
      when: '1970-01-01T00:00:00.000Z',
      n: null,
      list: [1],
    });
  });
});

describe('chainAuditEvents', () => {
  it('numbers events after the head and links each to the previous hash', () => {
    const chained = chainAuditEvents(41, 'f'.repeat(64), [
      { type: 'exit', requirement: 'EXIT-1', at: 1 },
      { type: 'exit', requirement: 'EXIT-2', at: 2, userId: 'u', sessionId: 's', data: { via: 'keyword' } },
    ]);
    const events = chained.map((c) => c.event);
    expect(chained.map((c) => c.dataJson)).toEqual(['{}', '{"via":"keyword"}']);
    expect(events.map((e) => [e.seq, e.prevHash.slice(0, 4)])).toEqual([
      [42, 'ffff'],
      [43, events[0]?.hash.slice(0, 4)],
    ]);
    expect(events[1]?.hash).toBe(
      computeAuditHash(events[0]?.hash ?? '', {
        seq: 43,
        type: 'exit',
        requirement: 'EXIT-2',
        at: 2,
        userId: 'u',
        sessionId: 's',
        data: { via: 'keyword' },
      }),
    );
  });

  it('changes the hash when any field changes', () => {
    const base = { seq: 1, type: 't', requirement: 'R-1', at: 1, userId: null, sessionId: null, data: {} };
    const h = computeAuditHash(genesisHash, base);
    for (const patch of [
      { seq: 2 },
      { type: 'u' },
      { requirement: 'R-2' },
      { at: 2 },
      { userId: 'x' },
      { sessionId: 'x' },
      { data: { a: 1 } },
    ]) {
      expect(computeAuditHash(genesisHash, { ...base, ...patch })).not.toBe(h);
    }
    expect(computeAuditHash('1'.repeat(64), base)).not.toBe(h);
  });
});

describe('auditHashBody', () => {
  it.each([
    [{ seq: 1, type: 'exit', requirement: 'EXIT-1', at: 5, userId: null, sessionId: null }, {}],
    [
      { seq: 99, type: 'a"b', requirement: 'TIME-1', at: 1.5, userId: '用户', sessionId: 's\n1' },
      { z: [1, { y: 2, x: 'é' }] },
    ],
  ])('equals canonicalJson of the whole event (%#)', (fields, data) => {
    expect(auditHashBody(fields, canonicalJson(data))).toBe(canonicalJson({ ...fields, data }));
  });
});
