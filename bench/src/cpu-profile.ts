import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The parts of V8's .cpuprofile (written by `node --cpu-prof`) that a self-time summary needs. */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

export interface CostLine {
  name: string;
  selfPercent: number;
  selfMs: number;
}

export interface ProfileSummary {
  file: string;
  /** Time the process was busy; percentages are of this, not of the idle time between runs. */
  busyMs: number;
  idleMs: number;
  /** Functions by self time. */
  functions: CostLine[];
  /** The same time by package (node_modules/<name>), app code, node internals, GC and idle. */
  packages: CostLine[];
  /**
   * By package again, with node's internals and native calls (socket writes, JSON.stringify…) charged to the
   * package that called them: a write syscall issued by pg counts for pg.
   */
  packagesWithCallees: CostLine[];
}

export function newestProfile(directory: string): string | undefined {
  try {
    return readdirSync(directory)
      .filter((name) => name.endsWith('.cpuprofile'))
      .map((name) => join(directory, name))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  } catch {
    return undefined;
  }
}

/** Where a frame's code lives: a package, the app's own dist/, node's internals, or V8's pseudo-frames. */
function ownerOf(url: string, functionName: string, root: string): string {
  if (!url) return `(${functionName.replace(/[()]/g, '') || 'native'})`;
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch) return packageMatch[1];
  if (url.startsWith('node:')) return 'node internals';
  return `app ${relative(root, url.replace(/^file:\/\//, ''))
    .split('/')
    .slice(0, 3)
    .join('/')}`;
}

function top(costs: Map<string, number>, totalMs: number, count: number): CostLine[] {
  return [...costs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, ms]) => ({
      name,
      selfMs: Math.round(ms),
      selfPercent: Math.round((ms / totalMs) * 1000) / 10,
    }));
}

export function summarizeProfile(file: string, root: string, count = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  /** The nearest frame up the stack that belongs to a package or the app, if any. */
  const callerOwner = (nodeId: number): string | undefined => {
    for (let id: number | undefined = nodeId; id !== undefined; id = parents.get(id)) {
      const frame = frames.get(id);
      if (frame?.url && !frame.url.startsWith('node:')) return ownerOf(frame.url, frame.functionName, root);
    }
    return undefined;
  };
  const byCaller = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let busyMs = 0;
  let idleMs = 0;
  profile.samples.forEach((nodeId, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    const frame = frames.get(nodeId);
    if (!frame) return;
    if (frame.functionName === '(idle)') {
      idleMs += ms;
      return;
    }
    busyMs += ms;
    const where = frame.url
      ? `${relative(root, frame.url.replace(/^file:\/\//, ''))}:${frame.lineNumber + 1}`
      : '';
    const name = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    const owner = ownerOf(frame.url, frame.functionName, root);
    byPackage.set(owner, (byPackage.get(owner) ?? 0) + ms);
    const caller = callerOwner(nodeId) ?? owner;
    byCaller.set(caller, (byCaller.get(caller) ?? 0) + ms);
  });
  return {
    file: relative(root, file),
    busyMs: Math.round(busyMs),
    idleMs: Math.round(idleMs),
    functions: top(byFunction, busyMs, count),
    packages: top(byPackage, busyMs, count),
    packagesWithCallees: top(byCaller, busyMs, count),
  };
}
