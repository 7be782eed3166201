import { readdirSync } from 'node:fs';
import { fillScript, loadScript, parseScript, scriptsDir } from './script';

describe('model scripts', () => {
  it.each(readdirSync(scriptsDir))('shared script %s loads', (file) => {
    expect(loadScript(file).steps.length).toBeGreaterThan(0);
  });

  it('applies defaults: any-match, a title and zero usage', () => {
    const script = parseScript({ steps: [{ respond: { text: 'ok' } }] });
    expect(script).toEqual({
      title: 'Scripted task',
      usage: { input: 0, output: 0, cached: 0, cacheWrite: 0 },
      steps: [{ match: {}, respond: { text: 'ok' } }],
    });
  });

  it('names what is wrong in a bad script', () => {
    expect(() => parseScript({ steps: [{ match: { lastRole: 'robot' }, respond: {} }] }, 'bad.yaml')).toThrow(
      /Invalid model script bad\.yaml[\s\S]*steps\[0\]\.match/,
    );
    expect(() => parseScript({ steps: [{ respond: {} }] })).toThrow(/respond needs text or toolCalls/);
    expect(() => parseScript({ steps: [{ respond: { text: 'x', txet: 'y' } }] })).toThrow(/txet/);
  });

  it('fills {{variables}} everywhere and refuses an unknown one', () => {
    const script = parseScript({
      steps: [
        {
          match: { lastContains: '{{workdir}}' },
          respond: {
            toolCalls: [{ tool: 'write', args: { filePath: '{{ workdir }}/a.txt', content: 'x' } }],
          },
        },
      ],
    });
    const filled = fillScript(script, { workdir: '/repo' });
    expect(filled.steps[0]!.match).toEqual({ lastContains: '/repo' });
    expect(filled.steps[0]!.respond.toolCalls![0]!.args).toEqual({ filePath: '/repo/a.txt', content: 'x' });
    expect(() => fillScript(script, {})).toThrow('{{workdir}}');
  });
});
