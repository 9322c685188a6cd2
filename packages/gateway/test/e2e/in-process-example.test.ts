import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { aiSdkExample, functionExample } from '../../examples/in-process.js';
import { demoLanguageModel } from './ai-sdk-model.js';

/** The example of docs/in-process.md, run as written (with stub models instead of a real one). */
describe('the in-process example', () => {
  const dirs: string[] = [];
  const dataDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cg-example-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('DISC-1, EXIT-2: the AI SDK example shows the notice, streams a reply and ends on “退出” without the model', async () => {
    const { model, calls } = demoLanguageModel();
    const lines = await aiSdkExample(model, await dataDir());
    expect(lines[0]).toMatch(/^\[ai-disclosure DISC-1\] .*人工智能/);
    expect(lines.at(-1)).toBe('ended');
    expect(lines).toContain('好的，对话已结束。随时欢迎你回来。');
    expect(calls).toHaveLength(2);
    // The model got the character's persona first and the user's message last.
    expect(calls[0]?.[0]?.content).toContain('Xiaonuan');
    expect(calls[1]?.at(-1)).toEqual({ role: 'user', content: '给我讲个笑话吧' });
  });

  it('DISC-1, EXIT-1: the function API example shows the notice, the reply and the exit button', async () => {
    const lines = await functionExample(
      async (messages) => `You said: ${messages.at(-1)?.content}`,
      await dataDir(),
    );
    expect(lines[0]).toMatch(/^\[ai-disclosure DISC-1\] .*AI/);
    expect(lines[1]).toBe('You said: Hi!');
    expect(lines).toContainEqual(expect.stringMatching(/^\[exit-confirmed EXIT-1\]/));
    expect(lines.at(-1)).toBe('ended');
  });
});
