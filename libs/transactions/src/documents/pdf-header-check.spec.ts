import { Readable } from 'node:stream';
import { DocumentErrorCode } from './document.errors';
import { withPdfHeaderCheck } from './pdf-header-check';

async function drain(chunks: Buffer[]): Promise<Buffer> {
  const output: Buffer[] = [];
  for await (const chunk of withPdfHeaderCheck(Readable.from(chunks))) {
    output.push(chunk as Buffer);
  }

  return Buffer.concat(output);
}

describe('withPdfHeaderCheck', () => {
  it('passes a PDF through unchanged', async () => {
    const chunks = [Buffer.from('%PD'), Buffer.from('F-1.7\n'), Buffer.alloc(5000, 0x20)];

    expect(await drain(chunks)).toEqual(Buffer.concat(chunks));
  });

  it('accepts a header after leading junk', async () => {
    const bytes = Buffer.concat([Buffer.alloc(1000, 0x41), Buffer.from('%PDF-1.4\n')]);

    expect(await drain([bytes])).toEqual(bytes);
  });

  it('accepts a short PDF', async () => {
    expect((await drain([Buffer.from('%PDF-1.4')])).toString()).toBe('%PDF-1.4');
  });

  it('rejects an empty source', async () => {
    await expect(drain([])).rejects.toMatchObject({ code: DocumentErrorCode.Empty, status: 422 });
  });

  it('rejects text without a header', async () => {
    await expect(drain([Buffer.from('This is not a PDF file')])).rejects.toMatchObject({ code: DocumentErrorCode.NotPdf, status: 415 });
  });

  it('rejects a header after 1024 bytes', async () => {
    const bytes = Buffer.concat([Buffer.alloc(1030, 0x41), Buffer.from('%PDF-1.4\n'), Buffer.alloc(2000)]);

    await expect(drain([bytes])).rejects.toMatchObject({ code: DocumentErrorCode.NotPdf });
  });

  it('fails before reading past the window', async () => {
    let chunksRead = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      for (;;) {
        chunksRead += 1;
        yield Buffer.alloc(512, 0x41);
      }
    }
    const output: Buffer[] = [];

    await expect(
      (async () => {
        for await (const chunk of withPdfHeaderCheck(endless())) {
          output.push(chunk as Buffer);
        }
      })(),
    ).rejects.toMatchObject({ code: DocumentErrorCode.NotPdf });
    expect(chunksRead).toBeLessThanOrEqual(3);
  });
});
