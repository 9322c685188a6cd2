import { describe, expect, it } from 'vitest';
import { createSseParser } from '../src/sse.js';

function feed(parts: readonly string[]): string[] {
  const parser = createSseParser();
  const out: string[] = [];
  for (const part of parts) out.push(...parser.push(part));
  out.push(...parser.end());
  return out;
}

describe('createSseParser', () => {
  it('returns each complete event once', () => {
    expect(feed(['data: {"a":1}\n\ndata: [DONE]\n\n'])).toEqual(['{"a":1}', '[DONE]']);
  });

  it('keeps an event split across reads until its blank line', () => {
    const parser = createSseParser();
    expect(parser.push('data: {"te')).toEqual([]);
    expect(parser.push('xt":"你好"}\n')).toEqual([]);
    expect(parser.push('\ndata: x\n\n')).toEqual(['{"text":"你好"}', 'x']);
  });

  it('joins several data lines of one event with a newline', () => {
    expect(feed(['data: first\ndata: second\n\n'])).toEqual(['first\nsecond']);
  });

  it('accepts CRLF and CR line ends, even a CRLF split between reads', () => {
    expect(feed(['data: a\r', '\n\r\n', 'data: b\r\rdata: c\r\n\r\n'])).toEqual(['a', 'b', 'c']);
  });

  it('ignores comments, other fields and events without data', () => {
    expect(feed([': keep-alive\n\nevent: ping\nid: 7\n\nretry: 10\ndata:tight\n\n'])).toEqual(['tight']);
  });

  it('removes only one leading space of a value', () => {
    expect(feed(['data:   two spaces left\n\n'])).toEqual(['  two spaces left']);
  });

  it('flushes a last event that has no closing blank line', () => {
    expect(feed(['data: tail'])).toEqual(['tail']);
    expect(feed(['data: tail\n'])).toEqual(['tail']);
  });
});
