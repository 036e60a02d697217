import { PDFArray, PDFDict, PDFName, PDFNumber, PDFObject, PDFRef } from 'pdf-lib';
import { buildIncrementalUpdate, UpdateObject } from '../pdf/incremental-writer';
import { LazyPdf } from '../pdf/lazy-pdf';
import {
  DocumentRejectedError,
  DocumentRejectionReason,
  PrepareInput,
  PrepareResult,
} from '../signature-engine.types';
import { buildCertificatePage, buildInvisibleFieldsResources } from '../appearance';
import {
  docMdpPermission,
  isSignedSignatureField,
  lastPage,
  listTerminalFields,
  textString,
} from './document-structure';
import { SIGNED_RESOURCES_KEY, STATIC_APPEARANCE_KEY } from './sign';

export const MAX_SIGNATORIES = 4;

export class PrepareError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrepareError';
  }
}

interface Widget {
  fieldName: string;
  rect: [number, number, number, number];
  blankAppearance: PDFRef;
  staticAppearance: PDFRef;
}

/** Collects the objects the update rewrites under their own number. */
class ChangedObjects {
  private readonly objects = new Map<number, UpdateObject>();

  mark(ref: PDFRef, object: PDFObject): void {
    this.objects.set(ref.objectNumber, { ref, object });
  }

  list(): UpdateObject[] {
    return [...this.objects.values()];
  }
}

function validateSignatories(input: PrepareInput, existingNames: Set<string>): void {
  const count = input.signatories.length;
  if (count < 1 || count > MAX_SIGNATORIES) {
    throw new PrepareError(`Expected 1 to ${MAX_SIGNATORIES} signatories, got ${count}`);
  }
  const seen = new Set<string>();
  for (const { fieldName } of input.signatories) {
    if (!fieldName || /[.\x00-\x1f]/.test(fieldName)) {
      throw new PrepareError(`Invalid signature field name "${fieldName}": it must be non-empty, without dots or control characters`);
    }
    if (seen.has(fieldName) || existingNames.has(fieldName)) {
      throw new PrepareError(`Signature field name "${fieldName}" is already used in the document`);
    }
    seen.add(fieldName);
  }
}

/** Appends `refs` to an array that is either inline in `owner` (then `owner` is rewritten) or indirect. */
function appendToArray(
  pdf: LazyPdf,
  changed: ChangedObjects,
  owner: PDFDict,
  ownerRef: PDFRef,
  key: string,
  refs: PDFRef[],
  written: PDFObject = owner,
): void {
  const value = owner.get(PDFName.of(key));
  if (value instanceof PDFRef) {
    const array = pdf.getObject(value);
    if (array instanceof PDFArray) {
      refs.forEach((ref) => array.push(ref));
      changed.mark(value, array);
      return;
    }
  }
  const array = value instanceof PDFArray ? value : pdf.context.obj([]);
  refs.forEach((ref) => array.push(ref));
  owner.set(PDFName.of(key), array);
  changed.mark(ownerRef, written);
}

/**
 * Builds the prepare revision: the signature-certificate page appended as the last page and one
 * empty signature field per signatory, joined to the AcroForm. A document that already carries a
 * signature or certification gets no page, and its widgets are invisible on its last page.
 *
 * Each widget stores, under private keys, the static appearance (`/SecuSignStatic`) and the
 * resources of signed appearances (`/SecuSignResources`), so that signing needs only the PDF.
 */
