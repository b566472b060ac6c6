import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { installLeanAsyncResourceBind } from './async-resource-bind';

describe('installLeanAsyncResourceBind', () => {
  const originals = [
    [AsyncResource, Object.getOwnPropertyDescriptor(AsyncResource, 'bind')],
    [AsyncResource.prototype, Object.getOwnPropertyDescriptor(AsyncResource.prototype, 'bind')],
  ] as const;
  beforeAll(() => installLeanAsyncResourceBind());
  afterAll(() => {
    for (const [owner, descriptor] of originals) Object.defineProperty(owner, 'bind', descriptor!);
  });

  it('binds without the deprecated asyncResource accessor', () => {
    const bound = AsyncResource.bind(() => 1);
    expect(Object.getOwnPropertyDescriptor(bound, 'asyncResource')).toBeUndefined();
    expect(bound()).toBe(1);
  });

  it('still runs the function in the async context it was bound in', async () => {
    const storage = new AsyncLocalStorage<string>();
    const bound = storage.run('request one', () => AsyncResource.bind(() => storage.getStore()));
    const viaStorage = storage.run('request two', () => AsyncLocalStorage.bind(() => storage.getStore()));
    await storage.run('elsewhere', async () => {
      await Promise.resolve();
      expect(bound()).toBe('request one');
      expect(viaStorage()).toBe('request two');
    });
  });

  it('keeps the arguments, the length, the caller’s this, or the one given', () => {
    function add(this: unknown, a: number, b: number): number {
      return ((this as { base?: number } | undefined)?.base ?? 0) + a + b;
    }
    const bound = AsyncResource.bind(add);
    expect(bound.length).toBe(2);
    expect(bound.call({ base: 10 }, 1, 2)).toBe(13);
    // Node's own signature is bind(fn, thisArg); @types/node leaves thisArg out.
    const resource = new AsyncResource('test') as unknown as {
      bind(fn: typeof add, thisArg: unknown): typeof add;
    };
    const withThis = resource.bind(add, { base: 100 });
    expect(withThis.call({ base: 10 }, 1, 2)).toBe(103);
  });

  it('refuses what is not a function, as Node does', () => {
    expect(() => AsyncResource.bind(42 as unknown as () => void)).toThrow(TypeError);
  });
});
