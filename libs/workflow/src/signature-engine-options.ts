import { join } from 'node:path';
import type { AppConfig } from '@secusign/config';
import type { SignatureEngineOptions } from '@secusign/signature';

/**
 * Engine options from the configuration. Outside production the PKI generates its keys
 * once under `STORAGE_DIR/pki`, encrypted with the master key, so the API and every worker
 * that share the storage sign with the same seal. Production loads the PEM files named by
 * the PKI_* variables, which the configuration requires there.
 */
export function signatureEngineOptions(config: AppConfig): SignatureEngineOptions {
  return {
    pki: {
      production: config.isProduction,
      directory: join(config.storageDir, 'pki'),
      masterKey: config.masterKey,
      files: config.pki.files ?? undefined,
      organizationName: config.pki.organizationName,
      crlUrl: `${config.publicUrl}/api/v1/pki/crl`,
    },
    qpdfPath: config.qpdfPath,
  };
}
