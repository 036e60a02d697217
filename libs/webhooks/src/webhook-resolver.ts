import { lookup } from 'node:dns/promises';
import { Injectable } from '@nestjs/common';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Resolves webhook host names. A provider of its own so tests can answer with fixed addresses
 * and never query real DNS.
 */
@Injectable()
export class WebhookResolver {
  async resolve(hostname: string): Promise<ResolvedAddress[]> {
    const addresses = await lookup(hostname, { all: true, verbatim: true });

    return addresses.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
  }
}
