import { isCgError } from '@companion-guard/core';

/** Credentials in URLs (`scheme://user:secret@host`) and `password=` parameters are never printed. */
function redact(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^@\s]*@/gi, '$1***@')
    .replace(/(password|passwd|pass|secret|token|key)=[^&\s]*/gi, '$1=***');
}

/** One error as `Name(code): message`, redacted and cut to 300 characters. */
function describeOne(e: unknown): string {
  if (!(e instanceof Error)) return redact(String(e)).slice(0, 300);
  const code = (e as { code?: unknown }).code;
  const label = `${e.name}${typeof code === 'string' || typeof code === 'number' ? `(${code})` : ''}`;
  const message = redact(e.message).slice(0, 300);
  return message ? `${label}: ${message}` : label;
}

/**
 * The lines a failed command prints: its stable code and message, then each underlying cause (class, code,
 * message: a native module built for another Node version, a refused connection, a file that is not a
 * database). Start-up happens before any conversation is read, so causes hold no conversation text; URL
 * credentials and `password=`-style parameters are masked.
 */
export function failureReport(e: unknown): string[] {
  const lines = [`companion-guard: ${isCgError(e) ? `[${e.code}] ${redact(e.message)}` : describeOne(e)}`];
  const seen = new Set<unknown>([e]);
  let cause = e instanceof Error ? e.cause : undefined;
  while (cause !== undefined && !seen.has(cause) && lines.length < 6) {
    seen.add(cause);
    lines.push(`  cause: ${describeOne(cause)}`);
    // A refused connection to every address of a host comes as an AggregateError with an empty message.
    if (cause instanceof AggregateError) {
      for (const inner of cause.errors.slice(0, 3)) lines.push(`    - ${describeOne(inner)}`);
    }
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return lines;
}
