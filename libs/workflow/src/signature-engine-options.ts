import { join } from 'node:path';
import type { AppConfig } from '@secusign/config';
import type { SignatureEngineOptions } from '@secusign/signature';

/**
 * Engine options from the configuration. Outside production the PKI generates its keys
 * once under `STORAGE_DIR/pki`, encrypted with the master key, so the API and every worker
 * that share the storage sign with the same seal.
 * TODO: production needs the root, issuing CA and seal files; no configuration variable names them yet, so the PKI refuses to start there.
 */
export function signatureEngineOptions(config: AppConfig): SignatureEngineOptions {
  return {
    pki: {
      production: config.isProduction,
      directory: join(config.storageDir, 'pki'),
      masterKey: config.masterKey,
    },
  };
}