export function prepareDocument(input: PrepareInput): PrepareResult {
  const pdf = LazyPdf.open(input.bytes);
  if (pdf.trailerEntry('Encrypt') !== undefined) {
    throw new PrepareError('The document is encrypted; it must be normalized at upload before preparing');
  }
  const catalog = pdf.catalog();
  const fields = listTerminalFields(pdf, catalog);
  validateSignatories(input, new Set(fields.map((field) => field.name)));

  const permission = docMdpPermission(pdf, catalog);
  if (permission === 1) {
    throw new DocumentRejectedError(
      DocumentRejectionReason.CertifiedNoChanges,
      'The document is certified with a signature that allows no changes, so it cannot be signed again',
    );
  }
  const carriesSignature = permission !== null || fields.some((field) => isSignedSignatureField(pdf, field));

  const context = pdf.context;
  // New objects are numbered from the trailer's /Size.
  context.largestObjectNumber = pdf.size - 1;
  const changed = new ChangedObjects();

  let pageRef: PDFRef;
  let widgets: Widget[];
  let signedResources: PDFRef;
  if (!carriesSignature) {
    const pagesRef = catalog.get(PDFName.of('Pages'));
    const pages = pagesRef instanceof PDFRef ? pdf.getObject(pagesRef) : undefined;
    if (!(pagesRef instanceof PDFRef) || !(pages instanceof PDFDict)) {
      throw new PrepareError('The document has no page tree root');
    }
    const page = buildCertificatePage(context, {
      documentName: input.documentName,
      documentSha256: input.documentSha256,
      transactionUid: input.transactionUid,
      signatories: input.signatories,
    });
    widgets = page.blocks;
    signedResources = page.signedAppearanceResources;
    pageRef = context.nextRef();
    const box = [0, 0, page.pageWidth, page.pageHeight];
    const pageDict = context.obj({
      Type: 'Page',
      Parent: pagesRef,
      MediaBox: box,
      CropBox: box,
      Rotate: 0,
      Resources: page.resources,
      Contents: page.contents,
    });
    context.assign(pageRef, pageDict);
    const widgetRefs = createWidgets(pdf, widgets, pageRef, signedResources, input);
    pageDict.set(PDFName.of('Annots'), context.obj(widgetRefs));

    // Only the root node of the page tree changes: the new page becomes its last kid.
    const count = pdf.lookupNumber(pages, 'Count') ?? 0;
    appendToArray(pdf, changed, pages, pagesRef, 'Kids', [pageRef]);
    pages.set(PDFName.of('Count'), PDFNumber.of(count + 1));
    changed.mark(pagesRef, pages);
    joinAcroForm(pdf, changed, catalog, widgetRefs);
    dropXfa(pdf, changed, catalog);
  } else {
    // NOTE: DocMDP P=2 permits form filling and signing. Whether Acrobat and EU DSS also accept
    // signature fields added under such a certification has not been checked; pdfsig does.
    const last = lastPage(pdf, catalog);
    pageRef = last.ref;
    const resources = buildInvisibleFieldsResources(context, input.signatories);
    signedResources = resources.signedAppearanceResources;
    const emptyAppearance = context.register(
      context.stream('', { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 0, 0] }),
    );
    widgets = resources.blocks.map((block) => ({
      fieldName: block.fieldName,
      rect: [0, 0, 0, 0],
      blankAppearance: emptyAppearance,
      staticAppearance: block.staticAppearance,
    }));
    const widgetRefs = createWidgets(pdf, widgets, pageRef, signedResources, input);
    appendToArray(pdf, changed, last.dict, last.ref, 'Annots', widgetRefs);
    joinAcroForm(pdf, changed, catalog, widgetRefs);
  }

  const objects = new Map<number, UpdateObject>();
  for (const [ref, object] of context.enumerateIndirectObjects()) objects.set(ref.objectNumber, { ref, object });
  for (const object of changed.list()) objects.set(object.ref.objectNumber, object);
  const update = buildIncrementalUpdate(pdf, [...objects.values()]);
  return {
    bytes: Buffer.concat([input.bytes, update.appended]),
    certificatePage: carriesSignature ? 'in_evidence' : 'appended',
    fieldNames: input.signatories.map((signatory) => signatory.fieldName),
  };
}

function createWidgets(
  pdf: LazyPdf,
  widgets: Widget[],
  pageRef: PDFRef,
  signedResources: PDFRef,
  input: PrepareInput,
): PDFRef[] {
  const byName = new Map(widgets.map((widget) => [widget.fieldName, widget]));
  return input.signatories.map(({ fieldName }) => {
    const widget = byName.get(fieldName);
    if (!widget) throw new PrepareError(`The appearance module returned no block for field "${fieldName}"`);
    const dict = pdf.context.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Sig',
      Rect: widget.rect,
      F: 4,
      P: pageRef,
      AP: { N: widget.blankAppearance },
      [STATIC_APPEARANCE_KEY]: widget.staticAppearance,
      [SIGNED_RESOURCES_KEY]: signedResources,
    });
    dict.set(PDFName.of('T'), textString(fieldName));
    return pdf.context.register(dict);
  });
}

/**
 * Removes the XFA form of an unsigned document, because XFA-aware viewers render the XFA form
 * and ignore AcroForm fields added beside it, including the new signature fields. The AcroForm
 * fields and their values stay.
 */
function dropXfa(pdf: LazyPdf, changed: ChangedObjects, catalog: PDFDict): void {
  const acroFormValue = catalog.get(PDFName.of('AcroForm'));
  const acroForm = pdf.resolve(acroFormValue);
  if (acroForm instanceof PDFDict && acroForm.has(PDFName.of('XFA'))) {
    acroForm.delete(PDFName.of('XFA'));
    // An inline AcroForm is written as part of the catalog.
    if (acroFormValue instanceof PDFRef) changed.mark(acroFormValue, acroForm);
    else changed.mark(pdf.rootRef, catalog);
  }
  if (catalog.has(PDFName.of('NeedsRendering'))) {
    catalog.delete(PDFName.of('NeedsRendering'));
    changed.mark(pdf.rootRef, catalog);
  }
}

/** Adds the widgets to /AcroForm /Fields (creating the AcroForm if needed) and sets /SigFlags 3. */
function joinAcroForm(pdf: LazyPdf, changed: ChangedObjects, catalog: PDFDict, widgetRefs: PDFRef[]): void {
  const acroFormValue = catalog.get(PDFName.of('AcroForm'));
  let acroForm: PDFDict;
  let acroFormRef: PDFRef;
  if (acroFormValue instanceof PDFRef && pdf.getObject(acroFormValue) instanceof PDFDict) {
    acroForm = pdf.getObject(acroFormValue) as PDFDict;
    acroFormRef = acroFormValue;
  } else if (acroFormValue instanceof PDFDict) {
    acroForm = acroFormValue;
    acroFormRef = pdf.rootRef;
  } else {
    acroForm = pdf.context.obj({});
    acroFormRef = pdf.context.register(acroForm);
    catalog.set(PDFName.of('AcroForm'), acroFormRef);
    changed.mark(pdf.rootRef, catalog);
  }
  // An inline AcroForm is written as part of the catalog.
  const written = acroFormRef === pdf.rootRef ? catalog : acroForm;
  appendToArray(pdf, changed, acroForm, acroFormRef, 'Fields', widgetRefs, written);
  acroForm.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  changed.mark(acroFormRef, written);
}
