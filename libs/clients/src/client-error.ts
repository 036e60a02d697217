import { DomainError } from '@secusign/errors';

export enum ClientErrorCode {
  ClientNotFound = 'client_not_found',
}

const STATUS: Record<ClientErrorCode, number> = {
  [ClientErrorCode.ClientNotFound]: 404,
};

export class ClientError extends DomainError {
  readonly status: number;

  constructor(code: ClientErrorCode, message: string) {
    super(code, message);
    this.status = STATUS[code];
  }

  static notFound(uid: string): ClientError {
    return new ClientError(ClientErrorCode.ClientNotFound, `Client ${uid} was not found.`);
  }
}
