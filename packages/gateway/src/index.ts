/**
 * @module @companion-guard/gateway
 * The gateway's public types: the `/v1` wire contract (the `compliance` extension), for clients such as the
 * console. Type-only; the gateway itself runs as the `companion-guard` CLI.
 */
export type {
  AiLabelWire,
  ComplianceWire,
  DirectiveWire,
  SessionWire,
} from './server/openai/wire.js';
