import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironment } from './config';

describe('configuration', () => {
  it('defaults to port 8000 and the embedded database under ./data', () => {
    const environment = loadEnvironment({});
    expect(environment.PORT).toBe(8000);
    expect(environment.DATABASE_URL).toBeUndefined();
    expect(environment.EMBEDDED_DB_DIR).toBe('./data');
    expect(environment.DB_POOL_SIZE).toBe(10);
  });

  it('reads numbers from strings', () => {
    expect(loadEnvironment({ PORT: '9000', DB_POOL_SIZE: '4' })).toMatchObject({
      PORT: 9000,
      DB_POOL_SIZE: 4,
    });
  });

  it('refuses to start with a value that makes no sense, naming it', () => {
    expect(() => loadEnvironment({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadEnvironment({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadEnvironment({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });
});

describe('secrets from files (Docker and Kubernetes secrets)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'nat-secrets-'));
  const file = (name: string, content: string) => {
    const path = join(directory, name);
    writeFileSync(path, content);
    return path;
  };

  it('reads JWT_SECRET_FILE and DATABASE_URL_FILE, without the trailing newline', () => {
    const environment = loadEnvironment({
      JWT_SECRET_FILE: file('jwt', 'k'.repeat(40) + '\n'),
      DATABASE_URL_FILE: file('url', 'postgres://nat@db:5432/nat\n'),
    });
    expect(environment.JWT_SECRET).toBe('k'.repeat(40));
    expect(environment.DATABASE_URL).toBe('postgres://nat@db:5432/nat');
  });

  it('puts DATABASE_PASSWORD_FILE into DATABASE_URL, encoding what a URL cannot hold', () => {
    const environment = loadEnvironment({
      DATABASE_URL: 'postgres://nat@db:5432/nat',
      DATABASE_PASSWORD_FILE: file('password', 'p@ss:w/rd\n'),
    });
    expect(environment.DATABASE_URL).toBe('postgres://nat:p%40ss%3Aw%2Frd@db:5432/nat');
  });

  it('refuses a setting given both directly and as a file', () => {
    expect(() =>
      loadEnvironment({ JWT_SECRET: 'k'.repeat(40), JWT_SECRET_FILE: file('jwt2', 'k'.repeat(40)) }),
    ).toThrow('Set JWT_SECRET or JWT_SECRET_FILE, not both');
  });

  it('names the file it cannot read', () => {
    expect(() => loadEnvironment({ JWT_SECRET_FILE: join(directory, 'missing') })).toThrow(
      /JWT_SECRET_FILE: cannot read .*missing \(ENOENT\)/,
    );
  });

  it('refuses a password without a database URL to put it in', () => {
    expect(() => loadEnvironment({ DATABASE_PASSWORD: 'secret' })).toThrow(
      'DATABASE_PASSWORD needs DATABASE_URL',
    );
  });
});
