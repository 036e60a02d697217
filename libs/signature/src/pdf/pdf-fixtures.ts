import { deflateSync } from 'zlib';

/*
 * Hand-written PDF files for unit tests: each layout of cross-reference data the reader
 * handles, with exact byte offsets.
 */

export interface FixtureOptions {
  /** Added to the offset written after `startxref`, to simulate a misplaced pointer. */
  startxrefError?: number;
  /** Bytes appended after `%%EOF`. */
  trailing?: string;
}

const CATALOG = '<< /Type /Catalog /Pages 2 0 R >>';
const PAGES = '<< /Type /Pages /Kids [3 0 R] /Count 1 >>';
const PAGE = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>';
const CONTENT = '<< /Length 20 >>\nstream\n0 0 1 rg 10 10 50 50\nendstream';

export const SIMPLE_OBJECTS = [CATALOG, PAGES, PAGE, CONTENT];

/** Single-revision file with a classic cross-reference table. */
export function classicPdf(objects = SIMPLE_OBJECTS, options: FixtureOptions = {}): Buffer {
  let text = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(text.length);
    text += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = text.length;
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f\r\n`;
  for (const offset of offsets) text += `${String(offset).padStart(10, '0')} 00000 n\r\n`;
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] >>\n`;
  text += `startxref\n${xref + (options.startxrefError ?? 0)}\n%%EOF\n${options.trailing ?? ''}`;
  return Buffer.from(text, 'latin1');
}

function pngUpRows(rows: number[][]): Buffer {
  const out: number[] = [];
  let previous = rows[0].map(() => 0);
  for (const row of rows) {
    out.push(2);
    row.forEach((value, i) => out.push((value - previous[i] + 256) & 0xff));
    previous = row;
  }
  return Buffer.from(out);
}

/**
 * File whose objects 2 to 4 sit in an object stream, indexed by a compressed xref stream with
 * PNG Up predictor rows (W [1 2 1]).
 */
export function xrefStreamPdf(): Buffer {
  let text = '%PDF-1.5\n';
  const catalogOffset = text.length;
  text += `1 0 obj\n${CATALOG}\nendobj\n`;
  const members = [PAGES, PAGE, '<< /Kind /InStream /Value (a\\)b) >>'];
  let header = '';
  let body = '';
  members.forEach((member, i) => {
    header += `${i + 2} ${body.length} `;
    body += `${member}\n`;
  });
  const objStmData = deflateSync(Buffer.from(header + body, 'latin1'));
  const objStmOffset = text.length;
  text += `5 0 obj\n<< /Type /ObjStm /N 3 /First ${header.length} /Filter /FlateDecode /Length ${objStmData.length} >>\nstream\n`;
  const before = Buffer.from(text, 'latin1');
  const afterStream = '\nendstream\nendobj\n';
  const xrefOffset = before.length + objStmData.length + afterStream.length;
  const rows = [
    [0, 0, 0, 255],
    [1, catalogOffset >> 8, catalogOffset & 0xff, 0],
    [2, 0, 5, 0],
    [2, 0, 5, 1],
    [2, 0, 5, 2],
    [1, objStmOffset >> 8, objStmOffset & 0xff, 0],
    [1, xrefOffset >> 8, xrefOffset & 0xff, 0],
  ];
  const xrefData = deflateSync(pngUpRows(rows));
  const xrefHead =
    `6 0 obj\n<< /Type /XRef /Size 7 /W [1 2 1] /Root 1 0 R /Filter /FlateDecode ` +
    `/DecodeParms << /Columns 4 /Predictor 12 >> /Length ${xrefData.length} >>\nstream\n`;
  const tail = `\nendstream\nendobj\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return Buffer.concat([
    before,
    objStmData,
    Buffer.from(afterStream + xrefHead, 'latin1'),
    xrefData,
    Buffer.from(tail, 'latin1'),
  ]);
}

/**
 * Hybrid-reference file: a classic table lists objects 1, 2 and 4, and its trailer's /XRefStm
 * stream lists object 3, which sits in an object stream.
 */
export function hybridPdf(): Buffer {
  let text = '%PDF-1.5\n';
  const offsets: Record<number, number> = {};
  const put = (n: number, body: string) => {
    offsets[n] = text.length;
    text += `${n} 0 obj\n${body}\nendobj\n`;
  };
  put(1, CATALOG);
  put(2, PAGES);
  put(4, CONTENT);
  const header = '3 0 ';
  const objStm = header + PAGE;
  offsets[5] = text.length;
  text += `5 0 obj\n<< /Type /ObjStm /N 1 /First ${header.length} /Length ${objStm.length} >>\nstream\n${objStm}\nendstream\nendobj\n`;
  const streamOffset = text.length;
  const rows = Buffer.from([2, 0, 5, 0]);
  text += `6 0 obj\n<< /Type /XRef /Size 7 /Index [3 1] /W [1 2 1] /Length ${rows.length} >>\nstream\n`;
  text += rows.toString('latin1') + '\nendstream\nendobj\n';
  const xref = text.length;
  text += 'xref\n0 3\n0000000000 65535 f\r\n';
  text += `${String(offsets[1]).padStart(10, '0')} 00000 n\r\n${String(offsets[2]).padStart(10, '0')} 00000 n\r\n`;
  text += '3 1\n0000000000 00000 f\r\n';
  text += `4 2\n${String(offsets[4]).padStart(10, '0')} 00000 n\r\n${String(offsets[5]).padStart(10, '0')} 00000 n\r\n`;
  text += `trailer\n<< /Size 7 /Root 1 0 R /XRefStm ${streamOffset} >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(text, 'latin1');
}
