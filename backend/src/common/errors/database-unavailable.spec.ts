import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable, isPoolExhausted } from './database-unavailable';

const withCode = (code: string) => Object.assign(new Error('failed'), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a reset connection', withCode('ECONNRESET')],
    ['a refused connection to every address', new AggregateError([withCode('ECONNREFUSED')], 'connect')],
    ['a connection node-postgres saw end', new Error('Connection terminated unexpectedly')],
    ['a connect timeout', new Error('Connection terminated due to connection timeout')],
    ['a server shutting down (57P01)', withCode('57P01')],
    ['a server out of connection slots (53300)', withCode('53300')],
    [
      'a connection failure inside a TypeORM query error',
      new QueryFailedError('SELECT 1', [], withCode('08006')),
    ],
  ])('recognises %s', (_case, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT', [], withCode('23505'))],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a string', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('leaves %s to the 500 path', (_case, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe('isPoolExhausted', () => {
  it('tells a pool that stayed busy for the whole wait from a database that is down', () => {
    const busy = new Error('timeout exceeded when trying to connect');
    expect(isPoolExhausted(busy)).toBe(true);
    expect(isDatabaseUnavailable(busy)).toBe(false);
    expect(isPoolExhausted(new Error('Connection terminated unexpectedly'))).toBe(false);
  });
});
