/**
 * Source of the secrets that sign a client's webhooks: the current secret first, then the
 * previous one while its rotation overlap lasts. It is an abstract class so that it serves as
 * the Nest injection token.
 */
export abstract class WebhookSecretSource {
  abstract activeSecrets(clientUid: string): Promise<string[]>;
}
