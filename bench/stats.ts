// Percentiles, formatting and the machine line shared by the benchmarks.
import { cpus } from 'node:os';

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function summary(samples: readonly number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
}

export const ms = (value: number) => `${value.toFixed(2)} ms`;

/** The machine a bench ran on, for its section of RESULTS.md: CPU model and count. */
export function cpuLine(): string {
  const all = cpus();
  return `${all[0]?.model.trim() ?? 'unknown CPU'} (${all.length} CPUs)`;
}
