import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { CommonError } from '@secusign/errors';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Tenancy check of the webhook and evidence routes: a transaction of another client, a deleted
 * one and an unknown uid all give the same 404, so uids cannot be probed.
 */
@Injectable()
export class TransactionOwnership {
  constructor(private readonly orm: MikroORM) {}

  async assertOwned(clientUid: string, transactionUid: string): Promise<void> {
    const rows = UUID_PATTERN.test(transactionUid)
      ? await this.orm.em.fork().execute('select 1 from transactions where uid = ? and client_uid = ? and deleted_at is null', [transactionUid, clientUid])
      : [];
    if (rows.length === 0) {
      throw CommonError.notFound('Transaction', transactionUid);
    }
  }
}
