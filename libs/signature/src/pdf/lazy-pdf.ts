import { inflateSync } from 'zlib';
import {
  PDFArray,
  PDFContext,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFObject,
  PDFObjectParser,
  PDFRawStream,
  PDFRef,
} from 'pdf-lib';

/** Location of one object: at a byte offset, or inside an object stream. */
export type XrefEntry =
  | { kind: 'offset'; offset: number; generation: number }
  | { kind: 'compressed'; streamNumber: number; index: number };

export type XrefKind = 'table' | 'stream';

export class PdfParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PdfParseError';
  }
}

/** How far from a recorded offset the reader looks for the real `xref` keyword or object header. */
const OFFSET_TOLERANCE = 64;
const MAX_XREF_SECTIONS = 1024;

const CR = 0x0d;
const LF = 0x0a;

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === LF || byte === CR || byte === 0x09 || byte === 0x0c || byte === 0x00;
}

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

function matchesAscii(bytes: Uint8Array, at: number, text: string): boolean {
  if (at < 0 || at + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i++) {
    if (bytes[at + i] !== text.charCodeAt(i)) return false;
  }
  return true;
}

/** Find the last occurrence of `text` in `bytes` at or before `from`, or -1. */
export function lastIndexOfAscii(bytes: Uint8Array, text: string, from = bytes.length - text.length): number {
  for (let i = Math.min(from, bytes.length - text.length); i >= 0; i--) {
    if (matchesAscii(bytes, i, text)) return i;
  }
  return -1;
}

/**
 * Reads a PDF on demand: the cross-reference sections are parsed when the file is opened, then
 * only the objects that a caller asks for. The input bytes are never modified or copied.
 *
 * Objects are parsed with pdf-lib's `PDFObjectParser` into a private `PDFContext` but never
 * assigned to it, so objects that a caller registers in `context` are exactly the new ones.
 */
export class LazyPdf {
  readonly context = PDFContext.create();
  /** Newest trailer dictionary (for an xref stream, its stream dictionary). */
  readonly trailer: PDFDict;
  /** Trailer dictionaries from newest to oldest. */
  private readonly trailers: PDFDict[] = [];
  /** Offset of the newest cross-reference section, after tolerating a misplaced `startxref`. */
  readonly lastXrefOffset: number;
  /** Value written after the last `startxref` keyword; differs from `lastXrefOffset` when that offset is wrong. */
  readonly declaredStartxref: number;
  readonly lastXrefKind: XrefKind;
  /** True when every recorded section offset pointed exactly at its section. */
  readonly offsetsExact: boolean;
  readonly size: number;

  private readonly entries = new Map<number, XrefEntry>();
  private readonly cache = new Map<number, PDFObject>();
  private readonly objectStreams = new Map<number, { data: Buffer; offsets: Map<number, number> }>();
  private headerScan?: Map<number, number>;
  private exact = true;

  private constructor(readonly bytes: Uint8Array) {
    const startxrefAt = lastIndexOfAscii(bytes, 'startxref');
    if (startxrefAt < 0) throw new PdfParseError('No startxref keyword found');
    const declared = this.readIntAfter(startxrefAt + 'startxref'.length);
    if (declared === undefined) throw new PdfParseError('startxref is not followed by an offset');
    this.declaredStartxref = declared;

    const first = this.locateXref(declared);
    this.lastXrefOffset = first.offset;
    this.lastXrefKind = first.kind;

    let trailer: PDFDict | undefined;
    const visited = new Set<number>();
    let next: { offset: number; kind: XrefKind } | undefined = first;
    while (next) {
      if (visited.has(next.offset) || visited.size > MAX_XREF_SECTIONS) break;
      visited.add(next.offset);
      const sectionTrailer: PDFDict =
        next.kind === 'table' ? this.readXrefTable(next.offset) : this.readXrefStream(next.offset);
      if (!trailer) trailer = sectionTrailer;
      this.trailers.push(sectionTrailer);
      const prev = sectionTrailer.get(PDFName.of('Prev'));
      next = prev instanceof PDFNumber ? this.locateXref(prev.asNumber()) : undefined;
    }
    if (!trailer) throw new PdfParseError('No trailer found');
    this.trailer = trailer;
    const size = trailer.get(PDFName.of('Size'));
    let largest = 0;
    for (const objectNumber of this.entries.keys()) largest = Math.max(largest, objectNumber);
    this.size = Math.max(size instanceof PDFNumber ? size.asNumber() : 0, largest + 1);
    this.offsetsExact = this.exact;
  }

