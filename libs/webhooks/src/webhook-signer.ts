import { Webhook } from 'standardwebhooks';

/** Headers of the Standard Webhooks specification. */
export interface StandardWebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Signs `body` with every secret in `secrets` (the current one first, then one still in its
 * rotation overlap); receivers accept the request when any space-separated signature matches.
 * Secrets use the Standard Webhooks form `whsec_` + base64.
 */
export function signWebhook(id: string, timestamp: Date, body: string, secrets: string[]): StandardWebhookHeaders {
  if (secrets.length === 0) {
    throw new Error('A webhook needs at least one signing secret');
  }
  const signatures = secrets.map((secret) => new Webhook(secret).sign(id, timestamp, body));

  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}
