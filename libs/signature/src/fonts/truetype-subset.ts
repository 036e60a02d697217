/**
 * TrueType subsetter for embedding as a PDF FontFile2 (CIDFontType2).
 *
 * @pdf-lib/fontkit 1.1.1 has its own subsetter, but it writes the short `loca` format while
 * copying glyphs of odd byte length unpadded, which shifts every later glyph: Google-built Noto
 * fonts then render mostly blank. This one always writes the long `loca` format and pads each
 * glyph to a 4-byte boundary.
 */

const TABLES_COPIED = ['cvt ', 'fpgm', 'prep', 'OS/2'];

// Composite glyph flags (OpenType `glyf` table).
const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;

interface TableRecord {
  offset: number;
  length: number;
}

export interface TrueTypeSubset {
  /** The subset font program (an sfnt with glyf outlines). */
  bytes: Buffer;
  /** New glyph id for each original glyph id kept, composite components included. */
  newGlyphIds: Map<number, number>;
}

function readTableDirectory(font: Buffer): Map<string, TableRecord> {
  const version = font.readUInt32BE(0);
  if (version !== 0x00010000 && version !== 0x74727565) {
    throw new Error(
      `Unsupported font format (sfnt version 0x${version.toString(16)}): only TrueType outlines (glyf) can be subset, not CFF, WOFF or collections`,
    );
  }
  const tables = new Map<string, TableRecord>();
  const numTables = font.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const record = 12 + i * 16;
    const tag = font.toString('latin1', record, record + 4);
    tables.set(tag, { offset: font.readUInt32BE(record + 8), length: font.readUInt32BE(record + 12) });
  }
  return tables;
}

function requireTable(font: Buffer, tables: Map<string, TableRecord>, tag: string): Buffer {
  const record = tables.get(tag);
  if (!record) {
    throw new Error(`Font has no '${tag}' table: only TrueType outlines (glyf) can be subset`);
  }
  return font.subarray(record.offset, record.offset + record.length);
}

function checksum(data: Buffer): number {
  const padded = data.length % 4 === 0 ? data : Buffer.concat([data, Buffer.alloc(4 - (data.length % 4))]);
  let sum = 0;
  for (let i = 0; i < padded.length; i += 4) {
    sum = (sum + padded.readUInt32BE(i)) >>> 0;
  }
  return sum;
}

function pad4(data: Buffer): Buffer {
  const remainder = data.length % 4;
  return remainder === 0 ? data : Buffer.concat([data, Buffer.alloc(4 - remainder)]);
}

/** Lists the component glyph ids of a composite glyph, with the byte offset of each id. */
function compositeComponents(glyph: Buffer): Array<{ glyphId: number; offset: number }> {
  if (glyph.length < 10 || glyph.readInt16BE(0) >= 0) {
    return [];
  }
  const components: Array<{ glyphId: number; offset: number }> = [];
  let position = 10;
  for (;;) {
    const flags = glyph.readUInt16BE(position);
    components.push({ glyphId: glyph.readUInt16BE(position + 2), offset: position + 2 });
    position += 4;
    position += flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2;
    if (flags & WE_HAVE_A_SCALE) {
      position += 2;
    } else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) {
      position += 4;
    } else if (flags & WE_HAVE_A_TWO_BY_TWO) {
      position += 8;
    }
    if (!(flags & MORE_COMPONENTS)) {
      return components;
    }
  }
}

/**
 * Builds a TrueType font that contains only the given glyphs, renumbered in the given order.
 * The first must be glyph 0 (`.notdef`). Components of composite glyphs are appended after them.
 */
