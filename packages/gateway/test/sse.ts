/** One block of a Server-Sent Events stream. */
export interface SseBlock {
  readonly event: string | null;
  /** The `data` lines parsed as JSON (null when the block has none). */
  readonly data: unknown;
  /** The text of a comment block (`: ping`), else null. */
  readonly comment: string | null;
}

/** Reads an SSE response block by block; every wait is bounded. */
export function sseReader(response: Response) {
  if (!response.body) throw new Error('the response has no body');
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let ended = false;

  function parse(raw: string): SseBlock {
    let event: string | null = null;
    let comment: string | null = null;
    const data: string[] = [];
    for (const line of raw.split('\n')) {
      if (line.startsWith(':')) comment = line.slice(1).trim();
      else if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    return { event, comment, data: data.length > 0 ? JSON.parse(data.join('\n')) : null };
  }

  async function next(timeoutMs = 3000): Promise<SseBlock | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const raw = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        return parse(raw);
      }
      if (ended) return null;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error('no SSE block in time')),
          Math.max(0, deadline - Date.now()),
        );
      });
      try {
        const chunk = await Promise.race([reader.read(), timeout]);
        if (chunk.done) ended = true;
        else buffer += chunk.value;
      } finally {
        clearTimeout(timer);
      }
    }
  }

  return {
    next,
    /** The next block that is not a comment. */
    async nextEvent(timeoutMs = 3000): Promise<SseBlock | null> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const block = await next(Math.max(1, deadline - Date.now()));
        if (block === null || block.comment === null) return block;
      }
    },
    /** Waits for the `: ready` comment (the subscription is live). */
    async ready(timeoutMs = 3000): Promise<void> {
      const block = await next(timeoutMs);
      if (block?.comment !== 'ready') throw new Error(`expected ': ready', got ${JSON.stringify(block)}`);
    },
    cancel: () => reader.cancel().catch(() => undefined),
  };
}
