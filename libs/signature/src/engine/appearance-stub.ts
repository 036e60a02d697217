import { PDFContext, PDFDict, PDFRef } from 'pdf-lib';
import { PrepareSignatory, SignAppearance } from '../signature-engine.types';

/*
 * Placeholder for the appearance module (certificate page layout, fonts, signed blocks) with the
 * same signatures. It draws rectangles only and no text, so pages built with it carry no names.
 */

export interface CertificatePageInput {
  documentName: string;
  documentSha256: string;
  transactionUid: string;
  signatories: PrepareSignatory[];
}

export interface CertificatePageBlock {
  fieldName: string;
  rect: [number, number, number, number];
  blankAppearance: PDFRef;
  staticAppearance: PDFRef;
}

export interface CertificatePage {
  pageWidth: number;
  pageHeight: number;
  contents: PDFRef;
  resources: PDFDict;
  blocks: CertificatePageBlock[];
  signedAppearanceResources: PDFRef;
}

export interface InvisibleFieldsResources {
  blocks: Array<{ fieldName: string; staticAppearance: PDFRef }>;
  signedAppearanceResources: PDFRef;
}

export interface SignedAppearanceInput {
  width: number;
  height: number;
  staticXObjectName: string;
  signedAt: Date;
  appearance: SignAppearance;
  certificateSubject: string;
  certificateSerial: string;
}

const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const BLOCK_WIDTH = 250;
const BLOCK_HEIGHT = 110;

function formXObject(context: PDFContext, width: number, height: number, operators: string): PDFRef {
  const stream = context.flateStream(operators, {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, width, height],
    Resources: {},
  });
  return context.register(stream);
}

export function buildCertificatePage(context: PDFContext, input: CertificatePageInput): CertificatePage {
  const blocks = input.signatories.map((signatory, i): CertificatePageBlock => {
    const x = 50 + (i % 2) * (BLOCK_WIDTH + 20);
    const y = 500 - Math.floor(i / 2) * (BLOCK_HEIGHT + 20);
    const frame = `0.5 w 0 0 ${BLOCK_WIDTH} ${BLOCK_HEIGHT} re S`;
    return {
      fieldName: signatory.fieldName,
      rect: [x, y, x + BLOCK_WIDTH, y + BLOCK_HEIGHT],
      blankAppearance: formXObject(context, BLOCK_WIDTH, BLOCK_HEIGHT, frame),
      staticAppearance: formXObject(context, BLOCK_WIDTH, BLOCK_HEIGHT, frame),
    };
  });
  const contents = context.register(context.flateStream('0.8 g 50 700 495 60 re f'));
  return {
    pageWidth: PAGE_WIDTH,
    pageHeight: PAGE_HEIGHT,
    contents,
    resources: context.obj({}),
    blocks,
    signedAppearanceResources: context.register(context.obj({})),
  };
}

export function buildInvisibleFieldsResources(
  context: PDFContext,
  signatories: PrepareSignatory[],
): InvisibleFieldsResources {
  return {
    blocks: signatories.map((signatory) => ({
      fieldName: signatory.fieldName,
      staticAppearance: formXObject(context, BLOCK_WIDTH, BLOCK_HEIGHT, ''),
    })),
    signedAppearanceResources: context.register(context.obj({})),
  };
}

export function buildSignedAppearance(input: SignedAppearanceInput): string {
  return `q /${input.staticXObjectName} Do Q 0 0 1 RG 1 w 2 2 ${input.width - 4} ${input.height - 4} re S`;
}
