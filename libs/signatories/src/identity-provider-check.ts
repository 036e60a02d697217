import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Checks the identity provider a signatory names. The identity-providers module implements
 * it; the abstract class lets this module depend on it without an import cycle.
 */
export abstract class IdentityProviderCheck {
  /** Throws a 422 domain error unless `uid` names an active identity provider. */
  abstract assertAssignable(em: EntityManager, uid: string): Promise<void>;
}
