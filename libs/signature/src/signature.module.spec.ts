import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { PkiService } from './pki/pki.service';
import { SignatureEngineService } from './signature-engine.service';
import { SignatureModule } from './signature.module';

describe('SignatureModule', () => {
  let folder: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'secusign-module-spec-'));
  });

  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('provides the engine and PKI', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [SignatureModule.forRoot({ pki: { production: false, directory: folder, masterKey: 'module-spec-master-key' } })],
    }).compile();

    expect(moduleRef.get(SignatureEngineService)).toBeInstanceOf(SignatureEngineService);
    const pki = moduleRef.get(PkiService);
    expect(await pki.sealSigner().certificateChain()).toHaveLength(3);
  });

  it('fails to start in production without files', async () => {
    await expect(
      Test.createTestingModule({ imports: [SignatureModule.forRoot({ pki: { production: true } })] }).compile(),
    ).rejects.toThrow(/Production PKI files missing/);
  });
});
