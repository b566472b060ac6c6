import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../support/build';

/**
 * What dclint (the Compose Specification's schema and its style rules, in `nx run deploy:lint`) cannot see: that
 * the two compose files hang together and keep the promises of the README and issue 7. Values are read with
 * the defaults of their `${VAR:-default}` interpolations, as `docker compose` would without a .env file.
 */

type Dict = Record<string, unknown>;

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[] | string;
  environment?: Record<string, string>;
  ports?: (string | { target: number; published: string; host_ip: string })[];
  volumes?: string[];
  secrets?: string[];
  networks?: string[] | Record<string, { ipv4_address?: string }>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  restart?: string;
  user?: string;
  read_only?: boolean;
  tmpfs?: string[];
  cap_drop?: string[];
  security_opt?: string[];
  deploy?: { replicas?: number; resources?: { limits?: { cpus?: string; memory?: string } } };
}

interface ComposeFile {
  name: string;
  services: Record<string, Service>;
  volumes?: Dict;
  networks?: Record<string, { internal?: boolean; ipam?: { config: { subnet: string }[] } }>;
  secrets?: Record<string, { file: string }>;
}

/** `${NAME:-default}` → default, everywhere in the parsed document. */
function withDefaults<T>(value: T): T {
  if (typeof value === 'string') {
    return value.replace(/\$\{\w+:-([^}]*)\}/g, (_whole, fallback: string) => fallback) as T;
  }
  if (Array.isArray(value)) return value.map(withDefaults) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withDefaults(inner)])) as T;
  }
  return value;
}

function load(file: string): ComposeFile {
  return withDefaults(parse(readFileSync(join(REPO_ROOT, file), 'utf8'), { merge: true }) as ComposeFile);
}

function networksOf(service: Service): string[] {
  if (!service.networks) return ['default'];
  return Array.isArray(service.networks) ? service.networks : Object.keys(service.networks);
}

function publishedPorts(service: Service): number[] {
  return (service.ports ?? []).map((port) =>
    typeof port === 'string' ? Number(port.split(':').at(-2)) : Number(port.published),
  );
}

/** Every name a compose file refers to must be defined in it. */
function expectReferencesDefined(compose: ComposeFile): void {
  for (const [name, service] of Object.entries(compose.services)) {
    for (const dependency of Object.keys(service.depends_on ?? {})) {
      expect(Object.keys(compose.services), `${name} depends on ${dependency}`).toContain(dependency);
    }
    for (const volume of service.volumes ?? []) {
      const source = volume.split(':')[0] ?? '';
      if (source.startsWith('.'))
        expect(existsSync(join(REPO_ROOT, source)), `${name}: ${source}`).toBe(true);
      else expect(Object.keys(compose.volumes ?? {}), `${name}: volume ${source}`).toContain(source);
    }
    for (const secret of service.secrets ?? []) {
      expect(Object.keys(compose.secrets ?? {}), `${name}: secret ${secret}`).toContain(secret);
    }
    for (const network of networksOf(service).filter((network) => network !== 'default')) {
      expect(Object.keys(compose.networks ?? {}), `${name}: network ${network}`).toContain(network);
    }
    if (service.build) {
      expect(existsSync(join(REPO_ROOT, service.build.context, service.build.dockerfile))).toBe(true);
    }
  }
}

