import { X509Certificate } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { GENESIS_HASH, hashAuditEvent } from '../audit-trail.service';
import type { AuditEvent } from '../audit-event.entity';
import { EVIDENCE_FORMAT, EvidenceEvent, SealedEvidence } from './evidence-content';
import { checkSeal } from './evidence-seal';

export interface EvidenceVerification {
  valid: boolean;
  /** One sentence per problem, naming the event or member concerned. */
  problems: string[];
  eventCount: number;
  finalHash: string | null;
  /** RFC 7638 thumbprint of the key that sealed the file. */
  sealKeyThumbprint: string | null;
}

/**
 * Checks an evidence file: every event's hash, the links between events, the chain summary,
 * and the seal with the key embedded in the file. With `trustedKey`, the embedded key must
 * also be that key, so a file re-sealed by someone else's key is rejected.
 */
export async function verifyEvidence(evidence: SealedEvidence, trustedKey?: JWK): Promise<EvidenceVerification> {
  const problems: string[] = [];

  if (evidence.format !== EVIDENCE_FORMAT) {
    problems.push(`format is "${String(evidence.format)}", expected "${EVIDENCE_FORMAT}"`);
  }
  const events = Array.isArray(evidence.events) ? evidence.events : [];
  problems.push(...checkChain(evidence, events));

  let thumbprint: string | null = null;
  if (!evidence.seal || typeof evidence.seal.signature !== 'string' || typeof evidence.seal.jwk !== 'object') {
    problems.push('seal is missing or incomplete');
  } else {
    thumbprint = await calculateJwkThumbprint(evidence.seal.jwk).catch(() => null);
    const sealProblem = await checkSeal(evidence, evidence.seal, evidence.seal.jwk);
    if (sealProblem) {
      problems.push(sealProblem);
    }
    const certificateProblem = await checkCertificateKey(evidence.seal.jwk, thumbprint);
    if (certificateProblem) {
      problems.push(certificateProblem);
    }
    if (trustedKey) {
      const trusted = await calculateJwkThumbprint(trustedKey);
      if (thumbprint !== trusted) {
        problems.push(`seal key ${thumbprint ?? '(invalid)'} is not the trusted platform key ${trusted}`);
      }
    }
  }

  const last = events[events.length - 1];

  return { valid: problems.length === 0, problems, eventCount: events.length, finalHash: last?.hash ?? null, sealKeyThumbprint: thumbprint };
}

/** When the seal key carries its certificate chain (`x5c`), the first certificate must hold that key. */
async function checkCertificateKey(jwk: JWK, thumbprint: string | null): Promise<string | null> {
  if (!Array.isArray(jwk.x5c) || jwk.x5c.length === 0) {
    return null;
  }
  try {
    const certificate = new X509Certificate(Buffer.from(jwk.x5c[0], 'base64'));
    const certificateThumbprint = await calculateJwkThumbprint(certificate.publicKey.export({ format: 'jwk' }) as JWK);

    return certificateThumbprint === thumbprint ? null : `seal certificate (${certificate.subject.replace(/\n/g, ', ')}) does not hold the seal key`;
  } catch (error) {
    return `seal certificate in x5c cannot be read: ${(error as Error).message}`;
  }
}

function checkChain(evidence: SealedEvidence, events: EvidenceEvent[]): string[] {
  const problems: string[] = [];
  let previousHash = GENESIS_HASH;

  events.forEach((event, index) => {
    const label = `event ${index + 1} (sequence ${event.sequence}, ${event.type})`;
    if (event.sequence !== index + 1) {
      problems.push(`${label}: sequence is ${event.sequence}, expected ${index + 1}; an event is missing or out of order`);
    }
    if (event.transaction_uid !== evidence.transaction?.uid) {
      problems.push(`${label}: transaction_uid ${event.transaction_uid} is not the transaction ${evidence.transaction?.uid}`);
    }
    if (event.previous_hash !== previousHash) {
      problems.push(`${label}: previous_hash ${event.previous_hash} does not match the hash of the event before it (${previousHash})`);
    }
    const computed = computeEventHash(event);
    if (computed !== event.hash) {
      problems.push(`${label}: hash mismatch, recorded ${event.hash} but its content hashes to ${computed}; the event was altered`);
    }
    previousHash = event.hash;
  });

  const chain = evidence.chain;
  if (!chain) {
    problems.push('chain summary is missing');

    return problems;
  }
  if (chain.genesis_hash !== GENESIS_HASH) {
    problems.push(`chain.genesis_hash is ${chain.genesis_hash}, expected ${GENESIS_HASH}`);
  }
  if (chain.event_count !== events.length) {
    problems.push(`chain.event_count is ${chain.event_count} but the file lists ${events.length} events`);
  }
  if (chain.final_hash !== previousHash) {
    problems.push(`chain.final_hash ${chain.final_hash} is not the hash of the last event (${previousHash})`);
  }

  return problems;
}

/** Recomputes an event's hash exactly as the audit trail did when it was recorded. */
export function computeEventHash(event: EvidenceEvent): string {
  const entity: Omit<AuditEvent, 'id' | 'hash'> = {
    transactionUid: event.transaction_uid,
    sequence: event.sequence,
    type: event.type,
    actorType: event.actor_type as AuditEvent['actorType'],
    actorId: event.actor_id,
    ip: event.ip,
    userAgent: event.user_agent,
    data: event.data,
    createdAt: new Date(event.created_at),
    previousHash: event.previous_hash,
  };

  return hashAuditEvent(entity);
}
