import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateKeyPairSync, type KeyPairKeyObjectResult, sign } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { formatTimestamp } from '@secusign/database';
import { GENESIS_HASH, hashAuditEvent } from '../audit-trail.service';
import { CHAIN_CANONICALIZATION, EVIDENCE_FORMAT, EvidenceContent, EvidenceEvent, SealedEvidence } from './evidence-content';
import { EvidenceSealKey, sealEvidence } from './evidence-seal';
import { verifyEvidence } from './evidence-verifier';
import { parseEvidenceXml, toEvidenceXml, validateEvidenceXml } from './evidence-xml';

const REPOSITORY_ROOT = resolve(__dirname, '../../../..');
const XSD = join(__dirname, 'evidence.xsd');
const TRANSACTION_UID = '5c7955f7-fe96-48c7-bff3-d621f7482b8b';

/** P-256 key signing ES256, whose JWS signatures are the raw r || s pair (RFC 7518, section 3.4). */
class TestSealKey extends EvidenceSealKey {
  readonly alg = 'ES256';

  constructor(private readonly pair: KeyPairKeyObjectResult) {
    super();
  }

  static async create(): Promise<TestSealKey> {
    return new TestSealKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }));
  }

  async publicJwk(): Promise<JWK> {
    return this.pair.publicKey.export({ format: 'jwk' }) as JWK;
  }

  async signJws(signingInput: Uint8Array): Promise<Uint8Array> {
    return sign('sha256', signingInput, { key: this.pair.privateKey, dsaEncoding: 'ieee-p1363' });
  }
}

/** Builds a chain of audit events as the audit trail writes them. */
function chainOf(types: Array<[type: string, data: Record<string, unknown>, userAgent?: string]>): EvidenceEvent[] {
  const events: EvidenceEvent[] = [];
  let previousHash = GENESIS_HASH;
  types.forEach(([type, data, userAgent], index) => {
    const entity = {
      transactionUid: TRANSACTION_UID,
      sequence: index + 1,
      type,
      actorType: 'client' as const,
      actorId: 'cli_123',
      ip: index === 0 ? '203.0.113.7' : null,
      userAgent: userAgent ?? (index === 0 ? 'curl/8.5 <"quoted"> & more' : null),
      data,
      createdAt: new Date(Date.UTC(2024, 0, 27, 8, 45, 54 + index)),
      previousHash,
    };
    const hash = hashAuditEvent(entity);
    events.push({
      transaction_uid: TRANSACTION_UID,
      sequence: entity.sequence,
      type,
      actor_type: 'client',
      actor_id: entity.actorId,
      ip: entity.ip,
      user_agent: entity.userAgent,
      data,
      created_at: formatTimestamp(entity.createdAt),
      previous_hash: previousHash,
      hash,
    });
    previousHash = hash;
  });

  return events;
}

function contentOf(events: EvidenceEvent[]): EvidenceContent {
  return {
    format: EVIDENCE_FORMAT,
    version: 1,
    generated_at: '2024-01-27T09:00:00.000000Z',
    transaction: { uid: TRANSACTION_UID, status: 'completed', name: 'Lease 2024-117', created_at: '2024-01-27T08:45:54.000000Z', sent_at: '2024-01-27T08:46:00.000000Z', completed_at: '2024-01-27T08:50:00.000000Z', cancelled_at: null },
    document: {
      filename: 'lease.pdf',
      size: 183442,
      pages: 4,
      sha256: 'a'.repeat(64),
      original_sha256: 'b'.repeat(64),
      normalization: 'repaired',
      certificate_page: 'appended',
      revisions: [{ sequence: 0, kind: 'prepared', signatory_uid: null, sha256: 'c'.repeat(64), size: 190000, created_at: '2024-01-27T08:46:00.000000Z' }],
    },
    signatories: [
      {
        uid: '8a6ff96d-196f-40a4-80af-abe4f61f743b',
        position: 1,
        firstname: 'Zoë',
        lastname: 'Dupré',
        email: 'zoe@example.com',
        phone: '+33 6•• •• •1 33',
        language: 'FR',
        authentication: 'sms',
        signature_level: 'simple',
        status: 'signed',
        identified_at: '2024-01-27T08:45:55.000000Z',
        authenticated_at: '2024-01-27T08:48:00.000000Z',
        signed_at: '2024-01-27T08:49:00.000000Z',
      },
    ],
    chain: { algorithm: 'SHA-256', canonicalization: CHAIN_CANONICALIZATION, genesis_hash: GENESIS_HASH, event_count: events.length, final_hash: events[events.length - 1]?.hash ?? GENESIS_HASH },
    events,
  };
}

async function sealed(key: EvidenceSealKey, events = chainOf([
  ['transaction.created', { name: 'Lease 2024-117', webhook_url: null }],
  ['document.uploaded', { sha256: 'a'.repeat(64), nested: { list: [1, 2.5, 'x'], flag: true } }],
  ['transaction.completed', {}],
])): Promise<SealedEvidence> {
  const content = contentOf(events);

  return { ...content, seal: await sealEvidence(content, key) };
}

