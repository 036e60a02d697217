import { createServer, get, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ArgumentsHost, Logger } from '@nestjs/common';
import { isClientDisconnect } from './client-disconnect';
import { ProblemFilter } from './problem.filter';

/** Streams an endless body in small chunks, or fails after the first chunk when `failWith` is set. */
function slowBody(failWith?: Error): Readable {
  let sent = 0;

  return new Readable({
    read() {
      sent += 1;
      if (failWith && sent > 1) {
        this.destroy(failWith);

        return;
      }
      setTimeout(() => this.push(Buffer.alloc(1024, 0x25)), 10);
    },
  });
}

function hostOf(request: IncomingMessage, response: ServerResponse): ArgumentsHost {
  return { switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }) } as unknown as ArgumentsHost;
}

/**
 * Serves one download through `pipeline` and the problem filter, as the download controllers
 * do, and resolves once the filter has handled the error the pipeline raised.
 */
async function serveThroughFilter(body: Readable, readResponse: (response: IncomingMessage) => void): Promise<void> {
  const filter = new ProblemFilter();
  let server: Server | undefined;
  try {
    await new Promise<void>((handled, failed) => {
      server = createServer((request, response) => {
        Object.assign(request, { originalUrl: '/api/v1/downloads/secret-token' });
        response.setHeader('Content-Type', 'application/pdf');
        pipeline(body, response).then(
          () => failed(new Error('the pipeline finished without an error')),
          (error: unknown) => {
            filter.catch(error, hostOf(request, response));
            handled();
          },
        );
      });
      server.listen(0, '127.0.0.1', () => {
        const { port } = server!.address() as AddressInfo;
        get({ host: '127.0.0.1', port, path: '/api/v1/downloads/secret-token' }, readResponse).on('error', () => undefined);
      });
    });
  } finally {
    await new Promise((closed) => server?.close(closed));
  }
}

describe('ProblemFilter after the response started', () => {
  let debug: jest.SpyInstance;
  let error: jest.SpyInstance;
  let warn: jest.SpyInstance;

  beforeEach(() => {
    debug = jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('logs a client abort at debug', async () => {
    await serveThroughFilter(slowBody(), (response) => response.once('data', () => response.destroy()));

    expect(error).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
    expect(debug).toHaveBeenCalledTimes(1);
    const [fields, message] = debug.mock.calls[0] as [Record<string, unknown>, string];
    expect(message).toBe('client closed the connection before the response was complete');
    expect(fields.path).toBe('/api/v1/downloads/[redacted]');
    expect(fields.code).toBe('ERR_STREAM_PREMATURE_CLOSE');
  });

  it('logs a failing source at error', async () => {
    const readFailure = Object.assign(new Error('storage read failed'), { code: 'EIO' });

    await serveThroughFilter(slowBody(readFailure), (response) => response.resume());

    expect(debug).not.toHaveBeenCalled();
    expect(error).toHaveBeenCalledTimes(1);
    const [fields, message] = error.mock.calls[0] as [Record<string, unknown>, string];
    expect(message).toBe('error raised after the response started');
    expect(fields.err).toBe(readFailure);
    expect(fields.path).toBe('/api/v1/downloads/[redacted]');
  });
});

describe('isClientDisconnect', () => {
  it.each([
    ['ERR_STREAM_PREMATURE_CLOSE', false, true],
    ['ECONNRESET', false, true],
    ['EPIPE', false, true],
    ['ERR_STREAM_PREMATURE_CLOSE', true, false],
    ['EIO', false, false],
    [undefined, false, false],
  ])('code %s with writableFinished %s returns %s', (code, writableFinished, expected) => {
    expect(isClientDisconnect(Object.assign(new Error('failed'), { code }), { writableFinished })).toBe(expected);
  });

  it('returns false for a non-object', () => {
    expect(isClientDisconnect('Premature close', { writableFinished: false })).toBe(false);
  });
});
