import { DOMParser, type Element as XmlElement } from '@xmldom/xmldom';
import type { EvidenceSeal, SealedEvidence } from './evidence-content';

/** Namespace of `evidence.xsd`. */
export const EVIDENCE_XML_NAMESPACE = 'urn:secusign:evidence:1';

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
    .map(([json, xml, type]) => `${indent}  ${element(xml, type === 'json' ? JSON.stringify(record[json]) : String(record[json]))}`);

  return [`${indent}<${name}>`, ...members, ...extra, `${indent}</${name}>`].join('\n');
}

function list(name: string, items: string[], depth: number): string {
  const indent = '  '.repeat(depth);

  return items.length === 0 ? `${indent}<${name}/>` : [`${indent}<${name}>`, ...items, `${indent}</${name}>`].join('\n');
}

function element(name: string, value: string): string {
  return `<${name}>${escapeXml(value)}</${name}>`;
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
    const value = text(member);
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
