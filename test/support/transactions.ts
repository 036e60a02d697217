import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEvent, AuditTrail, DomainEvent, GENESIS_HASH, hashAuditEvent } from '@secusign/evidence';
import type { TestClient } from './clients';
import { request, TestResponse } from './http';
import type { TestApp } from './test-app';

/** The shared PDF corpus, which sits beside the repository. */
export const CORPUS_DIR = resolve(__dirname, '..', '..', '..', 'shared', 'corpus');

/** Returns a valid signatory body with `overrides` applied. */
export function signatoryInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    firstname: 'John',
    lastname: 'Doo',
    email: 'john.doo@example.com',
    phone: '+33651836133',
    language: 'fr',
    authentication: 'sms',
    ...overrides,
  };
}

/** Client-scoped shortcuts to the transaction and signatory routes of one app. */
export class TransactionsApi {
  constructor(
    readonly testApp: TestApp,
    readonly client: TestClient,
  ) {}

  call<T = any>(method: string, path: string, options: { json?: unknown; headers?: Record<string, string>; body?: BodyInit } = {}): Promise<TestResponse<T>> {
    return request<T>(this.testApp.baseUrl, method, `/api/v1${path}`, { authorization: this.client.authorization, ...options });
  }

  /** Creates a transaction and returns its body; fails the test on anything but 201. */
  async create(body: Record<string, unknown> = {}): Promise<any> {
    return expectStatus(await this.call('POST', '/transactions', { json: body }), 201);
  }

  async addSignatory(transactionUid: string, overrides: Record<string, unknown> = {}): Promise<any> {
    return expectStatus(await this.call('POST', `/transactions/${transactionUid}/signatories`, { json: signatoryInput(overrides) }), 201);
  }

  /** Uploads a corpus PDF as the transaction's document. */
  async uploadDocument(transactionUid: string, file = 'plain-pdf14-openoffice.pdf'): Promise<any> {
    const response = await this.call('PUT', `/transactions/${transactionUid}/document`, {
      headers: { 'content-type': 'application/pdf' },
      body: readFileSync(resolve(CORPUS_DIR, file)),
    });

    return expectStatus(response, 200);
  }

  /** Creates a transaction with a document and `signatories` signatories, ready to send. */
  async createReady(signatories = 1): Promise<any> {
    const transaction = await this.create({ name: 'Ready to send' });
    await this.uploadDocument(transaction.uid);
    for (let index = 0; index < signatories; index += 1) {
      await this.addSignatory(transaction.uid, { email: `signer${index}@example.com` });
    }

    return transaction;
  }

  patch(transactionUid: string, body: Record<string, unknown>): Promise<TestResponse> {
    return this.call('PATCH', `/transactions/${transactionUid}`, { json: body });
  }
}

/** Returns the body when the status matches, else throws with the whole response for the test output. */
export function expectStatus<T>(response: TestResponse<T>, status: number): T {
  if (response.status !== status) {
    throw new Error(`expected HTTP ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  }

  return response.body;
}

/** Forks an entity manager on the app's database, for checks the API does not expose. */
export function databaseOf(testApp: TestApp): EntityManager {
  return testApp.app.get(MikroORM).em.fork() as EntityManager;
}

export async function auditEventsOf(testApp: TestApp, transactionUid: string): Promise<AuditEvent[]> {
  return testApp.app.get(AuditTrail).list(databaseOf(testApp), transactionUid);
}

export async function domainEventsOf(testApp: TestApp, transactionUid: string): Promise<DomainEvent[]> {
  return databaseOf(testApp).find(DomainEvent, { transactionUid }, { orderBy: { sequence: 'asc' } });
}

/** Returns the first problem in the audit trail's hash chain, or null when every link holds. */
export function hashChainProblem(events: AuditEvent[]): string | null {
  let previous = GENESIS_HASH;
  for (const [index, event] of events.entries()) {
    if (event.sequence !== index + 1) {
      return `event ${index} has sequence ${event.sequence}`;
    }
    if (event.previousHash !== previous) {
      return `event ${event.sequence} does not chain to the one before it`;
    }
    if (hashAuditEvent(event) !== event.hash) {
      return `event ${event.sequence} has a hash that does not match its content`;
    }
    previous = event.hash;
  }

  return null;
}
