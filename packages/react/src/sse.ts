/**
 * Incremental parser for a `text/event-stream` body (the subset OpenAI-style streams use).
 *
 * Feed it decoded text as it arrives; it returns the `data` payload of every event completed so far
 * (several `data:` lines of one event are joined with `\n`). Comments, `event:`, `id:` and `retry:`
 * fields are ignored. An event is complete only at a blank line, so a payload split across network
 * reads is never returned half.
 *
 * @example
 * const parser = createSseParser();
 * parser.push('data: {"a":1}\n\nda'); // → ['{"a":1}']
 * parser.push('ta: [DONE]\n\n');      // → ['[DONE]']
 */
export interface SseParser {
  /** Adds decoded text; returns the payloads of the events it completed. */
  push(text: string): string[];
  /** Ends the stream; returns the payload of a last event that had no closing blank line, if any. */
  end(): string[];
}

export function createSseParser(): SseParser {
  let pending = '';
  let dataLines: string[] = [];
  let hasData = false;

  function takeLine(line: string, out: string[]): void {
    if (line === '') {
      if (hasData) out.push(dataLines.join('\n'));
      dataLines = [];
      hasData = false;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== 'data') return;
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    dataLines.push(value);
    hasData = true;
  }

  return {
    push(text) {
      const out: string[] = [];
      pending += text;
      // A trailing "\r" may be the first half of "\r\n"; keep it until the next read decides.
      const cut = pending.endsWith('\r') ? pending.length - 1 : pending.length;
      const ready = pending.slice(0, cut);
      const lines = ready.split(/\r\n|\r|\n/);
      const rest = lines.pop() ?? '';
      for (const line of lines) takeLine(line, out);
      pending = rest + pending.slice(cut);
      return out;
    },
    end() {
      const out: string[] = [];
      if (pending !== '') takeLine(pending.replace(/\r$/, ''), out);
      pending = '';
      takeLine('', out);
      return out;
    },
  };
}
