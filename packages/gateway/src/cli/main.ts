/**
 * @module companion-guard CLI
 * `companion-guard serve | migrate | keys | staff | eval | audit verify | profile | export | receipt | report`.
 */
import { text } from 'node:stream/consumers';
import { failureReport } from './failure-report.js';
import { runCli } from './run-cli.js';

runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  readStdin: () => text(process.stdin),
  tty: process.stderr.isTTY ? (chunk) => process.stderr.write(chunk) : undefined,
}).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${failureReport(e).join('\n')}\n`);
    process.exitCode = 1;
  },
);
