import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppConfig } from '@secusign/config';
import { TransactionSignatories } from '@secusign/transactions';
import { Signatory } from './signatory.entity';
import { toSignatoryBody } from './signatory.presenter';

/** Gives the transactions module the signatories it includes in transaction bodies and counts before sending. */
@Injectable()
export class SignatoryReader extends TransactionSignatories {
  constructor(private readonly config: AppConfig) {
    super();
  }

  async count(em: EntityManager, transactionUid: string): Promise<number> {
    return em.count(Signatory, { transaction: transactionUid, deletedAt: null });
  }

  async bodiesByTransaction(em: EntityManager, transactionUids: string[]): Promise<Map<string, object[]>> {
    const bodies = new Map<string, object[]>(transactionUids.map((uid) => [uid, []]));
    if (transactionUids.length === 0) {
      return bodies;
    }

    const signatories = await em.find(Signatory, { transaction: { $in: transactionUids }, deletedAt: null }, { orderBy: { position: 'asc' }, refresh: true });
    for (const signatory of signatories) {
      bodies.get(signatory.transaction.unwrap().uid)?.push(toSignatoryBody(signatory, this.config.publicUrl));
    }

    return bodies;
  }
}