  static open(bytes: Uint8Array): LazyPdf {
    return new LazyPdf(bytes);
  }

  /**
   * Returns a trailer entry from the newest trailer that has it, because some incremental
   * writers omit /Root, /Info or /ID from later trailers.
   */
  trailerEntry(key: string): PDFObject | undefined {
    for (const trailer of this.trailers) {
      const value = trailer.get(PDFName.of(key));
      if (value !== undefined) return value;
    }
    return undefined;
  }

  get rootRef(): PDFRef {
    const root = this.trailerEntry('Root');
    if (!(root instanceof PDFRef)) throw new PdfParseError('Trailer has no /Root reference');
    return root;
  }

  catalog(): PDFDict {
    const catalog = this.getObject(this.rootRef);
    if (!(catalog instanceof PDFDict)) throw new PdfParseError('Document catalog not found');
    return catalog;
  }

  entry(objectNumber: number): XrefEntry | undefined {
    return this.entries.get(objectNumber);
  }

  /** Returns the object for `ref`, parsing it on first use; undefined when it does not exist. */
  getObject(ref: PDFRef): PDFObject | undefined {
    const cached = this.cache.get(ref.objectNumber);
    if (cached) return cached;
    const entry = this.entries.get(ref.objectNumber);
    let object: PDFObject | undefined;
    if (entry?.kind === 'offset') {
      object = this.parseIndirectAt(entry.offset, ref.objectNumber);
    } else if (entry?.kind === 'compressed') {
      object = this.parseCompressed(entry.streamNumber, ref.objectNumber, entry.index);
    }
    if (!object) {
      const scanned = this.scanForHeader(ref.objectNumber);
      if (scanned !== undefined) object = this.parseIndirectAt(scanned, ref.objectNumber);
    }
    if (object) this.cache.set(ref.objectNumber, object);
    return object;
  }

  /** Resolves a reference (once); other values are returned as they are. */
  resolve(value: PDFObject | undefined): PDFObject | undefined {
    return value instanceof PDFRef ? this.getObject(value) : value;
  }

  lookupDict(dict: PDFDict, key: string): PDFDict | undefined {
    const value = this.resolve(dict.get(PDFName.of(key)));
    return value instanceof PDFDict ? value : undefined;
  }

  lookupArray(dict: PDFDict, key: string): PDFArray | undefined {
    const value = this.resolve(dict.get(PDFName.of(key)));
    return value instanceof PDFArray ? value : undefined;
  }

  lookupNumber(dict: PDFDict, key: string): number | undefined {
    const value = this.resolve(dict.get(PDFName.of(key)));
    return value instanceof PDFNumber ? value.asNumber() : undefined;
  }

  /** Decodes a stream's data (FlateDecode with PNG predictors, or no filter). */
  decodeStream(stream: PDFRawStream): Buffer {
    return decodeStreamContents(stream, (value) => this.resolve(value));
  }

  // ---- cross-reference sections ----

