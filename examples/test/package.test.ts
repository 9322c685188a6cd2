/**
 * `@companion-guard/client` as users get it: built, packed with `npm pack`, linted by publint on the tarball,
 * installed offline from the tarball into a fresh project, then imported by Node and type-checked by tsc as
 * a consumer would.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmIn, packInto, publintTarball, root, run, tsc } from './packing.js';

const clientDir = join(root, 'packages/client');

describe('the client package as published', () => {
  let work = '';
  let tarball = '';
  let packed: { files: { path: string }[] };
  const npm = (args: string[], cwd: string) => npmIn(work)(args, cwd);

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'cg-client-pack-'));
    await run(process.execPath, [tsc, '-b', clientDir]);
    const pack = await packInto(work, clientDir);
    packed = pack;
    tarball = pack.file;
  }, 120_000);
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('ships the built ESM, its declarations and the sources their maps point to; nothing else', () => {
    const files = packed.files.map((f) => f.path).sort();
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('src/index.ts');
    expect(files).toContain('package.json');
    expect(files).toContain('README.md');
    expect(files.filter((f) => !/^(dist|src)\/|^package\.json$|^README\.md$/.test(f))).toEqual([]);
    expect(files.filter((f) => f.includes('.test.') || f.endsWith('.tsbuildinfo'))).toEqual([]);
  });

  it('publint finds nothing to report on the tarball', async () => {
    expect(await publintTarball(tarball)).toEqual([]);
  });

  it('installs offline from the tarball into a fresh project (no dependencies), and Node and tsc use it', async () => {
    const app = join(work, 'app');
    await run('mkdir', [app]);
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({ name: 'app', private: true, type: 'module' }),
    );
    await npm(['install', '--offline', tarball], app);
    const lock = JSON.parse(await readFile(join(app, 'package-lock.json'), 'utf8')) as { packages: object };
    // The app and the client only: the package has no runtime dependencies.
    expect(Object.keys(lock.packages).sort()).toEqual(['', 'node_modules/@companion-guard/client']);

    await writeFile(
      join(app, 'main.ts'),
      [
        "import { complianceOf, createGatewayClient, type Compliance, type Directive } from '@companion-guard/client';",
        "const c: Compliance | null = complianceOf({ compliance: { directives: [], label: null, session: { id: 's', state: 'active' } } });",
        "const hotlines = (d: Directive) => (d.type === 'crisis-resources' ? d.data.hotlines.length : 0);",
        "console.log(JSON.stringify({ state: c?.session.state, client: typeof createGatewayClient({ baseURL: 'http://x/v1' }).exit, hotlines: typeof hotlines }));",
        '',
      ].join('\n'),
    );
    // Strict, with the DOM library and no Node types: what a browser app's build sees; then run by Node.
    await writeFile(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          target: 'es2022',
          lib: ['es2022', 'dom'],
          types: [],
        },
        files: ['main.ts'],
      }),
    );
    await run(process.execPath, [tsc, '-p', app]);
    const { stdout } = await run(process.execPath, ['main.js'], { cwd: app });
    expect(JSON.parse(stdout)).toEqual({ state: 'active', client: 'function', hotlines: 'function' });
  }, 120_000);
});
