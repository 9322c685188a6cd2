/**
 * @module companion-guard CLI
 * `companion-guard serve | migrate | keys | eval | audit verify | profile`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { isCgError, profileJsonSchema } from '@companion-guard/core';
import { loadConfig } from '../config.js';
import { migrateStore } from '../storage/index.js';
import { evalCommand } from './eval.js';
import { hashApiKey, openStore, startServer } from './serve.js';

const out = (line: string) => process.stdout.write(`${line}\n`);

const usage = `companion-guard — compliance runtime for AI companion services

Usage:
  companion-guard serve [--port N] [--host H] [--data DIR] [--config FILE]
  companion-guard migrate [--data DIR] [--config FILE]
  companion-guard keys create [--label NAME] | keys list | keys revoke ID
  companion-guard audit verify [--data DIR] [--config FILE]
  companion-guard eval --data FILE.jsonl --detector NAME [--label L] [--json]
  companion-guard eval --all [--dir ../shared/eval]
  companion-guard profile show [--config FILE] | profile schema
`;

const common = {
  port: { type: 'string' },
  host: { type: 'string' },
  data: { type: 'string' },
  config: { type: 'string' },
  label: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'eval') return evalCommand(rest, out);
  const { values, positionals } = parseArgs({ args: rest, options: common, allowPositionals: true });
  if (!command || values.help || command === 'help') {
    out(usage);
    return command ? 0 : 1;
  }
  const overrides = {
    port: values.port === undefined ? undefined : Number(values.port),
    host: values.host,
    dataDir: values.data,
    configFile: values.config,
  };
  switch (command) {
    case 'serve': {
      const server = await startServer(overrides);
      out(`companion-guard: ${server.url}  (profile ${server.config.profile.id})`);
      const stop = () => {
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return -1;
    }
    case 'migrate': {
      const config = await loadConfig(overrides);
      const result = await migrateStore(config.databaseUrl);
      out(`migrated ${result.dialect}: ${result.applied.length} migration(s) applied`);
      return 0;
    }
    case 'keys': {
      const store = await openStore(await loadConfig(overrides));
      try {
        const [action, id] = positionals;
        if (action === 'create') {
          const secret = `cg_${randomBytes(24).toString('base64url')}`;
          const keyId = randomUUID();
          await store.createApiKey({
            id: keyId,
            label: values.label ?? 'default',
            hash: hashApiKey(secret),
            createdAt: Date.now(),
            revokedAt: null,
          });
          out(`created key ${keyId}. Secret (shown once): ${secret}`);
          return 0;
        }
        if (action === 'list') {
          for (const k of await store.listApiKeys()) {
            out(
              `${k.id}\t${k.label}\t${new Date(k.createdAt).toISOString()}\t${k.revokedAt ? 'revoked' : 'active'}`,
            );
          }
          return 0;
        }
        if (action === 'revoke' && id) {
          await store.revokeApiKey(id, Date.now());
          out(`revoked ${id}`);
          return 0;
        }
        out('usage: companion-guard keys create [--label NAME] | keys list | keys revoke ID');
        return 1;
      } finally {
        await store.close();
      }
    }
    case 'audit': {
      if (positionals[0] !== 'verify') {
        out('usage: companion-guard audit verify');
        return 1;
      }
      const store = await openStore(await loadConfig(overrides));
      try {
        const result = await store.verifyAudit();
        out(
          result.ok
            ? `audit chain ok: ${result.count} events`
            : `audit chain BROKEN at event ${result.brokenAt} (of ${result.count})`,
        );
        return result.ok ? 0 : 2;
      } finally {
        await store.close();
      }
    }
    case 'profile': {
      if (positionals[0] === 'schema') {
        out(JSON.stringify(profileJsonSchema(), null, 2));
        return 0;
      }
      const config = await loadConfig(overrides);
      out(JSON.stringify(config.profile, null, 2));
      return 0;
    }
    default:
      out(`unknown command "${command}"\n\n${usage}`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`companion-guard: ${isCgError(e) ? `[${e.code}] ${e.message}` : String(e)}\n`);
    process.exitCode = 1;
  },
);
