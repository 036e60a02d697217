import { storage } from 'nestjs-pino/storage';

/** Ids that identify what a log line is about; every field is optional. */
export interface LogContext {
  client_uid?: string;
  transaction_uid?: string;
  signatory_uid?: string;
  identity_provider_uid?: string;
  job_id?: string;
  [field: string]: string | number | undefined;
}

/**
 * Adds `fields` to every later log line of the current request, the access log line included
 * (nestjs-pino's `assignResponse`). Outside a request, such as in a queue processor, it does
 * nothing: processors pass their ids with each line.
 */
export function assignLogContext(fields: LogContext): void {
  const store = storage.getStore();
  if (!store) {
    return;
  }
  const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  store.logger = store.logger.child(defined);
  store.responseLogger?.setBindings(defined);
}
