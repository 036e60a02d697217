import type { Request } from 'express';
import type { TransactionBody } from './transaction.presenter';
import type { ClientCaller } from './transactions.service';

/**
 * Creates a transaction from a `multipart/form-data` body (the `name` and `webhook_url` fields and
 * an optional `file`), for `POST /transactions`. The document upload code provides it; it is also
 * the dependency-injection token.
 */
export abstract class MultipartTransactionCreator {
  abstract createFromMultipart(caller: ClientCaller, request: Request): Promise<TransactionBody>;
}
