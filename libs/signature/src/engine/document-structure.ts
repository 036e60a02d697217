import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFObject, PDFRef, PDFString } from 'pdf-lib';
import { LazyPdf } from '../pdf/lazy-pdf';

export interface FormField {
  ref: PDFRef | undefined;
  dict: PDFDict;
  /** Fully qualified name (partial names joined with dots). */
  name: string;
  /** Field type, inherited from ancestors when absent (e.g. `Sig`, `Tx`), or undefined. */
  type: string | undefined;
}

const MAX_FIELD_DEPTH = 32;

export function decodeText(value: PDFObject | undefined): string | undefined {
  if (value instanceof PDFString || value instanceof PDFHexString) return value.decodeText();
  return undefined;
}

/** Text string object: literal for printable ASCII, UTF-16BE with BOM otherwise. */
export function textString(text: string): PDFString | PDFHexString {
  return /^[\x20-\x7e]*$/.test(text) && !/[()\\]/.test(text) ? PDFString.of(text) : PDFHexString.fromText(text);
}

/** Lists terminal fields of the AcroForm (fields whose kids are widgets only, or that have no kids). */
export function listTerminalFields(pdf: LazyPdf, catalog: PDFDict): FormField[] {
  const acroForm = pdf.lookupDict(catalog, 'AcroForm');
  const fields = acroForm ? pdf.lookupArray(acroForm, 'Fields') : undefined;
  const result: FormField[] = [];
  const visited = new Set<number>();
  const walk = (items: PDFArray, parentName: string, parentType: string | undefined, depth: number): void => {
    if (depth > MAX_FIELD_DEPTH) return;
    for (const item of items.asArray()) {
      const ref = item instanceof PDFRef ? item : undefined;
      if (ref) {
        if (visited.has(ref.objectNumber)) continue;
        visited.add(ref.objectNumber);
      }
      const dict = pdf.resolve(item);
      if (!(dict instanceof PDFDict)) continue;
      const partial = decodeText(pdf.resolve(dict.get(PDFName.of('T'))));
      let name = parentName;
      if (partial !== undefined) name = parentName ? `${parentName}.${partial}` : partial;
      const ftValue = dict.get(PDFName.of('FT'));
      const type = ftValue instanceof PDFName ? ftValue.decodeText() : parentType;
      const kids = pdf.lookupArray(dict, 'Kids');
      const childFields = kids
        ? kids.asArray().filter((kid) => {
            const kidDict = pdf.resolve(kid);
            return kidDict instanceof PDFDict && kidDict.has(PDFName.of('T'));
          })
        : [];
      if (kids && childFields.length > 0) walk(kids, name, type, depth + 1);
      else if (partial !== undefined || depth === 0) result.push({ ref, dict, name, type });
    }
  };
  if (fields) walk(fields, '', undefined, 0);
  return result;
}

export function isSignedSignatureField(pdf: LazyPdf, field: FormField): boolean {
  return field.type === 'Sig' && pdf.resolve(field.dict.get(PDFName.of('V'))) instanceof PDFDict;
}

/** DocMDP permission of the document's certification signature (1, 2 or 3), or null. */
export function docMdpPermission(pdf: LazyPdf, catalog: PDFDict): 1 | 2 | 3 | null {
  const perms = pdf.lookupDict(catalog, 'Perms');
  const signature = perms ? pdf.lookupDict(perms, 'DocMDP') : undefined;
  if (!signature) return null;
  const references = pdf.lookupArray(signature, 'Reference');
  for (const item of references?.asArray() ?? []) {
    const reference = pdf.resolve(item);
    if (!(reference instanceof PDFDict)) continue;
    const method = reference.get(PDFName.of('TransformMethod'));
    if (!(method instanceof PDFName) || method.decodeText() !== 'DocMDP') continue;
    const params = pdf.lookupDict(reference, 'TransformParams');
    const permission = params ? pdf.lookupNumber(params, 'P') : undefined;
    return permission === 1 || permission === 3 ? permission : 2;
  }
  // A /DocMDP entry without a readable transform still certifies; DocMDP defaults to P=2.
  return 2;
}

/** Finds the last leaf of the page tree by following the last kid of each node. */
export function lastPage(pdf: LazyPdf, catalog: PDFDict): { ref: PDFRef; dict: PDFDict } {
  let ref = catalog.get(PDFName.of('Pages'));
  for (let depth = 0; depth < MAX_FIELD_DEPTH; depth++) {
    if (!(ref instanceof PDFRef)) break;
    const node = pdf.getObject(ref);
    if (!(node instanceof PDFDict)) break;
    const kids = pdf.lookupArray(node, 'Kids');
    if (!kids) return { ref, dict: node };
    if (kids.size() === 0) break;
    ref = kids.get(kids.size() - 1);
  }
  throw new Error('Cannot find the last page of the document');
}

export function pageCount(pdf: LazyPdf, catalog: PDFDict): number {
  const pages = pdf.lookupDict(catalog, 'Pages');
  const count = pages?.get(PDFName.of('Count'));
  return count instanceof PDFNumber ? count.asNumber() : 0;
}
