import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Requirement } from '../packages/core/src/requirements.js';
import {
  buildRequirementsReport,
  citedIds,
  type RequirementsInput,
  requirementsDocPath,
  staleness,
} from './requirements-evidence.js';

const catalogue: Record<string, Requirement> = {
  'A-1': { group: 'scope', meaning: 'First thing.', status: 'implemented' },
  'A-2': { group: 'scope', meaning: 'Second thing.', status: 'partial', note: 'half done' },
  'B-1': { group: 'time', meaning: 'Third thing.', status: 'planned' },
  'B-2': { group: 'time', meaning: 'Fourth thing.', status: 'implemented' },
};

let root: string;
let input: RequirementsInput;

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cg-requirements-'));
  input = {
    root,
    cataloguePath: 'packages/core/src/catalogue.ts',
    catalogue,
    groups: { scope: 'Scope', time: 'Time' },
  };
  write('packages/core/package.json', '{ "name": "@fx/core" }');
  // The catalogue's own source cites every ID; it is not counted as code.
  write('packages/core/src/catalogue.ts', "export type Id = 'A-1' | 'A-2' | 'B-1' | 'B-2';\n");
  write(
    'packages/core/src/machine.ts',
    [
      "import type { Id } from './catalogue.js';",
      'export interface Draft { type: string; requirement: Id }',
      '/** A-1/2 are decided here. */',
      'export function decide(first: boolean): Draft[] {',
      "  const requirement = first ? 'A-1' : 'A-2';",
      "  return [{ type: 'thing-start', requirement }, { type: 'thing-noted', requirement: 'A-1' }];",
      '}',
      "export const unknownId = (r: Id): Draft => ({ type: 'anything', requirement: r });",
    ].join('\n'),
  );
  write('packages/core/src/index.ts', "export type { Draft } from './machine.js';\n");
  write(
    'packages/gateway/src/service.ts',
    [
      "import type { Draft } from '@fx/core';",
      "const pick = (n: number) => (n > 0 ? 'B-2' : 'A-2');",
      "export const drafts: Draft[] = [{ type: 'service-done', requirement: pick(1) }];",
    ].join('\n'),
  );
  write(
    'packages/core/src/machine.test.ts',
    [
      "describe('A-1..2: things', () => {",
      "  it('A-1 when first', () => {});",
      '  it.each([1, 2])(`A-2 for %i`, () => {});',
      "  it('something else', () => {});",
      '});',
    ].join('\n'),
  );
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('requirements evidence', () => {
  it('expands the shorthands EXIT-1/2/3 and CONTENT-2..5, and ignores what is not an ID', () => {
    expect(citedIds('EXIT-1/2/3 and CONTENT-2..5, DISC-1 / DISC-2, MINOR-*')).toEqual([
      'EXIT-1',
      'EXIT-2',
      'EXIT-3',
      'CONTENT-2',
      'CONTENT-3',
      'CONTENT-4',
      'CONTENT-5',
      'DISC-1',
      'DISC-2',
    ]);
  });

  it('finds code files, test names per file and the audit events of each ID (literals, variables, calls)', () => {
    const { evidence } = buildRequirementsReport(input);
    expect(evidence.get('A-1')).toEqual({
      code: ['packages/core/src/machine.ts'],
      tests: new Map([['packages/core/src/machine.test.ts', 2]]),
      audit: ['thing-noted', 'thing-start'],
    });
    expect(evidence.get('A-2')?.tests).toEqual(new Map([['packages/core/src/machine.test.ts', 2]]));
    expect(evidence.get('A-2')?.audit).toEqual(['service-done', 'thing-start']);
    expect(evidence.get('B-2')?.audit).toEqual(['service-done']);
    // A requirement typed as any ID names none.
    expect(evidence.get('B-1')).toEqual({ code: [], tests: new Map(), audit: [] });
  });

  it('fails for an implemented ID that no test name cites, naming it; a planned one may be untested', () => {
    expect(buildRequirementsReport(input).problems).toEqual(['B-2 is implemented but no test name cites it']);
    write('packages/gateway/test/e2e/b.test.ts', 'test(`B-2 through the service`, async () => {});');
    expect(buildRequirementsReport(input).problems).toEqual([]);
  });

  it('fails for a cited ID missing from the catalogue', () => {
    write('packages/gateway/test/e2e/b.test.ts', "it('B-2 and B-3', () => {});");
    expect(buildRequirementsReport(input).problems).toEqual([
      'packages/gateway/test/e2e/b.test.ts cites B-3, which is not in the catalogue',
    ]);
  });

  it('renders one table per group and reports a stale document by the IDs whose rows changed', () => {
    const { doc } = buildRequirementsReport(input);
    expect(doc).toContain('## Scope');
    expect(doc).toContain(
      '| A-2 | Second thing. | partial: half done | [src/machine.ts](../packages/core/src/machine.ts), [src/service.ts](../packages/gateway/src/service.ts) | [src/machine.test.ts](../packages/core/src/machine.test.ts): 2 | `service-done`, `thing-start` |',
    );
    expect(doc).toContain('| B-1 | Third thing. | planned | — | — | — |');
    expect(staleness(doc, doc)).toEqual([]);
    expect(staleness(doc, undefined)).toEqual([
      `${requirementsDocPath} is missing: run npm run requirements`,
    ]);

    write('packages/gateway/src/more.ts', '// B-1 lands here\n');
    const next = buildRequirementsReport(input).doc;
    expect(staleness(next, doc)).toEqual([
      `${requirementsDocPath} is out of date for B-1: run npm run requirements`,
    ]);
    expect(staleness(next, next.replace('# Requirements', '# Reqs'))).toEqual([
      `${requirementsDocPath} is out of date outside the tables: run npm run requirements`,
    ]);
  });
});
