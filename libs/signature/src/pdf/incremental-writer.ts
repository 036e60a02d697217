import { randomBytes } from 'crypto';
import { PDFArray, PDFHexString, PDFName, PDFObject, PDFRef, PDFString } from 'pdf-lib';
import { LazyPdf } from './lazy-pdf';

/** One object of an update: a pdf-lib object to serialize, or its body already serialized. */
export interface UpdateObject {
  ref: PDFRef;
  object: PDFObject | Uint8Array;
}

export interface IncrementalUpdate {
  /** Bytes to append after the input; the input itself is never modified. */
  appended: Buffer;
  /** Offset, in the whole output file, of each written object's body (after `N G obj\n`). */
  bodyOffsets: Map<number, number>;
  /** Value of the new trailer's `/Size`. */
  size: number;
}

export function serializeObject(object: PDFObject): Uint8Array {
  const buffer = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(buffer, 0);
  return buffer;
}

function documentIdFirst(pdf: LazyPdf): string {
  const id = pdf.resolve(pdf.trailerEntry('ID'));
  if (id instanceof PDFArray && id.size() >= 1) {
    const first = id.get(0);
    if (first instanceof PDFHexString || first instanceof PDFString) return first.toString();
  }
  return `<${randomBytes(16).toString('hex')}>`;
}

/**
 * Builds an incremental update of `pdf` that writes `objects` (new ones numbered from the trailer's
 * /Size, changed ones under their own number) followed by a cross-reference section of the same
 * kind as the file's newest one. The new trailer carries /Size, /Prev, /Root, /Info and /ID (first
 * element kept, second element new); /XRefStm is never copied because the new section lists every
 * object it writes.
 */
export function buildIncrementalUpdate(pdf: LazyPdf, objects: UpdateObject[]): IncrementalUpdate {
  const base = pdf.bytes.length;
  const chunks: Buffer[] = [];
  let length = 0;
  const push = (chunk: Buffer | Uint8Array): void => {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    chunks.push(buffer);
    length += buffer.length;
  };

  const last = pdf.bytes[base - 1];
  if (base > 0 && last !== 0x0a && last !== 0x0d) push(Buffer.from('\n', 'latin1'));

  const bodyOffsets = new Map<number, number>();
  const objectOffsets = new Map<number, { offset: number; generation: number }>();
  let size = pdf.size;
  const sorted = [...objects].sort((a, b) => a.ref.objectNumber - b.ref.objectNumber);
  for (const { ref, object } of sorted) {
    const header = Buffer.from(`${ref.objectNumber} ${ref.generationNumber} obj\n`, 'latin1');
    objectOffsets.set(ref.objectNumber, { offset: base + length, generation: ref.generationNumber });
    push(header);
    bodyOffsets.set(ref.objectNumber, base + length);
    push(object instanceof Uint8Array ? object : serializeObject(object));
    push(Buffer.from('\nendobj\n', 'latin1'));
    size = Math.max(size, ref.objectNumber + 1);
  }

  const root = pdf.rootRef;
  const info = pdf.trailerEntry('Info');
  const id = `[${documentIdFirst(pdf)} <${randomBytes(16).toString('hex')}>]`;
  const common =
    `/Prev ${pdf.lastXrefOffset} /Root ${root.toString()}` +
    (info instanceof PDFRef ? ` /Info ${info.toString()}` : '') +
    ` /ID ${id}`;

  const xrefOffset = base + length;
  if (pdf.lastXrefKind === 'table') {
    push(Buffer.from(`xref\n${xrefTableRows(objectOffsets)}trailer\n<< /Size ${size} ${common} >>\n`, 'latin1'));
  } else {
    const streamNumber = size;
    size += 1;
    objectOffsets.set(streamNumber, { offset: xrefOffset, generation: 0 });
    const { data, index, widths } = xrefStreamRows(objectOffsets);
    const dict =
      `<< /Type /XRef /Size ${size} /Index [${index.join(' ')}] /W [${widths.join(' ')}] ` +
      `${common} /Length ${data.length} >>`;
    push(Buffer.from(`${streamNumber} 0 obj\n${dict}\nstream\n`, 'latin1'));
    push(data);
    push(Buffer.from('\nendstream\nendobj\n', 'latin1'));
  }
  push(Buffer.from(`startxref\n${xrefOffset}\n%%EOF\n`, 'latin1'));

  return { appended: Buffer.concat(chunks, length), bodyOffsets, size };
}

/** Groups object numbers into runs of consecutive numbers. */
function subsections(numbers: number[]): Array<{ first: number; count: number }> {
  const runs: Array<{ first: number; count: number }> = [];
  for (const n of [...numbers].sort((a, b) => a - b)) {
    const run = runs[runs.length - 1];
    if (run && run.first + run.count === n) run.count += 1;
    else runs.push({ first: n, count: 1 });
  }
  return runs;
}

export function xrefTableRows(offsets: Map<number, { offset: number; generation: number }>): string {
  let text = '';
  for (const { first, count } of subsections([...offsets.keys()])) {
    text += `${first} ${count}\n`;
    for (let n = first; n < first + count; n++) {
      const { offset, generation } = offsets.get(n)!;
      // Each entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, two-byte EOL.
      text += `${String(offset).padStart(10, '0')} ${String(generation).padStart(5, '0')} n \n`;
    }
  }
  return text;
}

export function xrefStreamRows(offsets: Map<number, { offset: number; generation: number }>): {
  data: Buffer;
  index: number[];
  widths: [number, number, number];
} {
  let maxOffset = 0;
  for (const { offset } of offsets.values()) maxOffset = Math.max(maxOffset, offset);
  let offsetWidth = 1;
  while (maxOffset >= 256 ** offsetWidth) offsetWidth++;
  const widths: [number, number, number] = [1, offsetWidth, 2];
  const rowLength = 1 + offsetWidth + 2;
  const runs = subsections([...offsets.keys()]);
  const data = Buffer.alloc(offsets.size * rowLength);
  let position = 0;
  const index: number[] = [];
  for (const { first, count } of runs) {
    index.push(first, count);
    for (let n = first; n < first + count; n++) {
      const { offset, generation } = offsets.get(n)!;
      data[position++] = 1;
      for (let k = offsetWidth - 1; k >= 0; k--) data[position++] = Math.floor(offset / 256 ** k) % 256;
      data[position++] = (generation >> 8) & 0xff;
      data[position++] = generation & 0xff;
    }
  }
  return { data, index, widths };
}
