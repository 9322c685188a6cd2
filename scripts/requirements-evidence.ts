/**
 * The logic behind `scripts/requirements.ts`: finds, for every requirement ID, the source files that cite
 * it, the test names that cite it and the audit events recorded with it, renders `docs/requirements.md`,
 * and lists what `npm run check` must refuse. Works on any tree shaped like this repository
 * (`packages/<name>/src`, `packages/<name>/test`), so tests run it on a small fixture tree.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import type { Requirement } from '../packages/core/src/requirements.js';

export interface RequirementsInput {
  /** Repository root. */
  readonly root: string;
  /** Repository-relative path of the catalogue's source; it cites every ID, so it is not scanned. */
  readonly cataloguePath: string;
  readonly catalogue: Readonly<Record<string, Requirement>>;
  readonly groups: Readonly<Record<string, string>>;
}

/** What backs one requirement: repository-relative paths, test names per test file, audit event types. */
export interface Evidence {
  readonly code: string[];
  readonly tests: Map<string, number>;
  readonly audit: string[];
}

export interface RequirementsReport {
  readonly doc: string;
  readonly evidence: ReadonlyMap<string, Evidence>;
  /** Implemented or partial IDs no test name cites, and cited IDs missing from the catalogue. */
  readonly problems: string[];
}

/** Where the generated document lives, relative to the root. */
export const requirementsDocPath = 'docs/requirements.md';

const citation = /\b([A-Z]+)-(\d+)((?:\/\d+)+|\.\.\d+)?/g;

/** IDs a text cites: `EXIT-1`, and the shorthands `EXIT-1/2/3` and `CONTENT-2..5`. */
export function citedIds(text: string): string[] {
  const ids: string[] = [];
  for (const [, prefix, first, more] of text.matchAll(citation)) {
    const numbers = [Number(first)];
    if (more?.startsWith('..')) {
      for (let n = Number(first) + 1; n <= Number(more.slice(2)); n++) numbers.push(n);
    } else if (more) numbers.push(...more.slice(1).split('/').map(Number));
    for (const n of numbers) ids.push(`${prefix}-${n}`);
  }
  return ids;
}

function isTestFile(path: string): boolean {
  return /\.test\.tsx?$/.test(path) || /^packages\/[^/]+\/(test\/|src\/testing\/)/.test(path);
}

/** Source and test files under `packages/*\/src` and `packages/*\/test`, repository-relative, sorted. */
function sourceFiles(root: string): { code: string[]; tests: string[] } {
  const files: string[] = [];
  const packages = join(root, 'packages');
  for (const name of existsSync(packages) ? readdirSync(packages) : []) {
    for (const dir of ['src', 'test']) {
      const base = join(packages, name, dir);
      if (!existsSync(base)) continue;
      for (const entry of readdirSync(base, { recursive: true, encoding: 'utf8' })) {
        const path = relative(root, join(base, entry)).split(sep).join('/');
        if (/\.tsx?$/.test(path) && !path.endsWith('.d.ts') && !path.includes('/node_modules/')) {
          files.push(path);
        }
      }
    }
  }
  files.sort();
  return {
    code: files.filter((f) => !isTestFile(f) && f.includes('/src/')),
    tests: files.filter(isTestFile),
  };
}

/** First-argument names of `describe(…)`, `it(…)`, `test(…)`, also as `it.each(…)(…)` or `describe.skip(…)`. */
function testNames(path: string, text: string): string[] {
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      let callee: ts.Expression = node.expression;
      while (ts.isCallExpression(callee) || ts.isPropertyAccessExpression(callee)) callee = callee.expression;
      const [first] = node.arguments;
      if (ts.isIdentifier(callee) && ['describe', 'it', 'test'].includes(callee.text) && first) {
        if (ts.isStringLiteralLike(first)) names.push(first.text);
        else if (ts.isTemplateExpression(first)) {
          names.push(first.head.text + first.templateSpans.map((s) => ` ${s.literal.text}`).join(''));
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true));
  return names;
}

