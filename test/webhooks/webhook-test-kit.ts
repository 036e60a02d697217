import { randomUUID } from 'node:crypto';
import { lookup as systemLookup, LookupAddress, LookupOptions } from 'node:dns';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, isIP } from 'node:net';
import { Client as PgClient } from 'pg';
import { WebhookNetwork, WebhookResolver } from '@secusign/webhooks';
import type { TestApp } from '../support/test-app';

/** One request the receiver got. */
export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  json: { id: string; type: string; created_at: string; sequence: number; data: { transaction: Record<string, unknown> } };
  /** The reply the receiver gave: a status code, or `hang` for no reply. */
  reply: number | 'hang';
}

export type ReplyPlan = (request: { id: string; sequence: number; nth: number }) => number | 'hang';

/**
 * Loopback HTTP server standing for a client's webhook endpoint. `plan` picks the reply of each
 * request from the event id, its sequence and how many times that event came (1-based).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private server: Server | null = null;
  private readonly hanging = new Set<ServerResponse>();
  port = 0;

  constructor(public plan: ReplyPlan = () => 204) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/secusign`;
  }

  async start(port = 0): Promise<void> {
    this.server = createServer((request, response) => this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) {
      response.destroy();
    }
    this.hanging.clear();
    const server = this.server;
    this.server = null;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** Requests of event `id`, in arrival order. */
  requestsFor(id: string): ReceivedWebhook[] {
    return this.received.filter((item) => item.json.id === id);
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const json = JSON.parse(body) as ReceivedWebhook['json'];
      const nth = this.requestsFor(json.id).length + 1;
      const reply = this.plan({ id: json.id, sequence: json.sequence, nth });
      this.received.push({ headers: request.headers as Record<string, string>, body, json, reply });
      if (reply === 'hang') {
        this.hanging.add(response);

        return;
      }
      response.writeHead(reply, reply >= 300 && reply < 400 ? { location: 'http://169.254.169.254/latest/meta-data/' } : {});
      response.end();
    });
  }
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address === '::ffff:127.0.0.1';
}

/**
 * Makes every webhook connection of `testApp` fail the test unless it goes to loopback, and
 * answers DNS from `hosts` so no query leaves the machine. Returns the list of rejected
 * destinations, which each test expects to stay empty.
 */
export function confineWebhooksToLoopback(testApp: TestApp, hosts: Record<string, string[] | (() => string[])>): string[] {
  const violations: string[] = [];
  const resolver = testApp.app.get(WebhookResolver);
  jest.spyOn(resolver, 'resolve').mockImplementation(async (hostname: string) => {
    const entry = hosts[hostname];
    if (!entry) {
      throw Object.assign(new Error(`test resolver has no entry for ${hostname}`), { code: 'ENOTFOUND' });
    }
    const addresses = typeof entry === 'function' ? entry() : entry;

    return addresses.map((address) => ({ address, family: isIP(address) === 6 ? 6 : 4 }));
  });

  const network = testApp.app.get(WebhookNetwork);
  const createAgent = network.createAgent.bind(network);
  jest.spyOn(network, 'createAgent').mockImplementation((protocol) => {
    const agent = createAgent(protocol);
    const connectable = agent as unknown as { createConnection(options: Record<string, unknown>, callback?: unknown): unknown };
    const createConnection = connectable.createConnection.bind(agent);
    connectable.createConnection = (options, callback) => {
      const host = String(options.host ?? 'localhost');
      if (isIP(host) !== 0) {
        if (!isLoopback(host)) {
          violations.push(host);
          throw new Error(`test agent rejected a connection to ${host}`);
        }

        return createConnection(options, callback);
      }
      type Lookup = (hostname: string, lookupOptions: LookupOptions, done: (error: Error | null, address: string | LookupAddress[], family?: number) => void) => void;
      const lookup = (options.lookup as Lookup | undefined) ?? (systemLookup as unknown as Lookup);
      const guardedLookup: Lookup = (hostname, lookupOptions, done) =>
        lookup(hostname, lookupOptions, (error, address, family) => {
          if (error) {
            done(error, address, family);

            return;
          }
          const addresses = Array.isArray(address) ? address.map((item) => item.address) : [address];
          const outside = addresses.filter((item) => !isLoopback(item));
          if (outside.length > 0) {
            violations.push(...outside);
            done(new Error(`test agent rejected a connection to ${outside.join(', ')}`), '', 4);

            return;
          }
          done(null, address, family);
        });

      return createConnection({ ...options, lookup: guardedLookup }, callback);
    };

    return agent;
  });

  return violations;
}

/** Direct database access for the rows whose API belongs to other modules. */
export class WebhookFixtures {
  private readonly db = new PgClient({ connectionString: process.env.DATABASE_URL });

  async connect(): Promise<void> {
    await this.db.connect();
  }

  async close(): Promise<void> {
    await this.db.end();
  }

  async createTransaction(clientUid: string, webhookUrl: string | null, status = 'sent'): Promise<string> {
    const uid = randomUUID();
    await this.db.query(
      `insert into transactions (uid, client_uid, status, name, webhook_url, created_at, updated_at, sent_at)
       values ($1, $2, $3, 'Webhook test', $4, now(), now(), now())`,
      [uid, clientUid, status, webhookUrl],
    );

    return uid;
  }

  /** Inserts a committed domain event, as the transactions module does after a change. */
  async recordEvent(clientUid: string, transactionUid: string, type: string): Promise<{ uid: string; sequence: number }> {
    const uid = randomUUID();
    const { rows } = await this.db.query<{ sequence: number }>(
      `insert into domain_events (uid, client_uid, transaction_uid, sequence, type, payload, created_at)
       values ($1, $2, $3, (select coalesce(max(sequence), 0) + 1 from domain_events where transaction_uid = $3), $4, $5, now())
       returning sequence`,
      [uid, clientUid, transactionUid, type, JSON.stringify({ transaction: { uid: transactionUid, status: type === 'transaction.cancelled' ? 'cancel' : 'sent' } })],
    );

    return { uid, sequence: rows[0].sequence };
  }

  async messageStatus(eventUid: string): Promise<string | null> {
    const { rows } = await this.db.query<{ status: string }>('select status from webhook_messages where event_uid = $1', [eventUid]);

    return rows[0]?.status ?? null;
  }

  async relayedAt(eventUid: string): Promise<Date | null> {
    const { rows } = await this.db.query<{ relayed_at: Date | null }>('select relayed_at from domain_events where uid = $1', [eventUid]);

    return rows[0]?.relayed_at ?? null;
  }
}

/** Polls `condition` until it returns true; fails with `description` after `timeoutMs`. */
export async function waitFor(description: string, condition: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${description}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
