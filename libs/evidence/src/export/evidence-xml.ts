import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMParser, type Element as XmlElement } from '@xmldom/xmldom';
import { validateXML } from 'xmllint-wasm';
import type { EvidenceSeal, SealedEvidence } from './evidence-content';

/** Namespace of `evidence.xsd`. */
export const EVIDENCE_XML_NAMESPACE = 'urn:secusign:evidence:1';

/**
 * Value of the `encoding` attribute on an element whose text was escaped because XML 1.0
 * cannot carry it unchanged: `\` stands for a backslash and `\uXXXX` for one UTF-16 code unit.
 */
export const ESCAPED_TEXT_ENCODING = 'escaped';

/**
 * UTF-16 code units that XML 1.0 cannot carry: C0 controls other than tab and LF, U+FFFE,
 * U+FFFF and lone surrogates. CR is included because parsers normalize it to LF, which
 * would change the hashed content.
 */
const XML_UNSAFE_TEXT = /[\u0000-\u0008\u000b-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const XML_UNSAFE_TEXT_GLOBAL = new RegExp(XML_UNSAFE_TEXT.source, 'g');

type FieldType = 'string' | 'integer' | 'json';

/** A JSON member and the XML element that carries it; a null member has no element. */
type Field = [json: string, xml: string, type: FieldType];

const TRANSACTION_FIELDS: Field[] = [
  ['uid', 'uid', 'string'],
  ['status', 'status', 'string'],
  ['name', 'name', 'string'],
  ['created_at', 'createdAt', 'string'],
  ['sent_at', 'sentAt', 'string'],
  ['completed_at', 'completedAt', 'string'],
  ['cancelled_at', 'cancelledAt', 'string'],
];

const DOCUMENT_FIELDS: Field[] = [
  ['filename', 'filename', 'string'],
  ['size', 'size', 'integer'],
  ['pages', 'pages', 'integer'],
  ['sha256', 'sha256', 'string'],
  ['original_sha256', 'originalSha256', 'string'],
  ['normalization', 'normalization', 'string'],
  ['certificate_page', 'certificatePage', 'string'],
];

const REVISION_FIELDS: Field[] = [
  ['sequence', 'sequence', 'integer'],
  ['kind', 'kind', 'string'],
  ['signatory_uid', 'signatoryUid', 'string'],
  ['sha256', 'sha256', 'string'],
  ['size', 'size', 'integer'],
  ['created_at', 'createdAt', 'string'],
];

const SIGNATORY_FIELDS: Field[] = [
  ['uid', 'uid', 'string'],
  ['position', 'position', 'integer'],
  ['firstname', 'firstname', 'string'],
  ['lastname', 'lastname', 'string'],
  ['email', 'email', 'string'],
  ['phone', 'phone', 'string'],
  ['language', 'language', 'string'],
  ['authentication', 'authentication', 'string'],
  ['signature_level', 'signatureLevel', 'string'],
  ['status', 'status', 'string'],
  ['identified_at', 'identifiedAt', 'string'],
  ['authenticated_at', 'authenticatedAt', 'string'],
  ['signed_at', 'signedAt', 'string'],
];

const CHAIN_FIELDS: Field[] = [
  ['algorithm', 'algorithm', 'string'],
  ['canonicalization', 'canonicalization', 'string'],
  ['genesis_hash', 'genesisHash', 'string'],
  ['event_count', 'eventCount', 'integer'],
  ['final_hash', 'finalHash', 'string'],
];

/** `data` is carried as its canonical JSON text, so the hash input survives the XML form unchanged. */
const EVENT_FIELDS: Field[] = [
  ['transaction_uid', 'transactionUid', 'string'],
  ['sequence', 'sequence', 'integer'],
  ['type', 'type', 'string'],
  ['actor_type', 'actorType', 'string'],
  ['actor_id', 'actorId', 'string'],
  ['ip', 'ip', 'string'],
  ['user_agent', 'userAgent', 'string'],
  ['data', 'data', 'json'],
  ['created_at', 'createdAt', 'string'],
  ['previous_hash', 'previousHash', 'string'],
  ['hash', 'hash', 'string'],
];

const SEAL_FIELDS: Field[] = [
  ['alg', 'alg', 'string'],
  ['kid', 'kid', 'string'],
  ['jwk', 'jwk', 'json'],
  ['signature', 'signature', 'string'],
];

/** Serializes sealed evidence as XML valid against `evidence.xsd`. */
export function toEvidenceXml(evidence: SealedEvidence): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<evidence xmlns="${EVIDENCE_XML_NAMESPACE}" format="${escapeXml(evidence.format)}" version="${evidence.version}">`];
  lines.push(`  ${element('generatedAt', evidence.generated_at)}`);
  lines.push(section('transaction', evidence.transaction, TRANSACTION_FIELDS, 1));
  if (evidence.document) {
    const revisions = evidence.document.revisions.map((revision) => section('revision', revision, REVISION_FIELDS, 3));
    lines.push(section('document', evidence.document, DOCUMENT_FIELDS, 1, [list('revisions', revisions, 2)]));
  }
  lines.push(list('signatories', evidence.signatories.map((signatory) => section('signatory', signatory, SIGNATORY_FIELDS, 2)), 1));
  lines.push(section('chain', evidence.chain, CHAIN_FIELDS, 1));
  lines.push(list('events', evidence.events.map((event) => section('event', event, EVENT_FIELDS, 2)), 1));
  lines.push(section('seal', evidence.seal, SEAL_FIELDS, 1));
  lines.push('</evidence>', '');

  return lines.join('\n');
}

/**
 * Parses an XML evidence file back into the JSON content it carries, for verification.
 * Throws with the reason when the XML is not well formed or not an evidence document.
 */
export function parseEvidenceXml(xml: string): SealedEvidence {
  const errors: string[] = [];
  const document = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') {
        errors.push(message);
      }
    },
  }).parseFromString(xml, 'application/xml');
  const root = document.documentElement;
  if (errors.length > 0 || !root) {
    throw new Error(`XML evidence is not well formed: ${errors.join('; ') || 'no root element'}`);
  }
  if (root.localName !== 'evidence' || root.namespaceURI !== EVIDENCE_XML_NAMESPACE) {
    throw new Error(`XML root is {${root.namespaceURI}}${root.localName}, expected {${EVIDENCE_XML_NAMESPACE}}evidence`);
  }

  const documentElement = child(root, 'document');
  const evidence = {
    format: root.getAttribute('format'),
    version: Number(root.getAttribute('version')),
    generated_at: text(child(root, 'generatedAt')),
    transaction: read(child(root, 'transaction'), TRANSACTION_FIELDS),
    document: documentElement
      ? { ...read(documentElement, DOCUMENT_FIELDS), revisions: children(child(documentElement, 'revisions'), 'revision').map((item) => read(item, REVISION_FIELDS)) }
      : null,
    signatories: children(child(root, 'signatories'), 'signatory').map((item) => read(item, SIGNATORY_FIELDS)),
    chain: read(child(root, 'chain'), CHAIN_FIELDS),
    events: children(child(root, 'events'), 'event').map((item) => read(item, EVENT_FIELDS)),
    seal: read(child(root, 'seal'), SEAL_FIELDS) as unknown as EvidenceSeal,
  };

  return evidence as unknown as SealedEvidence;
}

function section(name: string, value: object, fields: Field[], depth: number, extra: string[] = []): string {
  const indent = '  '.repeat(depth);
  const record = value as Record<string, unknown>;
  const members = fields
    .filter(([json]) => record[json] !== null && record[json] !== undefined)
    .map(([json, xml, type]) => `${indent}  ${type === 'json' ? element(xml, toXmlSafeJson(record[json])) : element(xml, String(record[json]))}`);

  return [`${indent}<${name}>`, ...members, ...extra, `${indent}</${name}>`].join('\n');
}

function list(name: string, items: string[], depth: number): string {
  const indent = '  '.repeat(depth);

  return items.length === 0 ? `${indent}<${name}/>` : [`${indent}<${name}>`, ...items, `${indent}</${name}>`].join('\n');
}

/** Writes a text element, escaping its value with `encoding="escaped"` when XML 1.0 cannot carry it. */
function element(name: string, value: string): string {
  if (!XML_UNSAFE_TEXT.test(value)) {
    return `<${name}>${escapeXml(value)}</${name}>`;
  }

  return `<${name} encoding="${ESCAPED_TEXT_ENCODING}">${escapeXml(escapeText(value))}</${name}>`;
}

function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(XML_UNSAFE_TEXT_GLOBAL, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function unescapeText(value: string, where: string): string {
  if (!/^(?:[^\\]|\\\\|\\u[0-9a-fA-F]{4})*$/.test(value)) {
    throw new Error(`XML element ${where} has encoding="${ESCAPED_TEXT_ENCODING}" but contains a backslash that is neither \\\\ nor \\uXXXX`);
  }

  return value.replace(/\\(?:\\|u([0-9a-fA-F]{4}))/g, (_, hex: string | undefined) => (hex ? String.fromCharCode(parseInt(hex, 16)) : '\\'));
}

/**
 * Serializes a JSON value for an element. JSON.stringify already escapes C0 controls and lone
 * surrogates; U+FFFE and U+FFFF are escaped here, so the text is always valid XML 1.0.
 */
function toXmlSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\ufffe\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16)}`);
}

