// Golden files: exact wire bytes compared to fixtures/golden/<surface>/<case>.*; UPDATE_GOLDEN=1 rewrites them.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'chai';

export function goldenCases(surface: string): string[] {
  const dir = `fixtures/golden/${surface}`;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.events.jsonl'))
    .map((f) => f.slice(0, -'.events.jsonl'.length))
    .sort();
}

export function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);
}

export function expectGolden(path: string, actual: string): void {
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    if (process.env.UPDATE_GOLDEN !== '1') throw new Error(`golden file ${path} was missing; written now — review it`);
    return;
  }
  expect(actual, `golden ${path} (UPDATE_GOLDEN=1 rewrites it)`).to.equal(readFileSync(path, 'utf8'));
}
