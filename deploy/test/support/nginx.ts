import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './api-process';
import { DASHBOARD_BUILD, REPO_ROOT } from './build';

/** The files the dashboard's image runs (frontend/Dockerfile copies both). */
export const SITE_TEMPLATE = join(REPO_ROOT, 'deploy/nginx/nat.conf.template');
export const MAIN_CONFIG = join(REPO_ROOT, 'deploy/nginx/nginx.conf');

const NGINX_CANDIDATES = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'];
export const MISSING_NGINX =
  "nginx is missing: the topology tests run Debian's nginx on loopback. Install it: apt-get install -y nginx";
const START_TIMEOUT_MS = 10_000;

export function nginxBinary(): string | undefined {
  const configured = process.env['NGINX_BIN'];
  if (configured) return configured;
  return NGINX_CANDIDATES.find((path) => existsSync(path));
}

/**
 * The site template rendered as the official nginx image renders it at start: envsubst with the list of the
 * variables that are set (the image's NGINX_ENVSUBST_FILTER=NAT_ keeps it to NAT_*), so that nginx's own
 * $variables pass through untouched.
 */
export function renderSite(variables: Record<string, string>): string {
  const names = Object.keys(variables);
  if (names.some((name) => !name.startsWith('NAT_'))) throw new Error('The image substitutes NAT_* only');
  const rendered = spawnSync('envsubst', [names.map((name) => `\${${name}}`).join(' ')], {
    input: readFileSync(SITE_TEMPLATE, 'utf8'),
    env: { PATH: process.env['PATH'] ?? '', ...variables },
    encoding: 'utf8',
  });
  if (rendered.error) {
    throw new Error(`envsubst did not run (${rendered.error.message}): apt-get install -y gettext-base`);
  }
  if (rendered.status !== 0) throw new Error(`envsubst failed: ${rendered.stderr}`);
  const unset = /\$\{?NAT_\w+/.exec(rendered.stdout);
  if (unset) throw new Error(`The template uses ${unset[0]}, which the test does not set`);
  return rendered.stdout;
}

/** One line of the access log (log_format nat_access in the template). */
export interface AccessEntry {
  remote_addr: string;
  request_id: string;
  method: string;
  uri: string;
  status: number;
  upstream: string;
}

export interface Nginx {
  baseUrl: string;
  port: number;
  /** The site configuration as rendered from the template. */
  site: string;
  accessLog(): AccessEntry[];
  errorLog(): string[];
  stop(): Promise<void>;
}

export interface NginxOptions {
  /** The API processes, host:port each: the upstream's servers. */
  upstreams: string[];
  staticRoot?: string;
}

function linesOf(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

/**
 * nginx in the foreground, in a scratch prefix, with the image's main configuration (its /tmp paths moved to the
 * scratch folder) and the site rendered from the same template, on a free loopback port.
 */
export async function startNginx({ upstreams, staticRoot = DASHBOARD_BUILD }: NginxOptions): Promise<Nginx> {
  const binary = nginxBinary();
  if (!binary) throw new Error(MISSING_NGINX);
  const prefix = mkdtempSync(join(tmpdir(), 'nat-nginx-'));
  const port = await freePort();
  const site = renderSite({
    NAT_LISTEN: `127.0.0.1:${port}`,
    NAT_STATIC_ROOT: staticRoot,
    NAT_API_SERVERS: upstreams.map((address) => `server ${address};`).join(' '),
  });
  mkdirSync(join(prefix, 'conf.d'));
  writeFileSync(join(prefix, 'conf.d', 'nat.conf'), site);
  const main = readFileSync(MAIN_CONFIG, 'utf8').replaceAll('/tmp/', `${prefix}/`);
  if (!main.includes(`include ${prefix}/conf.d/*.conf;`)) {
    throw new Error(`${MAIN_CONFIG} no longer includes the rendered site from /tmp/conf.d/`);
  }
  const config = join(prefix, 'nginx.conf');
  writeFileSync(config, main);
  // In the image nginx runs as its own unprivileged user throughout. Started by root, nginx would hand its
  // workers to `nobody`, who may not read a checkout under a private home: keep them root's here.
  const globals = process.getuid?.() === 0 ? 'daemon off; user root;' : 'daemon off;';
  const args = ['-p', `${prefix}/`, '-c', config, '-e', 'stderr', '-g', globals];

  // The template logs to /dev/stdout, as containers do. nginx opens that path, which works on a pipe or a file
  // but not on the socket that Node gives a child for 'pipe': hand it a file, and read that back.
  const accessFile = join(prefix, 'stdout.log');
  const errorFile = join(prefix, 'stderr.log');
  const stdout = openSync(accessFile, 'a');
  const stderr = openSync(errorFile, 'a');
  const check = spawnSync(binary, ['-t', '-q', ...args], {
    stdio: ['ignore', stdout, 'pipe'],
    encoding: 'utf8',
  });
  if (check.status !== 0) {
    closeSync(stdout);
    closeSync(stderr);
    rmSync(prefix, { recursive: true, force: true });
    throw new Error(`nginx -t refused the configuration:\n${check.stderr}\n--- site ---\n${site}`);
  }
  const child = spawn(binary, args, { stdio: ['ignore', stdout, stderr] });
  closeSync(stdout);
  closeSync(stderr);
  const accessLog = () => linesOf(accessFile).map((line) => JSON.parse(line) as AccessEntry);
  const errorLog = () => linesOf(errorFile);
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(prefix, { recursive: true, force: true });
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) {
      const errors = errorLog().join('\n');
      await stop();
      throw new Error(`nginx exited with code ${child.exitCode}:\n${errors}`);
    }
    const listening = await fetch(`${baseUrl}/favicon.svg`).then(
      () => true,
      () => false,
    );
    if (listening) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`nginx did not listen on ${baseUrl} within ${START_TIMEOUT_MS / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { baseUrl, port, site, accessLog, errorLog, stop };
}