/** Maps each workspace package name (and its subpaths) to its sources, so no build is needed to resolve it. */
function workspacePaths(root: string): Record<string, string[]> {
  const paths: Record<string, string[]> = {};
  const packages = join(root, 'packages');
  for (const dir of existsSync(packages) ? readdirSync(packages) : []) {
    const manifest = join(packages, dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
    if (!name) continue;
    paths[name] = [join(packages, dir, 'src/index.ts')];
    paths[`${name}/*`] = [join(packages, dir, 'src/*/index.ts')];
  }
  return paths;
}

type RequirementProperty = ts.PropertyAssignment | ts.ShorthandPropertyAssignment;

/** Object literals with a string-literal `type` and a `requirement` property: audit events (or drafts). */
function auditObjects(source: ts.SourceFile): { type: string; requirement: RequirementProperty }[] {
  const found: { type: string; requirement: RequirementProperty }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node)) {
      const prop = (name: string) =>
        node.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === name);
      const type = prop('type');
      const requirement = prop('requirement');
      if (
        type &&
        ts.isPropertyAssignment(type) &&
        ts.isStringLiteral(type.initializer) &&
        requirement &&
        (ts.isPropertyAssignment(requirement) || ts.isShorthandPropertyAssignment(requirement))
      ) {
        found.push({ type: type.initializer.text, requirement });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The string literals an expression can only be (`'A-1'`, `c ? 'A-1' : 'A-2'`), or undefined. */
function literalValues(e: ts.Expression): string[] | undefined {
  if (ts.isStringLiteralLike(e)) return [e.text];
  if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) {
    return literalValues(e.expression);
  }
  if (ts.isConditionalExpression(e)) {
    const [a, b] = [literalValues(e.whenTrue), literalValues(e.whenFalse)];
    return a && b ? [...a, ...b] : undefined;
  }
  return undefined;
}

/**
 * Audit events recorded with each requirement. A literal requirement (or a conditional of literals) is read
 * from the syntax; anything else (a variable, a call, a profile field) from the type the checker gives it,
 * so only files with such requirements are type-checked. A requirement typed as every ID, or as `string`,
 * names no ID and is skipped.
 */
function auditEvents(
  root: string,
  code: readonly string[],
  ids: ReadonlySet<string>,
): Map<string, Set<string>> {
  const events = new Map<string, Set<string>>();
  const record = (values: readonly string[], type: string) => {
    if (values.length === ids.size || values.some((v) => !ids.has(v))) return;
    for (const id of values) events.set(id, (events.get(id) ?? new Set<string>()).add(type));
  };
  const typed: string[] = [];
  for (const path of code) {
    const file = join(root, path);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    for (const { type, requirement } of auditObjects(source)) {
      const values = ts.isPropertyAssignment(requirement)
        ? literalValues(requirement.initializer)
        : undefined;
      if (values) record(values, type);
      else if (!typed.includes(file)) typed.push(file);
    }
  }
  if (typed.length === 0) return events;
  const program = ts.createProgram({
    rootNames: typed,
    options: {
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts'],
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      jsx: ts.JsxEmit.ReactJSX,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
      paths: workspacePaths(root),
    },
  });
  const checker = program.getTypeChecker();
  for (const file of typed) {
    const source = program.getSourceFile(file);
    for (const { type, requirement } of source ? auditObjects(source) : []) {
      if (ts.isPropertyAssignment(requirement) && literalValues(requirement.initializer)) continue;
      const t = checker.getTypeAtLocation(
        ts.isPropertyAssignment(requirement) ? requirement.initializer : requirement.name,
      );
      const members = t.isUnion() ? t.types : [t];
      const values = members.map((m) => (m.isStringLiteral() ? m.value : ''));
      record(values, type);
    }
  }
  return events;
}

/** Collects the evidence for every catalogue ID. */
function collectEvidence(input: RequirementsInput): {
  evidence: Map<string, Evidence>;
  unknown: string[];
} {
  const ids = new Set(Object.keys(input.catalogue));
  const prefixes = new Set([...ids].map((id) => id.replace(/-\d+$/, '')));
  const evidence = new Map<string, Evidence>(
    [...ids].map((id) => [id, { code: [], tests: new Map(), audit: [] }]),
  );
  const unknown: string[] = [];
  const known = (path: string, cited: readonly string[]): string[] => {
    for (const id of cited) {
      if (!ids.has(id) && prefixes.has(id.replace(/-\d+$/, ''))) {
        unknown.push(`${path} cites ${id}, which is not in the catalogue`);
      }
    }
    return [...new Set(cited.filter((id) => ids.has(id)))];
  };
  const files = sourceFiles(input.root);
  const code = files.code.filter((path) => path !== input.cataloguePath);
  for (const path of code) {
    for (const id of known(path, citedIds(readFileSync(join(input.root, path), 'utf8')))) {
      evidence.get(id)?.code.push(path);
    }
  }
  for (const path of files.tests) {
    for (const name of testNames(path, readFileSync(join(input.root, path), 'utf8'))) {
      for (const id of known(path, citedIds(name))) {
        const counts = evidence.get(id)?.tests;
        counts?.set(path, (counts.get(path) ?? 0) + 1);
      }
    }
  }
  for (const [id, types] of auditEvents(input.root, code, ids)) {
    evidence.get(id)?.audit.push(...[...types].sort());
  }
  return { evidence, unknown: [...new Set(unknown)] };
}

