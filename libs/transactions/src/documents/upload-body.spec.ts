import { PassThrough } from 'node:stream';
import type { Request } from 'express';
import { DocumentErrorCode } from './document.errors';
import { assertDeclaredLength, MULTIPART_OVERHEAD_BYTES, receiveMultipart, receiveRawBody, uploadBodyKind } from './upload-body';

/** Builds a stand-in for an express request whose body is `body`. */
function fakeRequest(headers: Record<string, string>, options: { complete?: boolean; socketDestroyed?: boolean } = {}): Request & PassThrough {
  const body = new PassThrough();
  const response = { headersSent: false, headers: {} as Record<string, string>, setHeader(name: string, value: string) { this.headers[name.toLowerCase()] = value; } };

  const request = Object.assign(body, {
    headers,
    complete: options.complete ?? false,
    socket: { destroyed: options.socketDestroyed ?? false },
    res: response,
  });
  // Like IncomingMessage, the request is complete once its whole body was received.
  body.once('end', () => (request.complete = true));

  return request as unknown as Request & PassThrough;
}

describe('uploadBodyKind', () => {
  it.each([
    ['application/pdf', 'pdf'],
    ['Application/PDF; charset=binary', 'pdf'],
    ['multipart/form-data; boundary=x', 'multipart'],
    ['application/json', null],
    ['application/octet-stream', null],
    [undefined, null],
  ])('maps %j to %j', (contentType, kind) => {
    expect(uploadBodyKind(contentType)).toBe(kind);
  });
});

describe('assertDeclaredLength', () => {
  it('accepts a raw body of exactly the limit', () => {
    expect(() => assertDeclaredLength(fakeRequest({ 'content-length': '1000' }), 'pdf', 1000)).not.toThrow();
  });

  it('rejects a raw body above the limit and closes the connection', () => {
    const request = fakeRequest({ 'content-length': '1001' });

    expect(() => assertDeclaredLength(request, 'pdf', 1000)).toThrow(expect.objectContaining({ code: DocumentErrorCode.TooLarge, status: 413 }));
    expect((request.res as unknown as { headers: Record<string, string> }).headers.connection).toBe('close');
  });

  it('allows the multipart overhead', () => {
    expect(() => assertDeclaredLength(fakeRequest({ 'content-length': String(1000 + MULTIPART_OVERHEAD_BYTES) }), 'multipart', 1000)).not.toThrow();
    expect(() => assertDeclaredLength(fakeRequest({ 'content-length': String(1001 + MULTIPART_OVERHEAD_BYTES) }), 'multipart', 1000)).toThrow();
  });

  it('accepts a body without Content-Length', () => {
    expect(() => assertDeclaredLength(fakeRequest({ 'transfer-encoding': 'chunked' }), 'pdf', 1000)).not.toThrow();
  });
});

describe('receiveRawBody', () => {
  it('passes the body to the consumer', async () => {
    const request = fakeRequest({});
    const reading = receiveRawBody(request, async (body) => {
      const chunks: Buffer[] = [];
      for await (const chunk of body) {
        chunks.push(chunk as Buffer);
      }

      return Buffer.concat(chunks).toString();
    });
    request.end('%PDF-1.7 body');

    await expect(reading).resolves.toBe('%PDF-1.7 body');
  });

  it('rejects a request whose connection already closed', async () => {
    const request = fakeRequest({}, { socketDestroyed: true });
    const consume = jest.fn();

    await expect(receiveRawBody(request, consume)).rejects.toMatchObject({ code: DocumentErrorCode.UploadIncomplete });
    expect(consume).not.toHaveBeenCalled();
  });
});

