import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/build';

/**
 * The Dockerfiles, checked without a Docker engine: dockerfile-utils' linter (the one behind VS Code's Docker
 * support; hadolint is not packaged for this machine), then the rules this project holds its images to.
 */

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** Instructions with their continuation lines joined; comments and blank lines dropped. */
function instructionsOf(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: Instruction | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) return;
    const continued = line.endsWith('\\');
    const content = continued ? line.slice(0, -1).trim() : line;
    if (pending) {
      if (content !== '' && !content.startsWith('#')) pending.args = `${pending.args} ${content}`.trim();
    } else {
      const [keyword = '', ...rest] = content.split(/\s+/);
      pending = { keyword: keyword.toUpperCase(), args: rest.join(' '), line: index + 1 };
    }
    if (!continued) {
      instructions.push(pending);
      pending = undefined;
    }
  });
  return instructions;
}

/** `${NAME}` in a FROM, resolved with the ARG defaults declared before the first FROM. */
function resolveArgs(value: string, instructions: Instruction[]): string {
  const defaults = new Map<string, string>();
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') break;
    const match = /^(\w+)=(\S+)$/.exec(instruction.args);
    if (instruction.keyword === 'ARG' && match?.[1] && match[2]) defaults.set(match[1], match[2]);
  }
  return value.replace(/\$\{(\w+)\}/g, (whole, name: string) => defaults.get(name) ?? whole);
}

