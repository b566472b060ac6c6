import { performance } from 'node:perf_hooks';
import { ApiProcess } from './api-process';
import { createWorld, DEFAULT_WORLD, type LoadWorld, type WorldShape } from './fixtures';
import { DATABASE_SERVER, LoadDatabase } from './load-database';
import { secondsSince } from './report';
import { TcpProxy } from './tcp-proxy';

/** Everything one suite runs against: its own database, the proxy in front of it, the API, and the fixtures. */
export interface LoadStack {
  database: LoadDatabase;
  proxy: TcpProxy;
  api: ApiProcess;
  world: LoadWorld;
  startedAt: number;
}

/** A fresh database, the proxy, the production build of the API through the proxy, and signed-in users. */
export async function startStack(name: string, shape: WorldShape = DEFAULT_WORLD): Promise<LoadStack> {
  const startedAt = performance.now();
  const database = await LoadDatabase.create();
  let proxy: TcpProxy | undefined;
  let api: ApiProcess | undefined;
  try {
    proxy = await TcpProxy.start(DATABASE_SERVER);
    api = await ApiProcess.start(name, database.urlThrough(proxy.port));
    const world = await createWorld(database.pool, api.origin, shape);
    console.log(
      `${name}: database ${database.name}, API pid ${api.pid} on ${api.origin} through proxy :${proxy.port}, ` +
        `${world.tenants.length} tenants, ${world.users.length} users, ready in ${secondsSince(startedAt, performance.now())}` +
        `\n  API log: ${api.logFile}`,
    );
    return { database, proxy, api, world, startedAt };
  } catch (error) {
    await api?.stop();
    await proxy?.close();
    await database.drop();
    throw error;
  }
}

/** Stops the API (if still running), the proxy, and drops the database. */
export async function stopStack(name: string, stack: LoadStack | undefined): Promise<void> {
  if (!stack) return;
  await stack.api.stop();
  await stack.proxy.close();
  await stack.database.drop();
  console.log(`${name}: done in ${secondsSince(stack.startedAt, performance.now())}`);
}
