import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@secusign/config';
import { formatTimestamp } from '@secusign/database';
import { DomainError } from '@secusign/errors';

/** Kind of file a download link serves. */
export type DownloadKind = 'document' | 'evidence';

/** Members a completed transaction's body gains. */
export interface DownloadLinksBody {
  signed_document_url: string;
  evidence_url: string;
  download_expires_at: string;
}

export interface DownloadGrant {
  transactionUid: string;
  kind: DownloadKind;
  expiresAt: Date;
}

export enum DownloadErrorCode {
  /** Malformed, or its signature does not match: altered or made up. */
  LinkInvalid = 'download_link_invalid',
  LinkExpired = 'download_link_expired',
}

export class DownloadError extends DomainError {
  readonly status: number;

  constructor(code: DownloadErrorCode, message: string) {
    super(code, message);
    this.status = code === DownloadErrorCode.LinkExpired ? 410 : 404;
  }
}

interface TokenPayload {
  /** Transaction uid. */
  t: string;
  k: DownloadKind;
  /** Expiry, in seconds since the epoch. */
  e: number;
}

const KINDS: readonly DownloadKind[] = ['document', 'evidence'];

/**
 * Signs and checks the credential-free download links of completed transactions. A token is
 * `base64url(JSON payload) "." base64url(HMAC-SHA256)`, keyed by a key derived from the
 * master key (HKDF-SHA256), so links survive restarts and are valid on every instance.
 */
@Injectable()
export class DownloadLinks {
  private readonly key: Buffer;

  constructor(private readonly config: AppConfig) {
    this.key = Buffer.from(hkdfSync('sha256', config.masterKey, 'secusign', 'download links v1', 32));
  }

  /** Links of a completed transaction, or null for any other status. */
  linksFor(transaction: { uid: string; status: string }, now = new Date()): DownloadLinksBody | null {
    if (transaction.status !== 'completed') {
      return null;
    }
    // Whole seconds, so the stated expiry is exactly the one the token carries.
    const expiresAt = new Date(Math.floor((now.getTime() + this.config.downloadLinkTtlMs) / 1000) * 1000);

    return {
      signed_document_url: this.url({ transactionUid: transaction.uid, kind: 'document', expiresAt }),
      evidence_url: this.url({ transactionUid: transaction.uid, kind: 'evidence', expiresAt }),
      download_expires_at: formatTimestamp(expiresAt),
    };
  }

  url(grant: DownloadGrant): string {
    return `${this.config.publicUrl}/api/v1/downloads/${this.sign(grant)}`;
  }

  sign(grant: DownloadGrant): string {
    const payload: TokenPayload = { t: grant.transactionUid, k: grant.kind, e: Math.floor(grant.expiresAt.getTime() / 1000) };
    const encoded = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');

    return `${encoded}.${this.mac(encoded).toString('base64url')}`;
  }

  /** Checks `token` and returns what it grants; throws DownloadError when altered or expired. */
  verify(token: string, now = new Date()): DownloadGrant {
    const [encoded, signature, extra] = token.split('.');
    const invalid = new DownloadError(DownloadErrorCode.LinkInvalid, 'This download link is invalid; request the transaction again for a fresh link.');
    if (!encoded || !signature || extra !== undefined) {
      throw invalid;
    }
    const expected = this.mac(encoded);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw invalid;
    }

    let payload: TokenPayload;
    try {
      payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as TokenPayload;
    } catch {
      throw invalid;
    }
    if (typeof payload.t !== 'string' || !KINDS.includes(payload.k) || !Number.isInteger(payload.e)) {
      throw invalid;
    }
    const expiresAt = new Date(payload.e * 1000);
    if (expiresAt.getTime() <= now.getTime()) {
      throw new DownloadError(DownloadErrorCode.LinkExpired, `This download link expired at ${formatTimestamp(expiresAt)}; request the transaction again for a fresh link.`);
    }

    return { transactionUid: payload.t, kind: payload.k, expiresAt };
  }

  private mac(encoded: string): Buffer {
    return createHmac('sha256', this.key).update(encoded).digest();
  }
}
