import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import type { BenchConfig } from './config';
import { serverVersion } from './database';

export interface MachineFacts {
  cpuCount: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  postgres: string;
  gitCommit: string;
  /**
   * Uncommitted changes in the checkout when the bench ran, bench/results aside (others work in it at the same
   * time).
   */
  gitDirty: boolean;
  /** 1-minute load average before the run: others share this machine, and their load skews every figure. */
  loadAverageAtStart: number;
  loadAverageAtEnd?: number;
}

export function loadAverage(): number {
  return Math.round(loadavg()[0] * 100) / 100;
}

function git(root: string, ...args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export async function machineFacts(config: BenchConfig): Promise<MachineFacts> {
  return {
    cpuCount: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    postgres: await serverVersion(config.databaseUrl),
    gitCommit: git(config.root, 'rev-parse', 'HEAD'),
    // The bench's own output (results of an earlier run not yet committed) does not make the code dirty.
    gitDirty:
      git(
        config.root,
        'status',
        '--porcelain',
        '--untracked-files=no',
        '--',
        '.',
        ':(exclude)bench/results',
      ) !== '',
    loadAverageAtStart: loadAverage(),
  };
}