/** The build context as .dockerignore leaves it: whitelisted paths (`!path`) minus the excluded ones below them. */
function inContext(path: string): boolean {
  const rules = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#') && line !== '*');
  const normalized = path.replace(/^\.\//, '').replace(/\/$/, '');
  const covers = (pattern: string) => {
    const prefix = pattern.replace(/^\*\*\//, '').replace(/\/$/, '');
    return normalized === prefix || normalized.startsWith(`${prefix}/`);
  };
  const included = rules.filter((rule) => rule.startsWith('!')).some((rule) => covers(rule.slice(1)));
  const excluded = rules.filter((rule) => !rule.startsWith('!') && !rule.includes('*')).some(covers);
  return included && !excluded;
}

const DOCKERFILES = ['backend/Dockerfile', 'frontend/Dockerfile'];
/** Names that would put a secret into an image layer or its metadata (the *_FILE paths are fine). */
const SECRET_NAME = /(SECRET|PASSWORD|TOKEN|PRIVATE_KEY|API_KEY)(?!_FILE)\b/;

describe.each(DOCKERFILES)('%s', (dockerfile) => {
  const text = readFileSync(join(REPO_ROOT, dockerfile), 'utf8');
  const instructions = instructionsOf(text);
  const stages = instructions.filter((instruction) => instruction.keyword === 'FROM');
  const lastFrom = stages.at(-1);
  const finalStage = lastFrom ? instructions.slice(instructions.indexOf(lastFrom)) : [];

  it('passes dockerfile-utils without a warning', () => {
    const problems = validate(text).map(
      (problem) =>
        `line ${problem.range.start.line + 1}: ${typeof problem.message === 'string' ? problem.message : problem.message.value}`,
    );
    expect(problems).toEqual([]);
  });

  it('builds in stages from images with a fixed version, Node on an LTS line', () => {
    expect(stages.length).toBeGreaterThan(1);
    for (const stage of stages) {
      const image = resolveArgs(stage.args.split(/\s+/)[0] ?? '', instructions);
      expect(image, `FROM on line ${stage.line}`).toMatch(/^[\w./-]+:[\w.-]+$|^[a-z]+$/);
      if (/^[a-z]+$/.test(image)) continue; // a previous stage's name
      expect(image).not.toMatch(/:(latest|stable|lts|current)$/);
      const nodeMajor = /^node:(\d+)/.exec(image)?.[1];
      if (nodeMajor) expect(Number(nodeMajor) % 2, `${image} is not an LTS line`).toBe(0);
      if (nodeMajor) expect(Number(nodeMajor)).toBeGreaterThanOrEqual(22);
    }
  });

  it('runs as a user other than root', () => {
    const users = finalStage.filter((instruction) => instruction.keyword === 'USER');
    expect(users.length, 'USER in the final stage').toBeGreaterThan(0);
    expect(users[users.length - 1]?.args).not.toMatch(/^(root|0)(:|$)/);
  });

  it('bakes in no secret, and copies nothing the build context leaves out', () => {
    for (const instruction of instructions) {
      if (instruction.keyword === 'ENV' || instruction.keyword === 'ARG') {
        const names = [...instruction.args.matchAll(/(\w+)=/g)].map((match) => match[1] ?? '');
        const bare = /^\w+$/.test(instruction.args) ? [instruction.args] : [];
        for (const name of [...names, ...bare])
          expect(name, `line ${instruction.line}`).not.toMatch(SECRET_NAME);
      }
      expect(instruction.keyword, `line ${instruction.line}: COPY, not ADD`).not.toBe('ADD');
      if (instruction.keyword === 'COPY' && !instruction.args.includes('--from=')) {
        const parts = instruction.args.split(/\s+/).filter((part) => !part.startsWith('--'));
        for (const source of parts.slice(0, -1)) {
          expect(existsSync(join(REPO_ROOT, source)), `${source} exists`).toBe(true);
          expect(inContext(source), `${source} is in the build context (.dockerignore)`).toBe(true);
          expect(source).not.toMatch(/secrets|\.env$/);
        }
      }
    }
  });
});

describe('the API image', () => {
  const instructions = instructionsOf(readFileSync(join(REPO_ROOT, 'backend/Dockerfile'), 'utf8'));
  const makefile = readFileSync(join(REPO_ROOT, 'Makefile'), 'utf8');
  const makeDefault = (name: string) =>
    new RegExp(`^export ${name} \\?= (.+)$`, 'm').exec(makefile)?.[1]?.trim();

  it("runs Node as make start does: the Makefile's NAT_NODE_OPTIONS and malloc threshold", () => {
    const cmd = instructions.filter((instruction) => instruction.keyword === 'CMD').at(-1);
    const env = instructions
      .filter((instruction) => instruction.keyword === 'ENV')
      .map((instruction) => instruction.args)
      .join(' ');
    const nodeOptions = makeDefault('NAT_NODE_OPTIONS');
    expect(nodeOptions).toBeTruthy();
    expect(JSON.parse(cmd?.args ?? '[]')).toEqual([
      'node',
      ...(nodeOptions ?? '').split(/\s+/),
      'dist/backend/main.js',
    ]);
    expect(env).toContain(`MALLOC_MMAP_THRESHOLD_=${makeDefault('NAT_MALLOC_MMAP_THRESHOLD')}`);
  });
});

describe('the dashboard image', () => {
  const instructions = instructionsOf(readFileSync(join(REPO_ROOT, 'frontend/Dockerfile'), 'utf8'));
  const env = instructions
    .filter((instruction) => instruction.keyword === 'ENV')
    .map((instruction) => instruction.args)
    .join(' ');
  const copies = instructions
    .filter((instruction) => instruction.keyword === 'COPY')
    .map((copy) => copy.args);
  const mainConfig = readFileSync(join(REPO_ROOT, 'deploy/nginx/nginx.conf'), 'utf8');

  it('renders the template where nginx.conf includes it, and substitutes NAT_* only', () => {
    const template = copies.find((args) => args.startsWith('deploy/nginx/nat.conf.template'));
    const directory = /\/etc\/nginx\/templates\/(.*)\/[^/]+\.template$/.exec(template ?? '')?.[1];
    const outputDir = /NGINX_ENVSUBST_OUTPUT_DIR=(\S+)/.exec(env)?.[1];
    expect(directory).toBeDefined();
    expect(mainConfig).toContain(`include ${outputDir}/${directory}/*.conf;`);
    expect(env).toMatch(/NGINX_ENVSUBST_FILTER=NAT_\s/);
    expect(copies).toContain('deploy/nginx/nginx.conf /etc/nginx/nginx.conf');
  });

  it('writes only to /tmp, so that the root file system can be read-only', () => {
    const paths = [...mainConfig.matchAll(/^\s*(?:pid|\w+_temp_path)\s+(\S+);/gm)].map((match) => match[1]);
    expect(paths.length).toBe(6);
    for (const path of paths) expect(path).toMatch(/^\/tmp\//);
  });

  it('gives every variable of the template a default', () => {
    const template = readFileSync(join(REPO_ROOT, 'deploy/nginx/nat.conf.template'), 'utf8');
    const used = new Set([...template.matchAll(/\$\{(NAT_\w+)\}/g)].map((match) => match[1]));
    const defaults = new Set([...env.matchAll(/(NAT_\w+)=/g)].map((match) => match[1]));
    expect([...used].sort()).toEqual([...defaults].sort());
  });
});
