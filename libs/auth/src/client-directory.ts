import type { Client } from '@secusign/clients';

/**
 * Injection token of the client lookup that the `client-basic` strategy uses. The clients module
 * provides it, so this library does not load the clients library at run time.
 */
export const CLIENT_DIRECTORY = Symbol('ClientDirectory');

export interface ClientDirectory {
  findByClientId(clientId: string): Promise<Client | null>;
}
