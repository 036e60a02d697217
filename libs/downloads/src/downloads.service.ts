import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { CommonError } from '@secusign/errors';
import { EvidenceExporter } from '@secusign/evidence-export';
import { DocumentStorage } from '@secusign/storage';
import { DownloadLinks } from './download-links';

export interface Download {
  contentType: string;
  filename: string;
  body: Readable | Buffer;
}

/** Serves what a valid download link grants: the signed PDF or the JSON evidence file. */
@Injectable()
export class DownloadsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly links: DownloadLinks,
    private readonly storage: DocumentStorage,
    private readonly evidence: EvidenceExporter,
  ) {}

  async open(token: string): Promise<Download> {
    const grant = this.links.verify(token);
    const em = this.orm.em.fork();
    const [transaction] = await em.execute<{ document_filename: string | null; document_storage_key: string | null }[]>(
      "select document_filename, document_storage_key from transactions where uid = ? and status = 'completed' and deleted_at is null",
      [grant.transactionUid],
    );
    if (!transaction) {
      throw CommonError.notFound('Transaction', grant.transactionUid);
    }

    if (grant.kind === 'evidence') {
      const file = await this.evidence.exportUnscoped(grant.transactionUid, 'json');

      return { contentType: file.contentType, filename: file.filename, body: file.body };
    }

    // The latest revision is the one every signature was applied to; without revisions the
    // stored upload is the document.
    const [revision] = await em.execute<{ storage_key: string }[]>(
      'select storage_key from document_revisions where transaction_uid = ? order by sequence desc limit 1',
      [grant.transactionUid],
    );
    const key = revision?.storage_key ?? transaction.document_storage_key;
    if (!key) {
      throw CommonError.notFound('Document of transaction', grant.transactionUid);
    }
    const filename = (transaction.document_filename ?? 'document.pdf').replace(/(\.pdf)?$/i, '-signed.pdf');

    return { contentType: 'application/pdf', filename, body: await this.storage.read(key) };
  }
}
