import { Agent, IncomingMessage, request, ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Req, Res, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Express, Request, Response } from 'express';
import { constructorWithPrototype, NatExpressAdapter } from './express-adapter';

interface Seen {
  requestPrototype: object | null;
  responsePrototype: object | null;
  isIncomingMessage: boolean;
  isServerResponse: boolean;
  path: string;
  query: unknown;
}

@Controller('probe')
class ProbeController {
  static seen: Seen | undefined;

  @Get()
  probe(@Req() request: Request, @Res() response: Response): void {
    ProbeController.seen = {
      requestPrototype: Object.getPrototypeOf(request) as object | null,
      responsePrototype: Object.getPrototypeOf(response) as object | null,
      isIncomingMessage: request instanceof IncomingMessage,
      isServerResponse: response instanceof ServerResponse,
      path: request.path,
      query: request.query,
    };
    // Express's own response methods: they come from the prototype the server gave the response.
    response.status(201).json({ ok: true });
  }
}

describe('NatExpressAdapter', () => {
  let app: INestApplication;
  let express: Express;
  let port: number;
  /** The prototypes of each request and response as the server built them, before Express saw them. */
  const built: { request: object | null; response: object | null }[] = [];

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ProbeController] }).compile();
    const adapter = new NatExpressAdapter();
    express = adapter.getInstance<Express>();
    app = moduleRef.createNestApplication(adapter, { logger: false });
    await app.init();
    const server = app.getHttpServer() as Server;
    server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
      built.push({
        request: Object.getPrototypeOf(request) as object | null,
        response: Object.getPrototypeOf(response) as object | null,
      });
    });
    await app.listen(0, '127.0.0.1');
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => app.close());

  it("builds each request and response with Express's prototypes, so Express never has to swap them", async () => {
    built.length = 0;
    const answer = await fetch(`http://127.0.0.1:${port}/probe?stage=Lead`);

    expect(answer.status).toBe(201);
    expect(await answer.json()).toEqual({ ok: true });
    expect(built).toEqual([{ request: express.request, response: express.response }]);
    expect(ProbeController.seen).toEqual({
      requestPrototype: express.request,
      responsePrototype: express.response,
      isIncomingMessage: true,
      isServerResponse: true,
      path: '/probe',
      query: { stage: 'Lead' },
    });
  });

  it('builds every request of a kept-alive connection the same way', async () => {
    built.length = 0;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const answers: { status: number; localPort: number }[] = [];
    for (let index = 0; index < 3; index++) answers.push(await get(agent, port));
    agent.destroy();

    expect(answers.map(({ status }) => status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map(({ localPort }) => localPort)).size).toBe(1);
    expect(built).toEqual(Array(3).fill({ request: express.request, response: express.response }));
  });
});

function get(agent: Agent, port: number): Promise<{ status: number; localPort: number }> {
  return new Promise((resolve, reject) => {
    const call = request({ agent, port, host: '127.0.0.1', path: '/probe' }, (response) => {
      const localPort = response.socket.localPort ?? 0;
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, localPort }));
    });
    call.on('error', reject);
    call.end();
  });
}

describe('constructorWithPrototype', () => {
  class Base {
    constructor(readonly value: number) {}
  }

  it('builds instances of a class with the given prototype, through its constructor', () => {
    const prototype = Object.create(Base.prototype) as Base & { twice(): number };
    prototype.twice = function twice(this: Base) {
      return this.value * 2;
    };
    const Built = constructorWithPrototype(Base, prototype);

    const instance = new Built(21);

    expect(Object.getPrototypeOf(instance)).toBe(prototype);
    expect(instance).toBeInstanceOf(Base);
    expect(instance.value).toBe(21);
    expect((instance as typeof prototype).twice()).toBe(42);
  });

  it('refuses a prototype that does not derive from the base', () => {
    expect(() => constructorWithPrototype(Base, {})).toThrow(TypeError);
  });
});
