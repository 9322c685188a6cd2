/**
 * @module @companion-guard/gateway
 * The gateway's public types: the `/v1` wire contract (the `compliance` extension), for clients such as the
 * console, and its structured logger. The gateway itself runs as the `companion-guard` CLI.
 */

/** The project's structured logger (JSON lines on stderr; ids, codes and counts only, never conversation text). */
export { createLogger, type Logger } from './logger.js';
export type {
  AiLabelWire,
  ComplianceWire,
  DirectiveWire,
  SessionWire,
} from './server/openai/wire.js';
