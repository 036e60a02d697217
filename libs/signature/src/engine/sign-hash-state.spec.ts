import { createHash } from 'crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { opensslVerify, pdfsig, signatureRanges } from '../../test/pdf-tools';
import { classicPdf, xrefStreamPdf } from '../pdf/pdf-fixtures';
import { PkiService } from '../pki/pki.service';
import { SignInput } from '../signature-engine.types';
import { prepareDocument } from './prepare';
import { computeRevisionHashState, extendRevisionHashState, hashStateDigestHex } from './revision-hash-state';
import { signDocument } from './sign';

describe('signDocument with an input hash state', () => {
  let folder: string;
  let pki: PkiService;
  let caFile: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'secusign-hash-state-spec-'));
    pki = new PkiService({ production: false, directory: folder, masterKey: 'hash-state-spec-master-key' });
    caFile = join(folder, 'ca-bundle.pem');
    writeFileSync(caFile, pki.caBundlePem());
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  function prepared(source: Buffer, names = ['Signature1']): Buffer {
    return prepareDocument({
      bytes: source,
      documentName: 'contract.pdf',
      documentSha256: createHash('sha256').update(source).digest('hex'),
      transactionUid: 'tx_hash_state',
      signatories: names.map((fieldName) => ({
        fieldName,
        firstname: 'Zoë',
        lastname: 'Łukasiewicz',
        signatureLevel: 'simple' as const,
        authentication: 'sms' as const,
        language: 'EN' as const,
      })),
    }).bytes;
  }

  function signInput(bytes: Buffer, inputHashState?: Buffer, fieldName = 'Signature1'): SignInput {
    return {
      bytes,
      fieldName,
      signer: pki.sealSigner(),
      signedAt: new Date('2026-05-06T07:08:09Z'),
      appearance: {
        signerName: 'Zoë Łukasiewicz',
        signatureLevel: 'simple',
        authentication: 'sms',
        maskedDestination: '+33 6•• •• •1 33',
        language: 'EN',
      },
      inputHashState,
    };
  }

  /**
   * Returns the signed revision with its CMS and the random second /ID string replaced by fixed
   * text, so that two signatures of the same input at the same time compare equal.
   */
  function withoutRandomParts(bytes: Buffer): string {
    const [range] = signatureRanges(bytes).slice(-1);
    const contents = '0'.repeat(range.byteRange[2] - range.byteRange[1]);
    const text = bytes.toString('latin1');
    return (text.slice(0, range.byteRange[1]) + contents + text.slice(range.byteRange[2])).replace(
      /(\/ID\s*\[\s*<[0-9a-fA-F]*>\s*)<[0-9a-fA-F]*>/g,
      '$1<random>',
    );
  }

  it.each([
    ['classic xref', classicPdf],
    ['xref stream', xrefStreamPdf],
  ])('matches the stateless output (%s)', async (kind, fixture) => {
    const input = prepared(fixture());
    const stateless = await signDocument(signInput(input));
    const resumed = await signDocument(signInput(input, computeRevisionHashState(input)));

    expect(withoutRandomParts(resumed.bytes)).toBe(withoutRandomParts(stateless.bytes));
    const [range] = signatureRanges(resumed.bytes);
    const verification = opensslVerify(folder, `resumed-${kind.replace(' ', '-')}`, resumed.bytes, range, caFile);
    expect(verification.output).toContain('Verification successful');
    expect(verification.code).toBe(0);
    expect(resumed.sha256Before).toBe(stateless.sha256Before);
    expect(resumed.sha256After).toBe(createHash('sha256').update(resumed.bytes).digest('hex'));
  });

  it('chains two signatures through stored states', async () => {
    const revision0 = prepared(classicPdf(), ['Signature1', 'Signature2']);
    const state0 = computeRevisionHashState(revision0);
    const first = await signDocument(signInput(revision0, state0, 'Signature1'));
    const state1 = extendRevisionHashState(state0, first.appended);
    const revision1 = first.bytes;
    expect(hashStateDigestHex(state1)).toBe(createHash('sha256').update(revision1).digest('hex'));

    const second = await signDocument(signInput(revision1, state1, 'Signature2'));
    const signed = second.bytes;
    const ranges = signatureRanges(signed);
    expect(ranges).toHaveLength(2);
    for (const [index, range] of ranges.entries()) {
      const verification = opensslVerify(folder, `chain-${index}`, signed, range, caFile);
      expect(verification.output).toContain('Verification successful');
      expect(verification.code).toBe(0);
    }

    const path = join(folder, 'chain.pdf');
    writeFileSync(path, signed);
    const report = pdfsig(path);
    expect(report.signatures).toBe(2);
    expect(report.valid).toBe(2);
    expect(report.lastTotal).toBe(true);
  });

  it('rejects a state of another length', async () => {
    const input = prepared(classicPdf());
    const state = computeRevisionHashState(input.subarray(0, input.length - 1));
    await expect(signDocument(signInput(input, state))).rejects.toThrow(/covers \d+ bytes but the document has/);
  });

  it('rejects a state with another tail', async () => {
    const input = prepared(classicPdf());
    const altered = Buffer.from(input);
    altered[altered.length - 1] ^= 0xff;
    const state = computeRevisionHashState(altered);
    if (input.length % 64 === 0) throw new Error('The fixture length must not be a multiple of 64 for this test');
    await expect(signDocument(signInput(input, state))).rejects.toThrow(/does not end with the last bytes/);
  });

  it('rejects a malformed state', async () => {
    const input = prepared(classicPdf());
    await expect(signDocument(signInput(input, Buffer.from([9, 9, 9])))).rejects.toThrow(/Invalid input hash state/);
  });
});