  private readIntAfter(at: number): number | undefined {
    let i = at;
    while (i < this.bytes.length && isWhitespace(this.bytes[i])) i++;
    const start = i;
    while (i < this.bytes.length && isDigit(this.bytes[i])) i++;
    if (i === start) return undefined;
    return Number(Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start, i - start).toString('latin1'));
  }

  private kindAt(offset: number): XrefKind | undefined {
    if (matchesAscii(this.bytes, offset, 'xref') && !matchesAscii(this.bytes, offset - 5, 'start')) return 'table';
    if (this.readObjectHeader(offset)) return 'stream';
    return undefined;
  }

  /** Finds the xref section recorded at `offset`, tolerating a few bytes of error in either direction. */
  private locateXref(offset: number): { offset: number; kind: XrefKind } {
    const exactKind = this.kindAt(offset);
    if (exactKind) return { offset, kind: exactKind };
    this.exact = false;
    for (let distance = 1; distance <= OFFSET_TOLERANCE; distance++) {
      for (const candidate of [offset - distance, offset + distance]) {
        if (candidate < 0 || candidate >= this.bytes.length) continue;
        const kind = this.kindAt(candidate);
        if (kind === 'table') return { offset: candidate, kind };
        if (kind === 'stream' && (candidate === 0 || !isDigit(this.bytes[candidate - 1]))) {
          return { offset: candidate, kind };
        }
      }
    }
    throw new PdfParseError(`No cross-reference section found near offset ${offset}`);
  }

  private readXrefTable(offset: number): PDFDict {
    const bytes = this.bytes;
    let i = offset + 4;
    const readToken = (): string => {
      while (i < bytes.length && isWhitespace(bytes[i])) i++;
      const start = i;
      while (i < bytes.length && !isWhitespace(bytes[i])) i++;
      return Buffer.from(bytes.buffer, bytes.byteOffset + start, i - start).toString('latin1');
    };
    for (;;) {
      while (i < bytes.length && isWhitespace(bytes[i])) i++;
      if (i >= bytes.length) throw new PdfParseError(`Cross-reference table at ${offset} has no trailer`);
      if (matchesAscii(bytes, i, 'trailer')) {
        i += 'trailer'.length;
        break;
      }
      const first = Number(readToken());
      const count = Number(readToken());
      if (!Number.isInteger(first) || !Number.isInteger(count) || count < 0) {
        throw new PdfParseError(`Invalid cross-reference subsection header at ${offset}`);
      }
      for (let n = 0; n < count; n++) {
        const entryOffset = Number(readToken());
        const generation = Number(readToken());
        const type = readToken();
        if (type !== 'n' && type !== 'f') throw new PdfParseError(`Invalid cross-reference entry near ${i}`);
        if (type === 'n' && !this.entries.has(first + n)) {
          this.entries.set(first + n, { kind: 'offset', offset: entryOffset, generation });
        }
      }
    }
    const trailer = this.parseObjectAt(i);
    if (!(trailer instanceof PDFDict)) throw new PdfParseError(`Invalid trailer after xref at ${offset}`);
    // In a hybrid file the table wins over its /XRefStm stream, which wins over /Prev sections.
    const xrefStm = trailer.get(PDFName.of('XRefStm'));
    if (xrefStm instanceof PDFNumber) {
      try {
        this.readXrefStream(this.locateXref(xrefStm.asNumber()).offset);
      } catch {
        // A broken supplementary stream leaves the table entries usable.
        this.exact = false;
      }
    }
    return trailer;
  }

  private readXrefStream(offset: number): PDFDict {
    const header = this.readObjectHeader(offset);
    if (!header) throw new PdfParseError(`No xref stream object at ${offset}`);
    const stream = this.parseObjectAt(header.bodyOffset);
    if (!(stream instanceof PDFRawStream)) throw new PdfParseError(`Object at ${offset} is not an xref stream`);
    const dict = stream.dict;
    const widths = dict.get(PDFName.of('W'));
    if (!(widths instanceof PDFArray) || widths.size() !== 3) throw new PdfParseError('Xref stream has no valid /W');
    const w = widths.asArray().map((value) => (value instanceof PDFNumber ? value.asNumber() : 0));
    const sizeValue = dict.get(PDFName.of('Size'));
    const size = sizeValue instanceof PDFNumber ? sizeValue.asNumber() : 0;
    const indexValue = dict.get(PDFName.of('Index'));
    const index =
      indexValue instanceof PDFArray
        ? indexValue.asArray().map((value) => (value instanceof PDFNumber ? value.asNumber() : 0))
        : [0, size];
    const data = decodeStreamContents(stream, (value) => value);
    const rowLength = w[0] + w[1] + w[2];
    let position = 0;
    const readField = (width: number): number => {
      let value = 0;
      for (let k = 0; k < width; k++) value = value * 256 + data[position++];
      return value;
    };
    for (let s = 0; s + 1 < index.length; s += 2) {
      for (let n = 0; n < index[s + 1]; n++) {
        if (position + rowLength > data.length) break;
        const type = w[0] === 0 ? 1 : readField(w[0]);
        const field2 = readField(w[1]);
        const field3 = readField(w[2]);
        const objectNumber = index[s] + n;
        if (this.entries.has(objectNumber)) continue;
        if (type === 1) this.entries.set(objectNumber, { kind: 'offset', offset: field2, generation: field3 });
        if (type === 2) this.entries.set(objectNumber, { kind: 'compressed', streamNumber: field2, index: field3 });
      }
    }
    return dict;
  }

  // ---- objects ----

  /** Parses `N G obj` at `offset`; returns the object number and where its body starts. */
  private readObjectHeader(offset: number): { objectNumber: number; bodyOffset: number } | undefined {
    const bytes = this.bytes;
    let i = offset;
    const readInt = (): number | undefined => {
      const start = i;
      while (i < bytes.length && isDigit(bytes[i])) i++;
      if (i === start || i - start > 10) return undefined;
      return Number(Buffer.from(bytes.buffer, bytes.byteOffset + start, i - start).toString('latin1'));
    };
    const skipSpace = (): boolean => {
      const start = i;
      while (i < bytes.length && isWhitespace(bytes[i])) i++;
      return i > start;
    };
    const objectNumber = readInt();
    if (objectNumber === undefined || !skipSpace()) return undefined;
    if (readInt() === undefined) return undefined;
    skipSpace();
    if (!matchesAscii(bytes, i, 'obj')) return undefined;
    return { objectNumber, bodyOffset: i + 3 };
  }

  private parseObjectAt(offset: number): PDFObject {
    const parser = PDFObjectParser.forBytes(this.bytes.subarray(offset), this.context);
    return parser.parseObject();
  }

  private parseIndirectAt(offset: number, objectNumber: number): PDFObject | undefined {
    let header = this.readObjectHeader(offset);
    if (!header || header.objectNumber !== objectNumber) {
      const scanned = this.scanForHeader(objectNumber);
      if (scanned === undefined) return undefined;
      this.exact = false;
      header = this.readObjectHeader(scanned);
      if (!header) return undefined;
    }
    try {
      return this.parseObjectAt(header.bodyOffset);
    } catch {
      return undefined;
    }
  }

  private parseCompressed(streamNumber: number, objectNumber: number, index: number): PDFObject | undefined {
    let objectStream = this.objectStreams.get(streamNumber);
    if (!objectStream) {
      const stream = this.getObject(PDFRef.of(streamNumber));
      if (!(stream instanceof PDFRawStream)) return undefined;
      const data = this.decodeStream(stream);
      const count = this.lookupNumber(stream.dict, 'N') ?? 0;
      const first = this.lookupNumber(stream.dict, 'First') ?? 0;
      const numbers = data.subarray(0, first).toString('latin1').trim().split(/\s+/).map(Number);
      const offsets = new Map<number, number>();
      for (let k = 0; k < count && 2 * k + 1 < numbers.length; k++) {
        offsets.set(numbers[2 * k], first + numbers[2 * k + 1]);
      }
      objectStream = { data, offsets };
      this.objectStreams.set(streamNumber, objectStream);
    }
    void index;
    const at = objectStream.offsets.get(objectNumber);
    if (at === undefined) return undefined;
    try {
      return PDFObjectParser.forBytes(objectStream.data.subarray(at), this.context).parseObject();
    } catch {
      return undefined;
    }
  }

  /** Last resort for a wrong xref offset: scans the whole file once for `N G obj` headers. */
  private scanForHeader(objectNumber: number): number | undefined {
    if (!this.headerScan) {
      this.headerScan = new Map();
      const text = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length).toString('latin1');
      const pattern = /(?:^|[\r\n\s])(\d{1,10})\s+\d{1,5}\s+obj\b/g;
      for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
        const start = match.index + match[0].indexOf(match[1]);
        this.headerScan.set(Number(match[1]), start);
      }
    }
    return this.headerScan.get(objectNumber);
  }
}

