import { existsSync } from 'node:fs';
import { CgError } from '@companion-guard/core';
import { type ConfigOverrides, type GatewayConfig, loadConfig } from '../config.js';
import { masterKeyEnvVar, parseStoreUrl } from '../storage/index.js';

export interface ResolveCliConfigOptions {
  /** Only `serve` and `migrate` may start a brand-new data directory. */
  readonly mayCreateDataDir: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where the "which data dir, config and database" line goes (stderr). */
  readonly report: (line: string) => void;
}

/**
 * Resolves the configuration for any CLI command exactly as `serve` does (same flags, environment and
 * config file), says which data dir, config file and database it used, and refuses — unless the command
 * may — to work on a data directory that does not exist: a command run without `--data` must not quietly
 * make a fresh `./data` with its own keys while the running server uses another.
 */
export async function resolveCliConfig(
  overrides: ConfigOverrides,
  options: ResolveCliConfigOptions,
): Promise<GatewayConfig> {
  const config = await loadConfig(overrides, options.env);
  const dialect = parseStoreUrl(config.databaseUrl).dialect;
  options.report(
    `data dir: ${config.dataDir} · config: ${config.configFile ?? 'none (defaults)'} · database: ${dialect}`,
  );
  // With PostgreSQL and the master key in the environment, the data dir holds nothing the command needs.
  const dataDirNeeded = dialect === 'sqlite' || !options.env[masterKeyEnvVar]?.trim();
  if (!options.mayCreateDataDir && dataDirNeeded && !existsSync(config.dataDir)) {
    throw new CgError(
      'invalid-config',
      `The data directory ${config.dataDir} does not exist. Pass --data DIR (or set COMPANION_GUARD_DATA) ` +
        `naming the data directory of the gateway you mean; only serve and migrate create a new one. ` +
        `数据目录 ${config.dataDir} 不存在。请用 --data 指定正在运行的网关所用的数据目录；只有 serve 和 migrate 会新建数据目录。`,
    );
  }
  return config;
}
