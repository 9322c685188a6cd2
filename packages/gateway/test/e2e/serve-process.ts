import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI (`npm run build` makes it; `npm test` builds first). */
export const cli = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** Starts `companion-guard serve` as a real process on a free loopback port and resolves with its URL. */
export function serveProcess(
  dataDir: string,
  configFile: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [cli, 'serve', '--port', '0', '--data', dataDir, '--config', configFile],
    {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /companion-guard: (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1] });
    });
    child.stderr?.resume();
    child.once('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
  });
}