export function subsetTrueType(font: Buffer, glyphIds: readonly number[]): TrueTypeSubset {
  if (glyphIds[0] !== 0) {
    throw new Error('The first glyph of a subset must be glyph 0 (.notdef)');
  }
  const tables = readTableDirectory(font);
  const head = requireTable(font, tables, 'head');
  const hhea = requireTable(font, tables, 'hhea');
  const maxp = requireTable(font, tables, 'maxp');
  const hmtx = requireTable(font, tables, 'hmtx');
  const loca = requireTable(font, tables, 'loca');
  const glyf = requireTable(font, tables, 'glyf');

  const longLoca = head.readInt16BE(50) === 1;
  const numGlyphs = maxp.readUInt16BE(4);
  const numberOfHMetrics = hhea.readUInt16BE(34);

  const glyphData = (glyphId: number): Buffer => {
    if (glyphId >= numGlyphs) {
      throw new Error(`Glyph id ${glyphId} is out of range: the font has ${numGlyphs} glyphs`);
    }
    const start = longLoca ? loca.readUInt32BE(glyphId * 4) : loca.readUInt16BE(glyphId * 2) * 2;
    const end = longLoca ? loca.readUInt32BE(glyphId * 4 + 4) : loca.readUInt16BE(glyphId * 2 + 2) * 2;
    return glyf.subarray(start, end);
  };

  // Number the requested glyphs first, then every component reached from them.
  const newGlyphIds = new Map<number, number>();
  const order: number[] = [];
  const addGlyph = (glyphId: number): void => {
    if (!newGlyphIds.has(glyphId)) {
      newGlyphIds.set(glyphId, order.length);
      order.push(glyphId);
    }
  };
  glyphIds.forEach(addGlyph);
  for (let i = 0; i < order.length; i++) {
    for (const component of compositeComponents(glyphData(order[i]))) {
      addGlyph(component.glyphId);
    }
  }

  const glyphParts: Buffer[] = [];
  const newLoca = Buffer.alloc((order.length + 1) * 4);
  const newHmtx = Buffer.alloc(order.length * 4);
  let glyfLength = 0;
  order.forEach((oldId, newId) => {
    let data: Buffer = Buffer.from(glyphData(oldId));
    for (const component of compositeComponents(data)) {
      data.writeUInt16BE(newGlyphIds.get(component.glyphId)!, component.offset);
    }
    data = pad4(data);
    newLoca.writeUInt32BE(glyfLength, newId * 4);
    glyphParts.push(data);
    glyfLength += data.length;

    const metric = Math.min(oldId, numberOfHMetrics - 1);
    const advanceWidth = hmtx.readUInt16BE(metric * 4);
    const leftSideBearing =
      oldId < numberOfHMetrics
        ? hmtx.readInt16BE(oldId * 4 + 2)
        : hmtx.readInt16BE(numberOfHMetrics * 4 + (oldId - numberOfHMetrics) * 2);
    newHmtx.writeUInt16BE(advanceWidth, newId * 4);
    newHmtx.writeInt16BE(leftSideBearing, newId * 4 + 2);
  });
  newLoca.writeUInt32BE(glyfLength, order.length * 4);

  const newHead = Buffer.from(head);
  newHead.writeUInt32BE(0, 8); // checkSumAdjustment, set below
  newHead.writeInt16BE(1, 50); // indexToLocFormat: long offsets
  const newHhea = Buffer.from(hhea);
  newHhea.writeUInt16BE(order.length, 34);
  const newMaxp = Buffer.from(maxp);
  newMaxp.writeUInt16BE(order.length, 4);
  // `post` format 3: no glyph names, which a PDF font program does not need.
  const post = Buffer.alloc(32);
  post.writeUInt32BE(0x00030000, 0);
  const sourcePost = tables.get('post');
  if (sourcePost) {
    font.copy(post, 4, sourcePost.offset + 4, sourcePost.offset + 16);
  }

  const output = new Map<string, Buffer>([
    ['glyf', Buffer.concat(glyphParts)],
    ['head', newHead],
    ['hhea', newHhea],
    ['hmtx', newHmtx],
    ['loca', newLoca],
    ['maxp', newMaxp],
    ['post', post],
  ]);
  for (const tag of TABLES_COPIED) {
    const record = tables.get(tag);
    if (record) {
      output.set(tag, font.subarray(record.offset, record.offset + record.length));
    }
  }

  const bytes = writeSfnt(output);
  const adjustment = (0xb1b0afba - checksum(bytes)) >>> 0;
  const headOffset = findTableOffset(bytes, 'head');
  bytes.writeUInt32BE(adjustment, headOffset + 8);
  return { bytes, newGlyphIds };
}

function writeSfnt(tables: Map<string, Buffer>): Buffer {
  const tags = [...tables.keys()].sort();
  const numTables = tags.length;
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 2 ** entrySelector * 16;
  const header = Buffer.alloc(12 + numTables * 16);
  header.writeUInt32BE(0x00010000, 0);
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(searchRange, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(numTables * 16 - searchRange, 10);

  const bodies: Buffer[] = [];
  let offset = header.length;
  tags.forEach((tag, i) => {
    const data = tables.get(tag)!;
    const record = 12 + i * 16;
    header.write(tag, record, 4, 'latin1');
    header.writeUInt32BE(checksum(data), record + 4);
    header.writeUInt32BE(offset, record + 8);
    header.writeUInt32BE(data.length, record + 12);
    const padded = pad4(data);
    bodies.push(padded);
    offset += padded.length;
  });
  return Buffer.concat([header, ...bodies]);
}

function findTableOffset(sfnt: Buffer, tag: string): number {
  const offset = readTableDirectory(sfnt).get(tag)?.offset;
  if (offset === undefined) {
    throw new Error(`Subset font has no '${tag}' table`);
  }
  return offset;
}
