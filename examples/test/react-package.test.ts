/**
 * `@companion-guard/react` as users get it: built, packed with `npm pack`, linted by publint on the tarball,
 * installed offline from the tarballs (with its dependency `@companion-guard/client` and its peer React,
 * packed from this workspace) into a fresh project, then type-checked by tsc as a browser app would and run
 * by Node: a directive rendered to HTML, the stylesheet resolved through the package's exports.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmIn, packInto, publintTarball, root, run, tsc } from './packing.js';

const kitDir = join(root, 'packages/react');
/** What the app installs besides the kit, packed from this workspace (no registry needed). */
const others = [
  'packages/client',
  'node_modules/react',
  'node_modules/react-dom',
  'node_modules/scheduler',
  'node_modules/@types/react',
  'node_modules/csstype',
];

describe('the React kit as published', () => {
  let work = '';
  let kitTarball = '';
  const tarballs: string[] = [];
  let packed: { files: { path: string }[] } = { files: [] };
  const npm = (args: string[], cwd: string) => npmIn(work)(args, cwd);
  const pack = (dir: string) => packInto(work, dir);

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'cg-react-pack-'));
    await run(process.execPath, [tsc, '-b', kitDir]);
    const kit = await pack(kitDir);
    kitTarball = kit.file;
    packed = kit;
    for (const dir of others) tarballs.push((await pack(join(root, dir))).file);
  }, 180_000);
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('ships the built ESM, its declarations, the sources their maps point to and the stylesheet; nothing else', () => {
    const files = packed.files.map((f) => f.path).sort();
    for (const f of ['dist/index.js', 'dist/index.d.ts', 'src/index.ts', 'styles.css', 'package.json']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => !/^(dist|src)\/|^package\.json$|^README\.md$|^styles\.css$/.test(f))).toEqual(
      [],
    );
    expect(files.filter((f) => f.includes('.test.') || f.endsWith('.tsbuildinfo'))).toEqual([]);
  });

  it('publint finds nothing to report on the tarball', async () => {
    expect(await publintTarball(kitTarball)).toEqual([]);
  });

  it('installs offline into a fresh project; tsc checks a consumer and Node renders a directive with it', async () => {
    const app = join(work, 'app');
    await mkdir(app);
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({ name: 'app', private: true, type: 'module' }),
    );
    await npm(['install', '--offline', kitTarball, ...tarballs], app);

    await writeFile(
      join(app, 'main.ts'),
      [
        "import { ComplianceDirectives, titleOf, useCompanionChat, type DirectiveEntry } from '@companion-guard/react';",
        "import { createElement } from 'react';",
        "import { renderToStaticMarkup } from 'react-dom/server';",
        'const entries: DirectiveEntry[] = [{ key: "k", directive: { type: "crisis-resources", requirement: "RISK-3", display: "banner", text: "help", data: { hotlines: [{ name: "Line", number: "400-161-9995" }] } } }];',
        "const html = renderToStaticMarkup(createElement(ComplianceDirectives, { directives: entries, locale: 'en', onDismiss: () => undefined }));",
        "const css = import.meta.resolve('@companion-guard/react/styles.css');",
        "console.log(JSON.stringify({ tel: html.includes('href=\"tel:4001619995\"'), title: titleOf(entries[0]!.directive, 'zh'), hook: typeof useCompanionChat, css: css.endsWith('/styles.css') }));",
        '',
      ].join('\n'),
    );
    // Strict, with the DOM library: what a browser app's build sees (react-dom's types are not installed,
    // so its import is declared by hand); then run by Node.
    await writeFile(join(app, 'react-dom-server.d.ts'), "declare module 'react-dom/server';\n");
    await writeFile(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          target: 'es2022',
          lib: ['es2022', 'dom'],
          types: [],
          noUncheckedIndexedAccess: true,
        },
        files: ['main.ts', 'react-dom-server.d.ts'],
      }),
    );
    await run(process.execPath, [tsc, '-p', app]);
    const { stdout } = await run(process.execPath, ['main.js'], { cwd: app });
    expect(JSON.parse(stdout)).toEqual({ tel: true, title: '你并不孤单', hook: 'function', css: true });
  }, 180_000);
});
