/**
 * @module @companion-guard/gateway
 * Types of the gateway's public surface, for apps that embed or configure it. Run it with the
 * `companion-guard` CLI.
 */
export type { GatewayConfig } from './config.js';
