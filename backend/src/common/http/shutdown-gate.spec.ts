import { once } from 'node:events';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { ShutdownGate } from './shutdown-gate';

interface Answer {
  status: number;
  connection?: string;
  body: string;
}

function get(port: number, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ port, path }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('ShutdownGate', () => {
  let server: Server;
  let port: number;
  let gate: ShutdownGate;
  let release: () => void;
  let started: Promise<void>;

  beforeEach(async () => {
    gate = new ShutdownGate();
    const app = express();
    app.use(gate.admit);
    let markStarted!: () => void;
    started = new Promise((resolve) => (markStarted = resolve));
    const held = new Promise<void>((resolve) => (release = resolve));
    app.get('/slow', (_request, response) => {
      markStarted();
      void held.then(() => response.json({ done: true }));
    });
    app.get('/fast', (_request, response) => response.json({ ok: true }));
    server = createServer(app);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });

  afterEach(() => {
    release();
    server.closeAllConnections();
    server.close();
  });

  it('lets a request in flight finish and answers it, closing its connection', async () => {
    const slow = get(port, '/slow');
    await started;
    const drained = gate.drain(server, 5_000);
    release();
    const answer = await slow;
    expect(answer).toMatchObject({ status: 200, connection: 'close', body: '{"done":true}' });
    expect(await drained).toEqual({ unfinished: 0 });
  });

  it('refuses new connections once draining', async () => {
    const slow = get(port, '/slow');
    await started;
    const drained = gate.drain(server, 5_000);
    await expect(get(port, '/fast')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    release();
    await slow;
    await drained;
  });

  it('answers 503 SERVICE_UNAVAILABLE with Connection: close to a request that still reaches it', async () => {
    await gate.drain(server, 0);
    const headers: Record<string, string> = {};
    let answered: { status?: number; body?: unknown } = {};
    const response = {
      setHeader: (name: string, value: string) => (headers[name] = value),
      status(status: number) {
        answered.status = status;
        return this;
      },
      json: (body: unknown) => (answered = { ...answered, body }),
    };
    const next = jest.fn();
    gate.admit({} as Request, response as unknown as Response, next);
    expect(next).not.toHaveBeenCalled();
    expect(headers.Connection).toBe('close');
    expect(answered).toEqual({
      status: 503,
      body: { detail: expect.any(String), error_code: 'SERVICE_UNAVAILABLE' },
    });
  });

  it('answers a request sent on a kept-alive connection just after the stop with 503, not a reset', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const viaAgent = (path: string) =>
      new Promise<Answer>((resolve, reject) => {
        const req = request({ port, path, agent }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }),
          );
        });
        req.on('error', reject);
        req.end();
      });
    expect((await viaAgent('/fast')).status).toBe(200);
    const drained = gate.drain(server, 5_000, 300);
    const late = await viaAgent('/fast');
    expect(late.status).toBe(503);
    expect(late.connection).toBe('close');
    await drained;
    agent.destroy();
  });

  it('stops waiting after the timeout and reports what was still running', async () => {
    void get(port, '/slow').catch(() => undefined);
    await started;
    expect(await gate.drain(server, 50)).toEqual({ unfinished: 1 });
  });
});