/** Escapes text for element content and attribute values. */
export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\r/g, '&#13;');
}

function read(element: XmlElement | null, fields: Field[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [json, xml, type] of fields) {
    const member = element ? child(element, xml) : null;
    if (member === null) {
      record[json] = null;
      continue;
    }
    const value = textOf(member, `${element?.localName}.${xml}`);
    if (type === 'integer') {
      record[json] = Number(value);
    } else if (type === 'json') {
      record[json] = parseJson(value, `${element?.localName}.${xml}`);
    } else {
      record[json] = value;
    }
  }

  return record;
}

function parseJson(value: string, where: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw new Error(`XML element ${where} does not contain valid JSON`);
  }
}

function child(parent: XmlElement | null, name: string): XmlElement | null {
  return parent ? (children(parent, name)[0] ?? null) : null;
}

function children(parent: XmlElement | null, name: string): XmlElement[] {
  if (!parent) {
    return [];
  }
  const found: XmlElement[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && (node as XmlElement).localName === name && (node as XmlElement).namespaceURI === EVIDENCE_XML_NAMESPACE) {
      found.push(node as XmlElement);
    }
  }

  return found;
}

function text(element: XmlElement | null): string {
  return element?.textContent ?? '';
}

/** Reads an element's text, undoing the escaping that `encoding="escaped"` announces. */
function textOf(element: XmlElement, where: string): string {
  const encoding = element.getAttribute('encoding');
  if (encoding === null || encoding === '') {
    return text(element);
  }
  if (encoding !== ESCAPED_TEXT_ENCODING) {
    throw new Error(`XML element ${where} has unknown encoding "${encoding}"`);
  }

  return unescapeText(text(element), where);
}

/** Path of the schema that evidence XML files follow; the verifier validates against it. */
export const EVIDENCE_XSD_PATH = join(__dirname, 'evidence.xsd');

/**
 * Validates XML evidence against `evidence.xsd` with libxml2 (the xmllint of xmllint-wasm),
 * which also checks well-formedness, including characters that XML 1.0 forbids.
 * Returns one message per error, with its line; an empty list means valid.
 */
export async function validateEvidenceXml(xml: string): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'evidence.xml', contents: xml }],
    schema: [{ fileName: 'evidence.xsd', contents: readFileSync(EVIDENCE_XSD_PATH, 'utf8') }],
    // 1 GiB ceiling in 64 KiB pages; the memory grows only as the file needs.
    maxMemoryPages: 16384,
  });
  if (result.valid) {
    return [];
  }
  const messages = result.errors.map((error) => (error.loc ? `line ${error.loc.lineNumber}: ${error.message}` : error.message));

  return messages.length > 0 ? messages : [result.rawOutput.trim() || 'xmllint rejected the file without a message'];
}
