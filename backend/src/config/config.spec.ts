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