describe('evidence export', () => {
  let key: TestSealKey;

  beforeAll(async () => {
    key = await TestSealKey.create();
  });

  describe(verifyEvidence.name, () => {
    it('accepts an intact sealed file', async () => {
      const result = await verifyEvidence(await sealed(key));

      expect(result.problems).toEqual([]);
      expect(result.valid).toBe(true);
      expect(result.eventCount).toBe(3);
    });

    it('names the altered event', async () => {
      const evidence = await sealed(key);
      evidence.events[1].data = { ...evidence.events[1].data, sha256: 'd'.repeat(64) };

      const result = await verifyEvidence(evidence);

      expect(result.valid).toBe(false);
      expect(result.problems[0]).toMatch(/^event 2 \(sequence 2, document\.uploaded\): hash mismatch, recorded [0-9a-f]{64} but its content hashes to [0-9a-f]{64}; the event was altered$/);
      expect(result.problems).toContain('seal signature does not match the content: the file was changed after sealing or signed by another key');
    });

    it('reports a removed event', async () => {
      const evidence = await sealed(key);
      evidence.events.splice(1, 1);

      const result = await verifyEvidence(evidence);

      expect(result.problems[0]).toContain('event 2 (sequence 3, transaction.completed): sequence is 3, expected 2');
      expect(result.problems.some((problem) => problem.includes('previous_hash'))).toBe(true);
      expect(result.problems.some((problem) => problem.startsWith('chain.event_count is 3 but the file lists 2 events'))).toBe(true);
    });

    it('detects an event rehashed after sealing', async () => {
      // A forger who recomputes the chain still cannot produce the seal.
      const original = await sealed(key);
      const forged = contentOf(chainOf([['transaction.created', { name: 'Forged', webhook_url: null }]]));

      const result = await verifyEvidence({ ...forged, seal: original.seal });

      expect(result.problems).toEqual(['seal signature does not match the content: the file was changed after sealing or signed by another key']);
    });

    it('rejects a key other than the trusted one', async () => {
      const other = await TestSealKey.create();
      const trusted = await key.publicJwk();

      const result = await verifyEvidence(await sealed(other), trusted);

      expect(result.valid).toBe(false);
      expect(result.problems).toEqual([`seal key ${await calculateJwkThumbprint(await other.publicJwk())} is not the trusted platform key ${await calculateJwkThumbprint(trusted)}`]);
    });
  });

  describe('XML form', () => {
    it('round-trips to the same content', async () => {
      const evidence = await sealed(key);

      expect(parseEvidenceXml(toEvidenceXml(evidence))).toEqual(evidence);
    });

    it('round-trips a transaction without document', async () => {
      const evidence = { ...(await sealed(key)), document: null, signatories: [] };

      expect(parseEvidenceXml(toEvidenceXml(evidence))).toEqual(evidence);
    });

    it('validates against evidence.xsd', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'evidence-'));
      const path = join(folder, 'evidence.xml');
      writeFileSync(path, toEvidenceXml(await sealed(key)));

      const run = spawnSync('xmllint', ['--noout', '--schema', XSD, path], { encoding: 'utf8' });

      expect(run.stderr).toContain('validates');
      expect(run.status).toBe(0);
    });

    it('verifies after parsing', async () => {
      const result = await verifyEvidence(parseEvidenceXml(toEvidenceXml(await sealed(key))));

      expect(result.problems).toEqual([]);
    });
  });

  describe('XML form of text that XML 1.0 cannot carry', () => {
    /** C0 controls but tab and LF (CR included), U+FFFE, U+FFFF, lone surrogates, plus backslashes and a valid pair. */
    const UNSAFE = [
      ...Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code)).filter((character) => character !== '\t' && character !== '\n'),
      '\ufffe',
      '\uffff',
      '\ud800',
      'x\udfff',
      '\\u0041 \\\\ \u{1F600} end',
    ].join('');

    async function unsafeEvidence(): Promise<SealedEvidence> {
      const events = chainOf([
        ['transaction.created', { name: UNSAFE, [`key${UNSAFE}`]: [UNSAFE] }, `agent ${UNSAFE}`],
        ['transaction.completed', {}],
      ]);
      const content = contentOf(events);
      content.transaction.name = UNSAFE;
      content.signatories[0].firstname = UNSAFE;

      return { ...content, seal: await sealEvidence(content, key) };
    }

    it('escapes unsafe text and round-trips it', async () => {
      const evidence = await unsafeEvidence();

      const xml = toEvidenceXml(evidence);

      expect(xml).toContain('<userAgent encoding="escaped">agent \\u0000\\u0001');
      expect(xml).not.toMatch(/[\u0000-\u0008\u000b-\u001f\ufffe\uffff]/);
      expect(parseEvidenceXml(xml)).toEqual(evidence);
    });

    it('validates against evidence.xsd with xmllint', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'evidence-'));
      const path = join(folder, 'evidence.xml');
      writeFileSync(path, toEvidenceXml(await unsafeEvidence()));

      const run = spawnSync('xmllint', ['--noout', '--schema', XSD, path], { encoding: 'utf8' });

      expect(run.stderr).toContain('validates');
      expect(run.status).toBe(0);
    });

    it('validates with the bundled validator', async () => {
      expect(await validateEvidenceXml(toEvidenceXml(await unsafeEvidence()))).toEqual([]);
    });

    it('verifies after parsing', async () => {
      const result = await verifyEvidence(parseEvidenceXml(toEvidenceXml(await unsafeEvidence())));

      expect(result.problems).toEqual([]);
    });

    it('detects a tampered escaped value', async () => {
      const xml = toEvidenceXml(await unsafeEvidence()).replace('<userAgent encoding="escaped">agent \\u0000\\u0001', '<userAgent encoding="escaped">agent \\u0000\\u0002');

      const result = await verifyEvidence(parseEvidenceXml(xml));

      expect(result.problems[0]).toMatch(/^event 1 \(sequence 1, transaction\.created\): hash mismatch/);
    });

    it('rejects a raw control character', async () => {
      const xml = toEvidenceXml(await sealed(key)).replace('<name>Lease 2024-117</name>', '<name>Lease\u0007</name>');

      const problems = await validateEvidenceXml(xml);

      expect(problems.length).toBeGreaterThan(0);
      expect(problems.join('\n')).toMatch(/Char value 7/);
    });

    it('rejects an element the schema does not allow', async () => {
      const xml = toEvidenceXml(await sealed(key)).replace('<name>Lease 2024-117</name>', '<name>Lease 2024-117</name><note>x</note>');

      const problems = await validateEvidenceXml(xml);

      expect(problems.join('\n')).toContain('note');
    });
  });

  describe('verify-evidence command', () => {
    const tsx = join(REPOSITORY_ROOT, 'node_modules', '.bin', 'tsx');
    const cli = join(__dirname, 'verify-evidence.cli.ts');

    function run(...args: string[]): { status: number | null; stdout: string } {
      const result = spawnSync(tsx, [cli, ...args], { cwd: REPOSITORY_ROOT, encoding: 'utf8' });

      return { status: result.status, stdout: result.stdout };
    }

    it('accepts valid JSON and XML files and rejects an altered one', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'evidence-'));
      const evidence = await sealed(key);
      const jsonPath = join(folder, 'evidence.json');
      const xmlPath = join(folder, 'evidence.xml');
      const alteredPath = join(folder, 'altered.xml');
      const keyPath = join(folder, 'trusted.jwk');
      writeFileSync(jsonPath, JSON.stringify(evidence, null, 2));
      writeFileSync(xmlPath, toEvidenceXml(evidence));
      writeFileSync(alteredPath, readFileSync(xmlPath, 'utf8').replace('<type>document.uploaded</type>', '<type>document.replaced</type>'));
      writeFileSync(keyPath, JSON.stringify(await key.publicJwk()));

      const json = run(jsonPath, '--trusted-key', keyPath);
      const xml = run(xmlPath);
      const altered = run(alteredPath);

      expect(json.stdout).toContain('VALID');
      expect(json.status).toBe(0);
      expect(xml.status).toBe(0);
      expect(altered.status).toBe(1);
      expect(altered.stdout).toContain('INVALID');
      expect(altered.stdout).toContain('event 2 (sequence 2, document.replaced): hash mismatch');
    });

    it('rejects XML that is not well formed or not schema-valid', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'evidence-'));
      const xml = toEvidenceXml(await sealed(key));
      const controlPath = join(folder, 'control.xml');
      const schemaPath = join(folder, 'schema.xml');
      writeFileSync(controlPath, xml.replace('<name>Lease 2024-117</name>', '<name>line1\r\nBcc: x\u0007\u001b[31m</name>'));
      writeFileSync(schemaPath, xml.replace('<status>completed</status>', '<status>finished</status>'));

      const control = run(controlPath);
      const schema = run(schemaPath);

      expect(control.status).toBe(1);
      expect(control.stdout).toContain('INVALID');
      expect(control.stdout).toContain('XML is not well formed or not valid against evidence.xsd');
      expect(schema.status).toBe(1);
      expect(schema.stdout).toContain('INVALID');
      expect(schema.stdout).toContain('finished');
    });

    it('accepts a file with escaped text and rejects it tampered', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'evidence-'));
      const events = chainOf([['transaction.created', { detail: 'line1\r\nBcc: x\u0007\u001b[31m' }, 'agent\u0000\uffff']]);
      const content = contentOf(events);
      const xml = toEvidenceXml({ ...content, seal: await sealEvidence(content, key) });
      const validPath = join(folder, 'valid.xml');
      const tamperedPath = join(folder, 'tampered.xml');
      writeFileSync(validPath, xml);
      writeFileSync(tamperedPath, xml.replace('agent\\u0000\\uffff', 'agent\\u0000\\ufffe'));

      const valid = run(validPath);
      const tampered = run(tamperedPath);

      expect(valid.stdout).toContain('VALID');
      expect(valid.status).toBe(0);
      expect(tampered.status).toBe(1);
      expect(tampered.stdout).toContain('event 1 (sequence 1, transaction.created): hash mismatch');
    });

    it('exits 2 without a file', () => {
      expect(run().status).toBe(2);
    });
  });
});
