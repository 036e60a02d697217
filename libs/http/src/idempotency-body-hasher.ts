import { createHash, Hash } from 'node:crypto';
import type { Request } from 'express';
import busboy from 'busboy';

/**
 * SHA-256 of a request body as its handler streams it. The hasher observes the `data` events
 * that every way of reading a stream emits (`pipe`, `read()`, async iteration), so it neither
 * consumes the body nor changes its flowing mode.
 *
 * A `multipart/form-data` body is hashed part by part (field names, values, file names, media
 * types and file bytes) rather than byte for byte, because clients pick a new random boundary
 * for every request, retries included.
 */
export class StreamedBodyHasher {
  private readonly hash: Hash = createHash('sha256');
  private readonly multipart?: busboy.Busboy;
  private multipartFinished = false;
  private failed = false;
  private ended = false;
  private bytes = 0;

  constructor(private readonly request: Request) {
    if (request.is('multipart/form-data')) {
      this.multipart = this.createMultipartHasher(request);
    }
    const originalEmit = request.emit;
    request.emit = ((event: string | symbol, ...args: unknown[]) => {
      if (event === 'data') {
        this.update(args[0] as Buffer | string);
      } else if (event === 'end') {
        this.finish();
      }

      return originalEmit.call(request, event, ...args);
    }) as Request['emit'];
  }

  /** Number of body bytes seen so far. */
  get length(): number {
    return this.bytes;
  }

  /**
   * Returns the hex digest once the whole body went through and, for multipart, parsed cleanly.
   * Returns null before that, because the hash of part of a body does not identify the request.
   */
  digest(): string | null {
    if (!this.ended || this.failed || (this.multipart && !this.multipartFinished)) {
      return null;
    }

    return this.hash.copy().digest('hex');
  }

  /**
   * Resolves once the multipart parser has processed the whole body. Resolves at once for other
   * bodies and for a body that was not read to its end, whose digest stays null.
   */
  async settled(): Promise<void> {
    if (!this.multipart || this.multipartFinished || this.failed || !this.ended) {
      return;
    }
    await new Promise<void>((resolve) => {
      this.multipart!.once('close', resolve);
      this.multipart!.once('error', () => resolve());
    });
  }

  private update(chunk: Buffer | string): void {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.bytes += buffer.length;
    if (this.multipart) {
      if (!this.failed) {
        this.multipart.write(buffer);
      }
    } else {
      this.hash.update(buffer);
    }
  }

  private finish(): void {
    this.ended = true;
    if (this.multipart && !this.failed) {
      this.multipart.end();
    }
  }

  private createMultipartHasher(request: Request): busboy.Busboy | undefined {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: request.headers, limits: { fieldSize: 1024 * 1024 } });
    } catch {
      // A missing or invalid boundary: the handler rejects the request, and it is not stored.
      this.failed = true;

      return undefined;
    }
    const field = (...parts: string[]) => this.hash.update(`${parts.map((part) => `${part.length}:${part}`).join('')};`);
    parser.on('field', (name, value) => field('field', name, value));
    parser.on('file', (name, stream, info) => {
      field('file', name, info.filename ?? '', info.mimeType);
      stream.on('data', (data: Buffer) => this.hash.update(data));
      stream.on('end', () => field('end-of-file'));
    });
    parser.on('close', () => {
      this.multipartFinished = true;
    });
    parser.on('error', () => {
      this.failed = true;
    });

    return parser;
  }
}
