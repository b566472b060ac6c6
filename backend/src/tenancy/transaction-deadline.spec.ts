import type { QueryRunner } from 'typeorm';
import { TransactionDeadline } from './transaction-deadline';

const never = () => new Promise<never>(() => undefined);

describe('TransactionDeadline', () => {
  it('answers the work when it is faster', async () => {
    await expect(new TransactionDeadline(1_000).race(Promise.resolve('done'))).resolves.toBe('done');
  });

  it('answers 503 DATABASE_UNAVAILABLE when the database stays silent, dropping the connection', async () => {
    const destroy = jest.fn();
    const deadline = new TransactionDeadline(20);
    deadline.attach({
      databaseConnection: { connection: { stream: { destroy } } },
    } as unknown as QueryRunner);
    await expect(deadline.race(never())).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE', status: 503 });
    expect(destroy).toHaveBeenCalledTimes(1);
  });

  it('never starts a transaction whose connection came after the deadline', async () => {
    const deadline = new TransactionDeadline(10);
    await expect(deadline.race(never())).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    expect(() => deadline.attach(undefined)).toThrow(
      expect.objectContaining({ code: 'DATABASE_UNAVAILABLE' }),
    );
  });

  it('passes the work’s own error on', async () => {
    await expect(new TransactionDeadline(1_000).race(Promise.reject(new Error('no')))).rejects.toThrow('no');
  });
});