describe('receiveMultipart', () => {
  it('rejects a request whose connection already closed', async () => {
    const request = fakeRequest({ 'content-type': 'multipart/form-data; boundary=x' }, { socketDestroyed: true });
    const consumeFile = jest.fn();

    await expect(receiveMultipart(request, { allowedFields: [], consumeFile, discardFile: jest.fn() })).rejects.toMatchObject({
      code: DocumentErrorCode.UploadIncomplete,
    });
    expect(consumeFile).not.toHaveBeenCalled();
  });

  it('rejects a content type without a boundary', async () => {
    const request = fakeRequest({ 'content-type': 'multipart/form-data' });

    await expect(receiveMultipart(request, { allowedFields: [], consumeFile: jest.fn(), discardFile: jest.fn() })).rejects.toMatchObject({
      code: DocumentErrorCode.InvalidMultipart,
    });
  });

  it('discards a stored file when a later part is invalid', async () => {
    const request = fakeRequest({ 'content-type': 'multipart/form-data; boundary=x' });
    const discardFile = jest.fn(async () => undefined);
    let markStored: () => void = () => undefined;
    const stored = new Promise<void>((resolveStored) => (markStored = resolveStored));
    const receiving = receiveMultipart(request, {
      allowedFields: [],
      consumeFile: async (file) => {
        for await (const chunk of file) {
          void chunk;
        }
        markStored();

        return 'stored';
      },
      discardFile,
    });

    request.write('--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.7\r\n--x\r\n');
    await stored;
    request.end('Content-Disposition: form-data; name="extra"\r\n\r\nvalue\r\n--x--\r\n');

    await expect(receiving).rejects.toMatchObject({ code: DocumentErrorCode.InvalidMultipart, errors: { extra: expect.any(Array) } });
    expect(discardFile).toHaveBeenCalledWith('stored');
  });

  it('stops the file consumer when a later part is invalid', async () => {
    const request = fakeRequest({ 'content-type': 'multipart/form-data; boundary=x' });
    const discardFile = jest.fn(async () => undefined);
    const receiving = receiveMultipart(request, {
      allowedFields: [],
      consumeFile: async (file) => {
        for await (const chunk of file) {
          void chunk;
        }

        return 'stored';
      },
      discardFile,
    });

    request.end(
      '--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.7\r\n' +
        '--x\r\nContent-Disposition: form-data; name="extra"\r\n\r\nvalue\r\n--x--\r\n',
    );

    await expect(receiving).rejects.toMatchObject({ code: DocumentErrorCode.InvalidMultipart });
    expect(discardFile).not.toHaveBeenCalled();
  });

  it('stores no file that follows an invalid part', async () => {
    const request = fakeRequest({ 'content-type': 'multipart/form-data; boundary=x' });
    const consumeFile = jest.fn(async () => 'stored');
    const receiving = receiveMultipart(request, { allowedFields: [], consumeFile, discardFile: jest.fn() });

    request.end(
      '--x\r\nContent-Disposition: form-data; name="comment"\r\n\r\nhello\r\n' +
        '--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.7\r\n--x--\r\n',
    );

    await expect(receiving).rejects.toMatchObject({ code: DocumentErrorCode.InvalidMultipart, errors: { comment: expect.any(Array) } });
    expect(consumeFile).not.toHaveBeenCalled();
  });

  it('returns the fields and the stored file', async () => {
    const request = fakeRequest({ 'content-type': 'multipart/form-data; boundary=x' });
    const receiving = receiveMultipart(request, {
      allowedFields: ['name'],
      consumeFile: async (file, filename) => {
        const chunks: Buffer[] = [];
        for await (const chunk of file) {
          chunks.push(chunk as Buffer);
        }

        return `${filename}:${Buffer.concat(chunks).toString()}`;
      },
      discardFile: jest.fn(),
    });
    request.end(
      '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nLease\r\n' +
        "--x\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''%C3%A9t%C3%A9.pdf\r\n\r\n%PDF-1.7\r\n--x--\r\n",
    );

    await expect(receiving).resolves.toEqual({ fields: { name: 'Lease' }, file: 'été.pdf:%PDF-1.7' });
  });
});
