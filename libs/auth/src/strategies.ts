import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { BasicStrategy } from 'passport-http';
import { AppConfig } from '@secusign/config';
import type { Client } from '@secusign/clients';
import { parseBasicAuthorization } from './basic-credentials';
import { CLIENT_DIRECTORY, ClientDirectory } from './client-directory';
import { BASIC_CHALLENGE } from './auth-error';
import { constantTimeEqual } from './secrets';
import { SecretVerifier } from './secret-verifier';

export const CLIENT_BASIC_STRATEGY = 'client-basic';
export const ADMIN_BASIC_STRATEGY = 'admin-basic';

/** The user that `admin-basic` puts on the request. */
export interface AdminPrincipal {
  kind: 'admin';
  username: string;
}

/** Callbacks that passport adds to a strategy for the duration of one request. */
interface StrategyCallbacks {
  success(user: unknown): void;
  fail(challenge: string, status: number): void;
  error(error: unknown): void;
}

/**
 * HTTP Basic on top of passport-http, with the header parsed as RFC 7617 defines it:
 * passport-http 0.3.0 drops everything after a second colon of the password.
 */
abstract class RfcBasicStrategy extends BasicStrategy {
  abstract validateCredentials(username: string, password: string): Promise<unknown>;

  override authenticate(request: Request): void {
    const callbacks = this as unknown as StrategyCallbacks;
    const credentials = parseBasicAuthorization(request.headers.authorization);
    if (!credentials) {
      callbacks.fail(BASIC_CHALLENGE, 401);

      return;
    }
    this.validateCredentials(credentials.username, credentials.password).then(
      (user) => (user ? callbacks.success(user) : callbacks.fail(BASIC_CHALLENGE, 401)),
      (error: unknown) => callbacks.error(error),
    );
  }
}

/** `client_id:client_secret`, checked against the scrypt hash; a disabled client is rejected on every request. */
@Injectable()
export class ClientBasicStrategy extends PassportStrategy(RfcBasicStrategy as unknown as typeof BasicStrategy, CLIENT_BASIC_STRATEGY) {
  constructor(
    @Inject(CLIENT_DIRECTORY) private readonly directory: ClientDirectory,
    private readonly verifier: SecretVerifier,
  ) {
    super({ realm: 'SecuSign' });
  }

  /** Returns the client, or null for an unknown client, a wrong secret or a disabled client. */
  async validateCredentials(clientId: string, secret: string): Promise<Client | null> {
    const client = await this.directory.findByClientId(clientId);
    if (!client) {
      await this.verifier.verifyAgainstNothing(secret);

      return null;
    }
    const valid = await this.verifier.verify(client.clientId, secret, client.secretHash);

    return valid && client.disabledAt === null ? client : null;
  }

  validate(): never {
    throw new Error('ClientBasicStrategy authenticates through validateCredentials.');
  }
}

/** `ADMIN_USERNAME:ADMIN_PASSWORD` from the configuration, both compared in constant time. */
@Injectable()
export class AdminBasicStrategy extends PassportStrategy(RfcBasicStrategy as unknown as typeof BasicStrategy, ADMIN_BASIC_STRATEGY) {
  constructor(private readonly config: AppConfig) {
    super({ realm: 'SecuSign' });
  }

  async validateCredentials(username: string, password: string): Promise<AdminPrincipal | null> {
    // Both comparisons always run, so the time does not reveal which part was wrong.
    const usernameMatches = constantTimeEqual(username, this.config.admin.username);
    const passwordMatches = constantTimeEqual(password, this.config.admin.password);

    return usernameMatches && passwordMatches ? { kind: 'admin', username } : null;
  }

  validate(): never {
    throw new Error('AdminBasicStrategy authenticates through validateCredentials.');
  }
}