/** Decodes stream data for the filters that cross-reference and object streams use. */
export function decodeStreamContents(
  stream: PDFRawStream,
  resolve: (value: PDFObject | undefined) => PDFObject | undefined,
): Buffer {
  const raw = Buffer.from(stream.contents.buffer, stream.contents.byteOffset, stream.contents.byteLength);
  const filter = resolve(stream.dict.get(PDFName.of('Filter')));
  const filters: string[] = [];
  if (filter instanceof PDFName) filters.push(filter.asString());
  if (filter instanceof PDFArray) {
    for (const item of filter.asArray()) if (item instanceof PDFName) filters.push(item.asString());
  }
  if (filters.length === 0) return raw;
  if (filters.length !== 1 || (filters[0] !== '/FlateDecode' && filters[0] !== '/Fl')) {
    throw new PdfParseError(`Unsupported stream filter ${filters.join(' ')}`);
  }
  let data: Buffer;
  try {
    data = inflateSync(raw);
  } catch {
    // Some writers leave a truncated zlib trailer; accept what decompresses.
    data = inflateSync(raw, { finishFlush: 2 /* Z_SYNC_FLUSH */ });
  }
  let parms = resolve(stream.dict.get(PDFName.of('DecodeParms')));
  if (parms instanceof PDFArray) parms = resolve(parms.get(0));
  if (parms instanceof PDFDict) {
    const predictorValue = parms.get(PDFName.of('Predictor'));
    const predictor = predictorValue instanceof PDFNumber ? predictorValue.asNumber() : 1;
    const columnsValue = parms.get(PDFName.of('Columns'));
    const columns = columnsValue instanceof PDFNumber ? columnsValue.asNumber() : 1;
    if (predictor >= 10) data = undoPngPredictor(data, columns);
    else if (predictor !== 1) throw new PdfParseError(`Unsupported predictor ${predictor}`);
  }
  return data;
}

