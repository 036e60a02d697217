import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { Injectable } from '@nestjs/common';
import { WebhookUrlPolicy } from './webhook-url-policy';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Builds the HTTP agents that webhook requests go through. Their `lookup` resolves with the
 * policy at connection time, so a host that resolved to a public address when the URL was
 * saved and now resolves to a private one (DNS rebinding) is rejected before any connection.
 */
@Injectable()
export class WebhookNetwork {
  constructor(private readonly policy: WebhookUrlPolicy) {}

  /** Creates an agent without keep-alive, so every request resolves and checks its host again. */
  createAgent(protocol: 'http:' | 'https:'): HttpAgent {
    const options = { keepAlive: false, lookup: this.lookup };

    return protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
  }

  /** `net.connect` lookup that only returns addresses the policy allows. */
  readonly lookup = (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    this.policy.resolveAllowed(hostname).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((item) => item.family === options.family) : addresses;
        if (wanted.length === 0) {
          const error: NodeJS.ErrnoException = new Error(`Webhook host "${hostname}" has no IPv${options.family} address.`);
          error.code = 'ENOTFOUND';
          callback(error, '');

          return;
        }
        if (options.all) {
          callback(null, wanted);
        } else {
          callback(null, wanted[0].address, wanted[0].family);
        }
      },
      (error: Error) => {
        const blocked: NodeJS.ErrnoException = new Error(error.message);
        blocked.code = 'EWEBHOOKBLOCKED';
        callback(blocked, '');
      },
    );
  };
}