describe('docker-compose.yml (development)', () => {
  const compose = load('docker-compose.yml');
  const { backend, db, frontend } = compose.services;

  it('refers only to what it defines', () => {
    expectReferencesDefined(compose);
  });

  it('publishes the ports the original README promised: 3000, 8000 and 5432, on this machine only', () => {
    expect(publishedPorts(frontend ?? {})).toEqual([3000]);
    expect(publishedPorts(backend ?? {})).toEqual([8000]);
    expect(publishedPorts(db ?? {})).toEqual([5432]);
    for (const service of [frontend, backend, db]) expect(service?.ports?.[0]).toMatch(/^127\.0\.0\.1:/);
  });

  it('runs PostgreSQL 15 on a named volume, set up by database/init, with a healthcheck', () => {
    expect(db?.image).toMatch(/^postgres:15[.-]/);
    expect(db?.volumes).toContain('pgdata:/var/lib/postgresql/data');
    expect(db?.volumes).toContain('./database/init:/docker-entrypoint-initdb.d:ro');
    expect(db?.healthcheck?.test.join(' ')).toContain('pg_isready');
    expect(backend?.depends_on?.['db']?.condition).toBe('service_healthy');
    // The original README's names: localhost:5432 (nat_dev/nat_user).
    expect(db?.environment).toMatchObject({ POSTGRES_DB: 'nat_dev', POSTGRES_USER: 'nat_user' });
  });

  it('lets `make up` wait: every long-running service has a healthcheck, the one-shot deps are awaited', () => {
    for (const [name, service] of Object.entries({ backend, db, frontend })) {
      expect(service?.healthcheck?.test.length, `${name} healthcheck`).toBeGreaterThan(1);
    }
    expect(backend?.depends_on?.['deps']?.condition).toBe('service_completed_successfully');
    expect(frontend?.depends_on?.['deps']?.condition).toBe('service_completed_successfully');
  });

  it('watches the API and serves the dashboard with live reload, proxying the API paths to the backend service', () => {
    expect(String(backend?.command)).toContain('tsc -p backend/tsconfig.app.json --watch');
    expect(String(backend?.command)).toContain('node --watch dist/backend/main.js');
    const proxyFile = /--proxyConfig=(\S+)/.exec(String(frontend?.command))?.[1] ?? '';
    const proxy = JSON.parse(readFileSync(join(REPO_ROOT, proxyFile), 'utf8')) as Record<
      string,
      { target: string }
    >;
    expect(Object.keys(proxy).sort()).toEqual(['/api', '/docs', '/health']);
    for (const route of Object.values(proxy)) {
      expect(route.target).toBe(`http://backend:${backend?.environment?.['PORT']}`);
    }
    expect(backend?.environment?.['DATABASE_URL']).toMatch(/@db:5432\//);
  });
});

describe('docker-compose.prod.yml (production)', () => {
  const compose = load('docker-compose.prod.yml');
  const { backend, db, migrate, web } = compose.services;
  const longRunning = { backend, db, web };

  it('refers only to what it defines, and keeps the secret files out of git', () => {
    expectReferencesDefined(compose);
    const ignored = readFileSync(join(REPO_ROOT, 'deploy/secrets/.gitignore'), 'utf8');
    expect(ignored.split('\n')).toContain('*');
    for (const secret of Object.values(compose.secrets ?? {}))
      expect(secret.file).toMatch(/^deploy\/secrets\//);
  });

  it('takes secrets from files only: no password or signing key in the environment', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (/SECRET|PASSWORD/.test(key)) {
          expect(key, `${name}.${key}`).toMatch(/_FILE$/);
          expect(value).toMatch(/^\/run\/secrets\/\w+$/);
          expect(service.secrets, `${name} mounts ${value}`).toContain(value.split('/').at(-1));
        }
      }
      expect(
        service.environment?.['DATABASE_URL'] ?? '',
        `${name}: DATABASE_URL without a password`,
      ).not.toMatch(/:\/\/[^@/]*:[^@/]*@/);
    }
  });

  it('gives every long-running service a healthcheck, a restart policy and resource limits', () => {
    for (const [name, service] of Object.entries(longRunning)) {
      expect(service?.healthcheck?.test.length, `${name} healthcheck`).toBeGreaterThan(1);
      expect(service?.restart, `${name} restart`).toBe('unless-stopped');
      expect(service?.deploy?.resources?.limits?.memory, `${name} memory limit`).toBeDefined();
      expect(service?.deploy?.resources?.limits?.cpus, `${name} cpu limit`).toBeDefined();
    }
    expect(migrate?.restart).toBe('no');
    expect(migrate?.deploy?.resources?.limits?.memory).toBeDefined();
  });

  it("runs every container with a read-only root file system, and NAT's own as non-root users without capabilities", () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.read_only, `${name} read_only`).toBe(true);
      expect(service.security_opt, `${name}`).toContain('no-new-privileges:true');
    }
    for (const [name, service] of Object.entries({ backend, migrate, web })) {
      expect(service?.user, `${name} user`).toMatch(/^(node|nginx)$/);
      expect(service?.cap_drop, `${name}`).toEqual(['ALL']);
      expect(service?.tmpfs, `${name}`).toContain('/tmp');
    }
  });

  it('migrates once, before any API replica starts', () => {
    expect(migrate?.command).toEqual(['node', 'dist/backend/bin/migrate.js']);
    expect(existsSync(join(REPO_ROOT, 'backend/src/bin/migrate.ts'))).toBe(true);
    expect(migrate?.image).toBe(backend?.image);
    expect(backend?.depends_on?.['migrate']?.condition).toBe('service_completed_successfully');
    expect(migrate?.depends_on?.['db']?.condition).toBe('service_healthy');
    expect(backend?.deploy?.replicas).toBeGreaterThan(1);
  });

  it('trusts X-Forwarded-For from nginx alone, at its fixed address on the network it shares with the API', () => {
    const edge = networksOf(web ?? {});
    const proxyAddress = (web?.networks as Record<string, { ipv4_address?: string }>)['edge']?.ipv4_address;
    expect(edge).toEqual(['edge']);
    expect(backend?.environment?.['TRUST_PROXY']).toBe(proxyAddress);
    const subnet = compose.networks?.['edge']?.ipam?.config[0]?.subnet ?? '';
    expect(subnet).toBe(`${proxyAddress?.split('.').slice(0, 3).join('.')}.0/24`);
    expect(networksOf(backend ?? {}).sort()).toEqual(['data', 'edge']);
    expect(networksOf(db ?? {})).toEqual(['data']);
    expect(compose.networks?.['data']?.internal).toBe(true);
    expect(publishedPorts(backend ?? {})).toEqual([]);
    expect(publishedPorts(db ?? {})).toEqual([]);
  });

  it('points nginx at the API service and its port', () => {
    expect(web?.environment?.['NAT_API_SERVERS']).toMatch(
      new RegExp(`^server backend:${backend?.environment?.['PORT']}\\b.*;$`),
    );
    expect(web?.depends_on?.['backend']?.condition).toBe('service_healthy');
    expect(String(backend?.healthcheck?.test)).toContain(
      `127.0.0.1:${backend?.environment?.['PORT']}/health/ready`,
    );
  });

  it('lists in deploy/prod.env.example only settings the API reads', () => {
    const known = readFileSync(join(REPO_ROOT, 'backend/src/config/config.ts'), 'utf8');
    const example = readFileSync(join(REPO_ROOT, 'deploy/prod.env.example'), 'utf8');
    const keys = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1] ?? '');
    expect(keys.length).toBeGreaterThan(5);
    for (const key of keys)
      expect(known, `${key} is a setting of backend/src/config/config.ts`).toMatch(
        new RegExp(`\\b${key}\\b`),
      );
  });
});
