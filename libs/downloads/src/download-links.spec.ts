import { AppConfig } from '@secusign/config';
import { DownloadError, DownloadErrorCode, DownloadLinks } from './download-links';

const TRANSACTION_UID = '5c7955f7-fe96-48c7-bff3-d621f7482b8b';

function links(environment: Record<string, string> = {}): DownloadLinks {
  return new DownloadLinks(AppConfig.fromEnvironment({ NODE_ENV: 'test', PUBLIC_URL: 'https://sign.example', ...environment }));
}

function tokenOf(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}

function errorOf(check: () => unknown): DownloadError {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(DownloadError);

    return error as DownloadError;
  }
  throw new Error('expected a DownloadError');
}

describe(DownloadLinks.name, () => {
  const now = new Date('2024-01-27T08:45:54.000Z');

  describe('linksFor', () => {
    it('gives completed transactions links expiring after 15 minutes', () => {
      const body = links().linksFor({ uid: TRANSACTION_UID, status: 'completed' }, now);

      expect(body?.download_expires_at).toBe('2024-01-27T09:00:54.000000Z');
      expect(body?.signed_document_url).toMatch(/^https:\/\/sign\.example\/api\/v1\/downloads\/[\w-]+\.[\w-]+$/);
      expect(body?.evidence_url).not.toBe(body?.signed_document_url);
    });

    it.each(['created', 'sent', 'cancel'])('gives no links while %s', (status) => {
      expect(links().linksFor({ uid: TRANSACTION_UID, status }, now)).toBeNull();
    });

    it('follows DOWNLOAD_LINK_TTL_MINUTES', () => {
      const body = links({ DOWNLOAD_LINK_TTL_MINUTES: '60' }).linksFor({ uid: TRANSACTION_UID, status: 'completed' }, now);

      expect(body?.download_expires_at).toBe('2024-01-27T09:45:54.000000Z');
    });
  });

  describe('verify', () => {
    it('returns the grant of a valid link', () => {
      const service = links();
      const body = service.linksFor({ uid: TRANSACTION_UID, status: 'completed' }, now)!;

      expect(service.verify(tokenOf(body.evidence_url), now)).toEqual({ transactionUid: TRANSACTION_UID, kind: 'evidence', expiresAt: new Date('2024-01-27T09:00:54.000Z') });
      expect(service.verify(tokenOf(body.signed_document_url), now).kind).toBe('document');
    });

    it('rejects an expired link', () => {
      const service = links();
      const token = tokenOf(service.linksFor({ uid: TRANSACTION_UID, status: 'completed' }, now)!.evidence_url);

      const error = errorOf(() => service.verify(token, new Date('2024-01-27T09:00:54.000Z')));

      expect(error.code).toBe(DownloadErrorCode.LinkExpired);
      expect(error.status).toBe(410);
    });

    it('rejects a payload changed to another transaction or a later expiry', () => {
      const service = links();
      const [payload, signature] = tokenOf(service.linksFor({ uid: TRANSACTION_UID, status: 'completed' }, now)!.evidence_url).split('.');
      const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { t: string; e: number };

      for (const changed of [{ ...decoded, t: '00000000-0000-4000-8000-000000000000' }, { ...decoded, e: decoded.e + 86_400 }]) {
        const forged = `${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${signature}`;
        const error = errorOf(() => service.verify(forged, now));

        expect(error.code).toBe(DownloadErrorCode.LinkInvalid);
        expect(error.status).toBe(404);
      }
    });

    it.each(['', 'abc', 'a.b.c', 'eyJ0IjoieCJ9.', '.c2ln'])('rejects malformed token %p', (token) => {
      expect(errorOf(() => links().verify(token, now)).code).toBe(DownloadErrorCode.LinkInvalid);
    });

    it('rejects a link signed with another master key', () => {
      const other = links({ MASTER_KEY: 'another-master-key-of-at-least-32-characters' });
      const token = tokenOf(other.linksFor({ uid: TRANSACTION_UID, status: 'completed' }, now)!.evidence_url);

      expect(errorOf(() => links().verify(token, now)).code).toBe(DownloadErrorCode.LinkInvalid);
    });
  });
});
