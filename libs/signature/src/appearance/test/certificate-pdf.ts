import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFArray, PDFDocument, PDFHexString, PDFName, PDFRef } from 'pdf-lib';
import { AuthenticationMethod, PrepareSignatory, SignatoryLanguage, SignatureLevel } from '../../signature-engine.types';
import { buildCertificatePage, CertificatePage } from '../certificate-page';
import { buildSignedAppearance, SignedAppearanceInput } from '../signed-appearance';

export function signatory(
  index: number,
  firstname: string,
  lastname: string,
  language: SignatoryLanguage = 'EN',
  signatureLevel: SignatureLevel = 'simple',
  authentication: AuthenticationMethod = 'sms',
): PrepareSignatory {
  return { fieldName: `Signature${index}`, firstname, lastname, language, signatureLevel, authentication };
}

export type SignedBlock = Omit<SignedAppearanceInput, 'width' | 'height' | 'staticXObjectName'>;

/**
 * Builds a one-page PDF with the certificate page and its signature widgets, as the prepare
 * step adds them. Blocks listed in `signed` get their signed appearance instead of the blank one.
 */
export async function certificatePagePdf(
  signatories: PrepareSignatory[],
  signed: Record<string, SignedBlock> = {},
  documentName = 'Contrat de prestation 2026 – version finale.pdf',
): Promise<{ bytes: Buffer; page: CertificatePage }> {
  const document = await PDFDocument.create();
  const context = document.context;
  const page = buildCertificatePage(context, {
    documentName,
    documentSha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    transactionUid: 'tx_01JH4Z7Q8M3N5P6R7S8T9V0W1X',
    signatories,
  });
  const pdfPage = document.addPage([page.pageWidth, page.pageHeight]);
  pdfPage.node.set(PDFName.of('Contents'), page.contents);
  pdfPage.node.set(PDFName.of('Resources'), page.resources);

  const widgets: PDFRef[] = page.blocks.map((block) => {
    let appearance = block.blankAppearance;
    const signedBlock = signed[block.fieldName];
    if (signedBlock) {
      const width = block.rect[2] - block.rect[0];
      const height = block.rect[3] - block.rect[1];
      const operators = buildSignedAppearance({ ...signedBlock, width, height, staticXObjectName: block.staticXObjectName });
      appearance = context.register(
        context.flateStream(operators, {
          Type: 'XObject',
          Subtype: 'Form',
          BBox: [0, 0, width, height],
          Resources: page.signedAppearanceResources,
        }),
      );
    }
    return context.register(
      context.obj({
        Type: 'Annot',
        Subtype: 'Widget',
        FT: 'Sig',
        T: PDFHexString.fromText(block.fieldName),
        Rect: block.rect,
        F: 4,
        P: pdfPage.ref,
        AP: { N: appearance },
      }),
    );
  });
  pdfPage.node.set(PDFName.of('Annots'), context.obj(widgets));
  document.catalog.set(PDFName.of('AcroForm'), context.obj({ Fields: context.obj(widgets) as PDFArray, SigFlags: 3 }));
  return { bytes: Buffer.from(await document.save({ useObjectStreams: false })), page };
}

/** Writes the PDF to a temporary folder, runs `run` on it and removes the folder afterwards. */
function withPdf<T>(bytes: Buffer, run: (pdfPath: string, folder: string) => T): T {
  const folder = mkdtempSync(join(tmpdir(), 'secusign-appearance-'));
  try {
    const pdfPath = join(folder, 'input.pdf');
    writeFileSync(pdfPath, bytes);
    return run(pdfPath, folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Extracts the text of page 1 with `pdftotext`. */
export function extractText(bytes: Buffer): string {
  return withPdf(bytes, (pdfPath) => execFileSync('pdftotext', ['-f', '1', '-l', '1', pdfPath, '-'], { encoding: 'utf8' }));
}

/** Removes the direction marks that pdftotext puts around right-to-left lines. */
export function withoutDirectionMarks(text: string): string {
  return text.replace(/[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, '');
}

export interface GrayImage {
  width: number;
  height: number;
  /** Pixel rows from the top, 0 black to 255 white. */
  pixels: Buffer;
  /** Pixels per user space unit. */
  scale: number;
}

/** Rasterizes page 1 with `pdftoppm` to an 8-bit gray image. */
export function rasterize(bytes: Buffer, dpi = 72): GrayImage {
  return withPdf(bytes, (pdfPath, folder) => {
    execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-r', String(dpi), '-gray', pdfPath, join(folder, 'page')]);
    const file = readFileSync(join(folder, 'page-1.pgm'));
    // Binary PGM: "P5\n<width> <height>\n<maxval>\n" then one byte per pixel.
    const header = file.toString('latin1', 0, 64).match(/^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/);
    if (!header) {
      throw new Error('pdftoppm did not write a binary PGM image');
    }
    return {
      width: Number(header[1]),
      height: Number(header[2]),
      pixels: file.subarray(header[0].length),
      scale: dpi / 72,
    };
  });
}

/** Counts pixels darker than `threshold` inside a rectangle given in PDF user space [x1 y1 x2 y2]. */
export function darkPixels(
  image: GrayImage,
  pageHeight: number,
  [x1, y1, x2, y2]: [number, number, number, number],
  threshold = 128,
): number {
  const left = Math.max(0, Math.floor(x1 * image.scale));
  const right = Math.min(image.width, Math.ceil(x2 * image.scale));
  const top = Math.max(0, Math.floor((pageHeight - y2) * image.scale));
  const bottom = Math.min(image.height, Math.ceil((pageHeight - y1) * image.scale));
  let count = 0;
  for (let row = top; row < bottom; row++) {
    for (let column = left; column < right; column++) {
      if (image.pixels[row * image.width + column] < threshold) {
        count++;
      }
    }
  }
  return count;
}
