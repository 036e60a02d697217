import { PDFArray, PDFDocument, PDFName, PDFPage, PDFRef, PDFString } from 'pdf-lib';
import type { EvidenceContent, EvidenceEvent } from '@secusign/evidence';
import { TextPainter } from '@secusign/signature';
import { ReportLabels } from './evidence-report-labels';

/** Name of the invisible signature field that the platform seal signs. */
export const REPORT_SEAL_FIELD = 'SecuSignEvidenceSeal';

const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const MARGIN_X = 50;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X;
const TOP = PAGE_HEIGHT - 56;
const BOTTOM = 64;
const ACCENT: [number, number, number] = [0.11, 0.3, 0.55];
const MUTED: [number, number, number] = [0.38, 0.38, 0.38];

/**
 * Characters that have no visible glyph or no meaning as text: control characters (C0, DEL,
 * C1), U+FFFE, U+FFFF and lone surrogates.
 */
const INVISIBLE_CHARACTER = /[\p{Cc}\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/gu;

/**
 * Replaces each invisible character with its `\uXXXX` escape, so a control character in a
 * recorded value shows in the report instead of being drawn as a space or a `?`.
 */
export function toVisibleText(text: string): string {
  return text.replace(INVISIBLE_CHARACTER, (character) => `\\u${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/**
 * Lays out the evidence report: transaction, document and signatory facts, then every event
 * with its hash, then the chain's final hash. Text goes through the certificate page's
 * TextPainter, so names in any script render. Returns an unsigned PDF whose first page contains
 * the invisible `REPORT_SEAL_FIELD` for the platform seal.
 */
export async function renderEvidenceReport(content: EvidenceContent, labels: ReportLabels): Promise<Buffer> {
  const document = await PDFDocument.create();
  document.setTitle(`${labels.title} ${content.transaction.uid}`);
  document.setProducer('SecuSign');
  document.setCreationDate(new Date(content.generated_at));
  const painter = new TextPainter(document, 'R');
  const layout = new ReportLayout(painter, labels, content.generated_at);

  layout.heading(labels.title, 18);
  layout.paragraph(labels.intro, 9, MUTED);
  layout.gap(8);

  layout.section(labels.transaction);
  layout.field('UID', content.transaction.uid);
  layout.field(labels.status, content.transaction.status);
  layout.field(labels.name, content.transaction.name ?? labels.none);
  layout.field(labels.created, content.transaction.created_at);

  layout.section(labels.document);
  if (content.document) {
    layout.field(labels.name, content.document.filename ?? labels.none);
    layout.field(labels.sha256, content.document.sha256 ?? labels.none, 'mono');
    if (content.document.original_sha256 && content.document.original_sha256 !== content.document.sha256) {
      layout.field(labels.originalSha256, content.document.original_sha256, 'mono');
    }
  } else {
    layout.paragraph(labels.none, 9);
  }

  layout.section(labels.signatories);
  for (const signatory of content.signatories) {
    layout.paragraph(`${signatory.position}. ${signatory.firstname} ${signatory.lastname} · ${signatory.email} · ${signatory.phone} · ${signatory.authentication} · ${signatory.status}`, 9);
  }
  if (content.signatories.length === 0) {
    layout.paragraph(labels.none, 9);
  }

  layout.section(labels.events);
  for (const event of content.events) {
    layout.event(event);
  }

  layout.section(labels.finalHash);
  layout.field(labels.eventCount, String(content.chain.event_count));
  layout.field(labels.finalHash, content.chain.final_hash, 'mono');

  const pages = layout.finish(document);
  addSealField(document, pages[0]);

  return Buffer.from(await document.save({ useObjectStreams: false }));
}

/** Accumulates content-stream operators page by page, breaking pages when a block does not fit. */
class ReportLayout {
  private readonly pages: string[] = [''];
  private y = TOP;

  constructor(
    private readonly painter: TextPainter,
    private readonly labels: ReportLabels,
    private readonly generatedAt: string,
  ) {}

  heading(text: string, size: number): void {
    this.ensure(size + 6);
    this.draw({ text, x: MARGIN_X, y: this.y, size, style: 'bold', color: ACCENT, maxWidth: CONTENT_WIDTH });
    this.y -= size + 8;
  }

  section(text: string): void {
    this.ensure(40);
    this.y -= 8;
    this.draw({ text, x: MARGIN_X, y: this.y, size: 12, style: 'bold', color: ACCENT, maxWidth: CONTENT_WIDTH });
    this.y -= 4;
    this.rule();
    this.y -= 14;
  }

  paragraph(text: string, size: number, color?: [number, number, number]): void {
    for (const line of this.painter.wrap(toVisibleText(text), size, CONTENT_WIDTH)) {
      this.ensure(size + 4);
      this.draw({ text: line, x: MARGIN_X, y: this.y, size, color, maxWidth: CONTENT_WIDTH });
      this.y -= size + 4;
    }
  }

  field(label: string, value: string, style: 'regular' | 'mono' = 'regular'): void {
    this.ensure(14);
    this.draw({ text: label, x: MARGIN_X, y: this.y, size: 9, style: 'bold', maxWidth: 140 });
    this.draw({ text: value, x: MARGIN_X + 150, y: this.y, size: style === 'mono' ? 8 : 9, style, maxWidth: CONTENT_WIDTH - 150 });
    this.y -= 14;
  }

  event(event: EvidenceEvent): void {
    this.ensure(34);
    const actor = event.actor_id ? `${event.actor_type} ${event.actor_id}` : event.actor_type;
    this.draw({ text: `${event.sequence}.`, x: MARGIN_X, y: this.y, size: 9, style: 'bold' });
    this.draw({ text: event.created_at, x: MARGIN_X + 22, y: this.y, size: 8, style: 'mono' });
    this.draw({ text: event.type, x: MARGIN_X + 180, y: this.y, size: 9, style: 'bold', maxWidth: 150 });
    this.draw({ text: event.ip ? `${actor} · ${event.ip}` : actor, x: MARGIN_X + 335, y: this.y, size: 8, color: MUTED, maxWidth: CONTENT_WIDTH - 335 });
    this.y -= 11;
    this.draw({ text: `${this.labels.sha256} ${event.hash}`, x: MARGIN_X + 22, y: this.y, size: 7, style: 'mono', color: MUTED, maxWidth: CONTENT_WIDTH - 22 });
    this.y -= 15;
  }

  gap(points: number): void {
    this.y -= points;
  }

  /** Adds the footers, embeds the fonts and attaches one content stream per page. */
  finish(document: PDFDocument): PDFPage[] {
    const total = this.pages.length;
    const footers = this.pages.map((_, index) =>
      this.painter.drawText({
        text: `${this.labels.generatedAt} ${this.generatedAt} · ${this.labels.page} ${index + 1}/${total}`,
        x: MARGIN_X,
        y: 36,
        size: 7,
        color: MUTED,
        maxWidth: CONTENT_WIDTH,
      }),
    );
    const fonts = this.painter.embed();

    return this.pages.map((operators, index) => {
      const page = document.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
      const stream = document.context.flateStream(operators + footers[index]);
      page.node.set(PDFName.of('Contents'), document.context.register(stream));
      page.node.set(PDFName.of('Resources'), document.context.obj({ Font: fonts }));

      return page;
    });
  }

  private draw(options: Parameters<TextPainter['drawText']>[0]): void {
    this.pages[this.pages.length - 1] += this.painter.drawText({ ...options, text: toVisibleText(options.text) });
  }

  private rule(): void {
    this.pages[this.pages.length - 1] += `q ${ACCENT.join(' ')} RG 0.6 w ${MARGIN_X} ${this.y.toFixed(2)} m ${MARGIN_X + CONTENT_WIDTH} ${this.y.toFixed(2)} l S Q\n`;
  }

  private ensure(height: number): void {
    if (this.y - height < BOTTOM) {
      this.pages.push('');
      this.y = TOP;
    }
  }
}

/** Adds an invisible signature field on `page`, as the one field of the AcroForm. */
function addSealField(document: PDFDocument, page: PDFPage): PDFRef {
  const widget = document.context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: [0, 0, 0, 0],
    // Print and Locked: an invisible seal that readers do not offer to edit.
    F: 132,
    P: page.ref,
  });
  widget.set(PDFName.of('T'), PDFString.of(REPORT_SEAL_FIELD));
  const widgetRef = document.context.register(widget);
  const annotations = PDFArray.withContext(document.context);
  annotations.push(widgetRef);
  page.node.set(PDFName.of('Annots'), annotations);
  document.catalog.set(PDFName.of('AcroForm'), document.context.obj({ Fields: [widgetRef], SigFlags: 3 }));

  return widgetRef;
}