/** A link from `docs/`, named by the file and its folder (`session/session-machine.ts`). */
const link = (path: string) => `[${path.split('/').slice(-2).join('/')}](../${path})`;
const cell = (items: readonly string[]) => (items.length > 0 ? items.join(', ') : '—');

/** One table row per ID; the check compares documents row by row to name the IDs that changed. */
function row(id: string, r: Requirement, e: Evidence): string {
  const status = r.note ? `${r.status}: ${r.note}` : r.status;
  const tests = [...e.tests].map(([path, count]) => `${link(path)}: ${count}`);
  const audit = e.audit.map((t) => `\`${t}\``);
  return `| ${id} | ${r.meaning} | ${status} | ${cell(e.code.map(link))} | ${cell(tests)} | ${cell(audit)} |`;
}

function render(input: RequirementsInput, evidence: ReadonlyMap<string, Evidence>): string {
  const entries = Object.entries(input.catalogue);
  const count = (status: string) => entries.filter(([, r]) => r.status === status).length;
  const lines = [
    '# Requirements',
    '',
    `<!-- Generated by \`npm run requirements\` from ${input.cataloguePath} and the sources;`,
    '     `npm run check` fails when this file is out of date. Do not edit it by hand. -->',
    '',
    "Every obligation companion-guard turns into running behaviour has a stable ID. The obligations come from China's",
    'Interim Measures for Anthropomorphic AI Interactive Services (CAC Order No. 21, in force 2026-07-15, and its',
    '2025 draft), the labelling measures for AI-generated content with GB 45438-2025, the guide for minor modes',
    'on mobile internet, PIPL and the Cybersecurity Law, California SB 243, New York GBL Art. 47 and Article 50 of',
    'the EU AI Act (transparency only). Directives, audit events and test names cite the IDs; the numbers below',
    'are policy-profile defaults, never constants.',
    '',
    'Status: **implemented**: the code enforces it and tests cite it; **partial**: part of it is enforced and',
    'tested, the note says what is missing; **planned**: nothing enforces it yet.',
    'Code: source files that cite the ID. Tests: test files whose test names cite it, with how many.',
    'Audit events: the event types the code records with the ID.',
    '',
    `${entries.length} requirements: ${count('implemented')} implemented, ${count('partial')} partial, ${count('planned')} planned.`,
  ];
  for (const [group, title] of Object.entries(input.groups)) {
    const rows = entries.filter(([, r]) => r.group === group);
    if (rows.length === 0) continue;
    lines.push(
      '',
      `## ${title}`,
      '',
      '| ID | Meaning | Status | Code | Tests | Audit events |',
      '|---|---|---|---|---|---|',
    );
    for (const [id, r] of rows) {
      const e = evidence.get(id);
      if (e) lines.push(row(id, r, e));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Builds the document and the problems that are independent of the file on disk. */
export function buildRequirementsReport(input: RequirementsInput): RequirementsReport {
  const { evidence, unknown } = collectEvidence(input);
  const untested = Object.entries(input.catalogue)
    .filter(([id, r]) => r.status !== 'planned' && (evidence.get(id)?.tests.size ?? 0) === 0)
    .map(([id, r]) => `${id} is ${r.status} but no test name cites it`);
  return { doc: render(input, evidence), evidence, problems: [...untested, ...unknown] };
}

const rowId = /^\| ([A-Z]+-\d+) \|/;

function rowsById(doc: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of doc.split('\n')) {
    const id = rowId.exec(line)?.[1];
    if (id) rows.set(id, line);
  }
  return rows;
}

/** Why `current` (the file on disk, if any) differs from `expected`, naming the IDs whose rows changed. */
export function staleness(expected: string, current: string | undefined): string[] {
  if (current === undefined) return [`${requirementsDocPath} is missing: run npm run requirements`];
  if (current === expected) return [];
  const [want, have] = [rowsById(expected), rowsById(current)];
  const changed = [...new Set([...want.keys(), ...have.keys()])].filter(
    (id) => want.get(id) !== have.get(id),
  );
  const where = changed.length > 0 ? `for ${changed.join(', ')}` : 'outside the tables';
  return [`${requirementsDocPath} is out of date ${where}: run npm run requirements`];
}
