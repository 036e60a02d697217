import { existsSync } from 'node:fs';
import { config as loadDotenv } from 'dotenv';

/** Loads `.env` from the working directory when present; variables already set win. */
export function loadEnvFile(path = '.env'): void {
  if (existsSync(path)) {
    loadDotenv({ path, override: false });
  }
}
