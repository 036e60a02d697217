/**
 * Where the signing secrets of a client's webhooks come from: the current secret first, then
 * the previous one while its rotation overlap lasts. An abstract class so it serves as the
 * Nest injection token.
 */
export abstract class WebhookSecretSource {
  abstract activeSecrets(clientUid: string): Promise<string[]>;
}