/** Reverses the PNG row filters (one byte per pixel, as xref streams use them). */
export function undoPngPredictor(data: Buffer, columns: number): Buffer {
  const rowLength = columns + 1;
  const rows = Math.floor(data.length / rowLength);
  const out = Buffer.alloc(rows * columns);
  for (let r = 0; r < rows; r++) {
    const filterType = data[r * rowLength];
    for (let c = 0; c < columns; c++) {
      const raw = data[r * rowLength + 1 + c];
      const left = c > 0 ? out[r * columns + c - 1] : 0;
      const up = r > 0 ? out[(r - 1) * columns + c] : 0;
      const upLeft = r > 0 && c > 0 ? out[(r - 1) * columns + c - 1] : 0;
      let value: number;
      switch (filterType) {
        case 0:
          value = raw;
          break;
        case 1:
          value = raw + left;
          break;
        case 2:
          value = raw + up;
          break;
        case 3:
          value = raw + ((left + up) >> 1);
          break;
        case 4: {
          const p = left + up - upLeft;
          const pa = Math.abs(p - left);
          const pb = Math.abs(p - up);
          const pc = Math.abs(p - upLeft);
          value = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
          break;
        }
        default:
          throw new PdfParseError(`Invalid PNG predictor row filter ${filterType}`);
      }
      out[r * columns + c] = value & 0xff;
    }
  }
  return out;
}
