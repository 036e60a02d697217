import { execFileSync, spawnSync } from 'child_process';
import { createPublicKey, X509Certificate } from 'crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { derToPem, generateRsaKey, issueCertificate } from './certificates';
import { PkiService } from './pki.service';

const MASTER_KEY = 'unit-test-master-key-0123';

describe('PkiService', () => {
  let folder: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'secusign-pki-spec-'));
  });

  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('generates once and reloads the same chain', async () => {
    const first = new PkiService({ production: false, directory: folder, masterKey: MASTER_KEY });
    const chain = await first.sealSigner().certificateChain();
    const second = new PkiService({ production: false, directory: folder, masterKey: MASTER_KEY });
    const reloaded = await second.sealSigner().certificateChain();

    expect(chain).toHaveLength(3);
    expect(reloaded.map((der) => der.toString('hex'))).toEqual(chain.map((der) => der.toString('hex')));
    const [seal, issuing, root] = chain.map((der) => new X509Certificate(der));
    expect(seal.checkIssued(issuing)).toBe(true);
    expect(issuing.checkIssued(root)).toBe(true);
    expect(seal.verify(issuing.publicKey)).toBe(true);
    expect(issuing.ca).toBe(true);
    expect(seal.ca).toBe(false);
  });

  it('stores private keys encrypted', () => {
    new PkiService({ production: false, directory: folder, masterKey: MASTER_KEY }).init();
    const keyFiles = readdirSync(folder).filter((name) => name.includes('.key.'));
    expect(keyFiles).toHaveLength(3);
    for (const name of keyFiles) {
      expect(readFileSync(join(folder, name), 'utf8')).not.toContain('PRIVATE KEY');
    }
  });

  it('rejects a wrong master key', () => {
    new PkiService({ production: false, directory: folder, masterKey: MASTER_KEY }).init();
    const wrong = new PkiService({ production: false, directory: folder, masterKey: 'another-master-key-000' });
    expect(() => wrong.init()).toThrow(/wrong master key/);
  });

  it('refuses production without files', () => {
    expect(() => new PkiService({ production: true }).init()).toThrow(/Production PKI files missing/);
    expect(() =>
      new PkiService({
        production: true,
        files: {
          rootCertificate: join(folder, 'missing.pem'),
          issuingCertificate: join(folder, 'missing.pem'),
          issuingPrivateKey: join(folder, 'missing.pem'),
          sealCertificate: join(folder, 'missing.pem'),
          sealPrivateKey: join(folder, 'missing.pem'),
        },
      }).init(),
    ).toThrow(/rootCertificate/);
  });

  it('loads production files', async () => {
    const rootKey = generateRsaKey();
    const now = Date.now();
    const root = issueCertificate({
      subject: { commonName: 'Prod Root' },
      publicKey: createPublicKey(rootKey),
      selfSigningKey: rootKey,
      notBefore: new Date(now - 1000),
      notAfter: new Date(now + 3600_000),
      ca: true,
    });
    const paths = {
      rootCertificate: join(folder, 'root.pem'),
      issuingCertificate: join(folder, 'root.pem'),
      issuingPrivateKey: join(folder, 'root.key'),
      sealCertificate: join(folder, 'root.pem'),
      sealPrivateKey: join(folder, 'root.key'),
    };
    writeFileSync(paths.rootCertificate, derToPem(root));
    writeFileSync(paths.issuingPrivateKey, rootKey.export({ type: 'pkcs8', format: 'pem' }));
    const pki = new PkiService({ production: true, files: paths });
    expect((await pki.sealSigner().certificateChain())[0].equals(root)).toBe(true);
  });

  it('issues short-lived signatory certificates', async () => {
    const pki = new PkiService({
      production: false,
      directory: folder,
      masterKey: MASTER_KEY,
      crlUrl: 'https://sign.example.com/pki/issuing.crl',
    });
    const signingTime = new Date('2026-03-01T10:00:00Z');
    const issued = await pki.issueSignatoryCertificate({
      firstname: 'Мария',
      lastname: 'Иванова',
      email: 'maria@example.com',
      signingTime,
    });
    const certificate = new X509Certificate(issued.certificate);
    const issuing = new X509Certificate((await pki.sealSigner().certificateChain())[1]);

    expect(certificate.subject).toBe('CN=Мария Иванова');
    expect(certificate.subjectAltName).toBe('email:maria@example.com');
    expect(new Date(certificate.validFrom).getTime()).toBeLessThan(signingTime.getTime());
    expect(new Date(certificate.validTo).getTime() - signingTime.getTime()).toBeLessThanOrEqual(15 * 60_000);
    expect(certificate.checkIssued(issuing)).toBe(true);
    expect(certificate.verify(issuing.publicKey)).toBe(true);
    const text = execFileSync('openssl', ['x509', '-noout', '-ext', 'keyUsage,crlDistributionPoints'], {
      input: certificate.toString(),
    }).toString();
    expect(text).toContain('Digital Signature, Non Repudiation');
    expect(text).toContain('URI:https://sign.example.com/pki/issuing.crl');
    expect((await issued.signer.certificateChain())[0].equals(issued.certificate)).toBe(true);
  });

  it('produces a CRL signed by the issuing CA', async () => {
    const pki = new PkiService({ production: false, directory: folder, masterKey: MASTER_KEY });
    const crlPath = join(folder, 'issuing.crl');
    const bundlePath = join(folder, 'bundle.pem');
    writeFileSync(crlPath, await pki.issuingCrl(new Date(), ['0a1b2c']));
    writeFileSync(bundlePath, pki.caBundlePem());
    const result = spawnSync('openssl', ['crl', '-inform', 'DER', '-in', crlPath, '-CAfile', bundlePath, '-noout', '-text'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('verify OK');
    expect(result.stdout).toContain('Serial Number: 0A1B2C');
    expect(result.stdout).toContain('Issuer: O = SecuSign development, CN = SecuSign development Issuing CA');
  });
});
