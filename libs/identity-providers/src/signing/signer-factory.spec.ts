import { constants, createHash, publicDecrypt, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { PkiService } from '@secusign/signature';
import { Signatory, SignatoryStatus } from '@secusign/signatories';
import { IdentityApproval } from '../approvals/identity-approval.entity';
import { SignerFactory } from './signer-factory';

const PROVIDER_UID = '0f5c1c7e-3a1e-4f0e-9b8a-2d6f5a7c9e11';

function signatoryOf(overrides: Partial<Signatory>): Signatory {
  return Object.assign(new Signatory(), {
    firstname: 'Zoë',
    lastname: 'Łukasiewicz',
    email: 'zoe@example.com',
    signatureLevel: 'advanced',
    identityProviderUid: PROVIDER_UID,
    status: SignatoryStatus.Authenticated,
    identifiedAt: new Date(),
    ...overrides,
  });
}

/** An entity manager whose only query returns `approval`. */
function entityManagerReturning(approval: IdentityApproval | null): { em: EntityManager; findOne: jest.Mock } {
  const findOne = jest.fn().mockResolvedValue(approval);

  return { em: { findOne } as unknown as EntityManager, findOne };
}

describe(SignerFactory.name, () => {
  let folder: string;
  let pki: PkiService;
  let factory: SignerFactory;

  beforeAll(() => {
    Logger.overrideLogger(false);
    folder = mkdtempSync(join(tmpdir(), 'secusign-signer-factory-'));
    pki = new PkiService({ production: false, directory: folder, masterKey: 'unit-test-master-key-0123' });
    pki.init();
    factory = new SignerFactory(pki);
  });

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('signs simple signatures with the seal', async () => {
    const { em, findOne } = entityManagerReturning(null);

    const signer = await factory.signerFor(em, signatoryOf({ signatureLevel: 'simple', identityProviderUid: null }), new Date());

    const [leaf] = await signer.certificateChain();
    expect(new X509Certificate(leaf).subject).toMatch(/CN=.*Seal$/);
    expect(findOne).not.toHaveBeenCalled();
  });

  it('issues a certificate for an approved advanced signatory', async () => {
    const signedAt = new Date();
    const { em, findOne } = entityManagerReturning(Object.assign(new IdentityApproval(), { identityProviderUid: PROVIDER_UID }));
    const signatory = signatoryOf({});

    const signer = await factory.signerFor(em, signatory, signedAt);

    const chain = await signer.certificateChain();
    expect(chain).toHaveLength(3);
    const [leaf, issuing] = chain.map((der) => new X509Certificate(der));
    expect(leaf.subject).toBe('CN=Zoë Łukasiewicz');
    expect(leaf.subjectAltName).toBe('email:zoe@example.com');
    expect(leaf.checkIssued(issuing)).toBe(true);
    expect(Date.parse(leaf.validFrom)).toBeLessThanOrEqual(signedAt.getTime());
    expect(Date.parse(leaf.validTo)).toBeGreaterThan(signedAt.getTime());
    expect(findOne).toHaveBeenCalledWith(IdentityApproval, { signatoryUid: signatory.uid, identityProviderUid: PROVIDER_UID }, expect.anything());
  });

  it('lets an issued key sign only once', async () => {
    const { em } = entityManagerReturning(Object.assign(new IdentityApproval(), { identityProviderUid: PROVIDER_UID }));
    const signer = await factory.signerFor(em, signatoryOf({}), new Date());
    const digest = createHash('sha256').update('signed attributes').digest();

    const signature = await signer.signDigest(digest);

    const [leaf] = await signer.certificateChain();
    const recovered = publicDecrypt({ key: new X509Certificate(leaf).publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
    expect(recovered.subarray(-32).equals(digest)).toBe(true);
    await expect(signer.signDigest(digest)).rejects.toThrow('already signed');
  });

  it('issues nothing without an approval', async () => {
    const { em } = entityManagerReturning(null);

    await expect(factory.signerFor(em, signatoryOf({}), new Date())).rejects.toThrow('has no identity approval');
  });

  it('issues nothing before identification', async () => {
    const { em } = entityManagerReturning(Object.assign(new IdentityApproval(), { identityProviderUid: PROVIDER_UID }));

    await expect(factory.signerFor(em, signatoryOf({ identifiedAt: null }), new Date())).rejects.toThrow('has no identity approval');
  });
});
