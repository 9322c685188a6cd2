/**
 * Shared by the package tests: `npm pack` into a work folder, publint on the tarball, offline installs, tsc.
 * Everything runs against this workspace; no registry is needed.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { publint } from 'publint';

export const run = promisify(execFile);
export const root = fileURLToPath(new URL('../../', import.meta.url));
export const tsc = join(root, 'node_modules/typescript/bin/tsc');

/** npm with a cache of its own inside `work` (quiet, no audit). */
export const npmIn = (work: string) => (args: string[], cwd: string) =>
  run('npm', [...args, '--cache', join(work, 'npm-cache'), '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
  });

/** Packs `dir` into `work`: the tarball's path and the files it holds. */
export async function packInto(
  work: string,
  dir: string,
): Promise<{ file: string; files: { path: string }[] }> {
  const { stdout } = await npmIn(work)(['pack', '--json', '--pack-destination', work], dir);
  const info = (JSON.parse(stdout) as { filename: string; files: { path: string }[] }[])[0];
  if (!info) throw new Error(`npm pack gave nothing for ${dir}`);
  return { file: join(work, info.filename), files: info.files };
}

/** What publint (strict) reports on a packed tarball. */
export async function publintTarball(file: string) {
  const bytes = await readFile(file);
  const { messages } = await publint({
    pkgDir: 'package',
    pack: {
      tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    },
    strict: true,
  });
  return messages;
}
