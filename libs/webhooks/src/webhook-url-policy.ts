import { BlockList, isIP, isIPv4 } from 'node:net';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@secusign/config';
import { WebhookErrorCode, WebhookUrlError } from './webhook.errors';
import { ResolvedAddress, WebhookResolver } from './webhook-resolver';

/**
 * Ranges a webhook may not reach: everything that is not a public unicast address.
 * Sources: the IANA IPv4 and IPv6 special-purpose address registries.
 */
const BLOCKED_IPV4: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared (CGNAT)'],
  ['127.0.0.0', 8, 'loopback'],
  // 169.254.169.254 is the metadata service of most clouds.
  ['169.254.0.0', 16, 'link-local or cloud metadata'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay anycast'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved or broadcast'],
];

const BLOCKED_IPV6: Array<[string, number, string]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['100::', 64, 'discard-only'],
  // Local-use NAT64 (RFC 8215) translates to addresses chosen by the local network.
  ['64:ff9b:1::', 48, 'local-use NAT64'],
  ['2001:db8::', 32, 'documentation'],
  // Unique-local; AWS serves instance metadata at fd00:ec2::254.
  ['fc00::', 7, 'unique-local or cloud metadata'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

/**
 * IPv6 prefixes that embed an IPv4 address in their last 32 bits (IPv4-mapped, NAT64
 * well-known prefix, IPv4-compatible); the IPv4 address is checked instead.
 */
const IPV4_EMBEDDING_PREFIXES = ['::ffff:0:0/96', '64:ff9b::/96', '::/96'];
/** 6to4 (RFC 3056): the IPv4 address of the site follows the 2002::/16 prefix. */
const SIX_TO_FOUR_PREFIX = '2002::/16';
/** Teredo (RFC 4380): the server's IPv4 address follows the prefix; the client's is the last 32 bits, inverted. */
const TEREDO_PREFIX = '2001::/32';

/**
 * Decides which webhook URLs may be saved and called. A URL must be absolute http(s) and its
 * host must resolve only to public addresses, unless `WEBHOOK_ALLOW_PRIVATE=true`. Callers
 * check when a URL is saved; the delivery agent checks again at connection time, because the
 * DNS answer can change in between (DNS rebinding).
 */
@Injectable()
export class WebhookUrlPolicy {
  private readonly blocked = new Map<string, BlockList>();

  constructor(
    private readonly config: AppConfig,
    private readonly resolver: WebhookResolver,
  ) {
    for (const [network, prefix, reason] of [...BLOCKED_IPV4, ...BLOCKED_IPV6]) {
      const list = this.blocked.get(reason) ?? new BlockList();
      list.addSubnet(network, prefix, isIPv4(network) ? 'ipv4' : 'ipv6');
      this.blocked.set(reason, list);
    }
  }

  /** Whether addresses outside the public internet are allowed (development and tests). */
  get allowsPrivateAddresses(): boolean {
    return this.config.webhookAllowPrivate;
  }

  /**
   * Checks a webhook URL before it is saved; returns the parsed URL. Throws WebhookUrlError:
   * 400 for a malformed URL, 422 for a host that is or resolves to a blocked address.
   * A host that does not resolve yet is accepted, because the delivery checks again.
   * Names under the reserved `example`, `test` and `invalid` top-level domains (RFC 6761)
   * are not looked up, and `localhost` names count as loopback.
   */
  async assertAllowed(url: string): Promise<URL> {
    const parsed = this.parse(url);
    const hostname = hostnameOf(parsed);

    if (isLocalhostName(hostname)) {
      this.assertAddressAllowed('127.0.0.1', hostname);

      return parsed;
    }
    if (isIP(hostname) === 0 && isReservedName(hostname)) {
      return parsed;
    }
    try {
      await this.resolveAllowed(hostname);
    } catch (error) {
      if (!(error instanceof WebhookUrlError) || error.code !== WebhookErrorCode.UrlUnresolvable) {
        throw error;
      }
    }

    return parsed;
  }

  /** Checks `url` right before a delivery: like `assertAllowed`, but the host must resolve. */
  async assertReachable(url: string): Promise<URL> {
    const parsed = this.parse(url);
    await this.resolveAllowed(hostnameOf(parsed));

    return parsed;
  }

  /** Checks the form of `url` alone: absolute, http or https, with a host. */
  parse(url: string): URL {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new WebhookUrlError(WebhookErrorCode.UrlInvalid, `Webhook URL "${url}" is not an absolute URL.`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new WebhookUrlError(WebhookErrorCode.UrlInvalid, `Webhook URL scheme "${parsed.protocol.replace(/:$/, '')}" is not supported; use http or https.`);
    }
    if (hostnameOf(parsed) === '') {
      throw new WebhookUrlError(WebhookErrorCode.UrlInvalid, `Webhook URL "${url}" has no host.`);
    }

    return parsed;
  }

  /** Resolves `hostname` (or takes an IP literal as is) and throws unless every address is allowed. */
  async resolveAllowed(hostname: string): Promise<ResolvedAddress[]> {
    const family = isIP(hostname);
    if (family !== 0) {
      const literal: ResolvedAddress = { address: hostname, family: family === 6 ? 6 : 4 };
      this.assertAddressAllowed(literal.address, hostname);

      return [literal];
    }

    let addresses: ResolvedAddress[];
    try {
      addresses = await this.resolver.resolve(hostname);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'lookup failed';
      throw new WebhookUrlError(WebhookErrorCode.UrlUnresolvable, `Webhook host "${hostname}" could not be resolved (${code}).`);
    }
    if (addresses.length === 0) {
      throw new WebhookUrlError(WebhookErrorCode.UrlUnresolvable, `Webhook host "${hostname}" resolved to no address.`);
    }
    // Every address must pass: a client could otherwise mix one public and one private record.
    for (const { address } of addresses) {
      this.assertAddressAllowed(address, hostname);
    }

    return addresses;
  }

  /** Returns why `address` is blocked, or null when webhooks may reach it. */
  blockedReason(address: string): string | null {
    if (this.config.webhookAllowPrivate) {
      return null;
    }
    const family = isIP(address);
    if (family === 0) {
      return 'not an IP address';
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    // A tunnel or translation address reaches the IPv4 addresses it embeds, so those decide.
    const embedded = type === 'ipv6' ? embeddedIpv4Addresses(address) : [];
    if (embedded.length > 0) {
      for (const ipv4 of embedded) {
        const reason = this.blockedReason(ipv4);
        if (reason !== null) {
          return reason;
        }
      }

      return null;
    }
    for (const [reason, list] of this.blocked) {
      if (list.check(address, type)) {
        return reason;
      }
    }

    return null;
  }

  private assertAddressAllowed(address: string, hostname: string): void {
    const reason = this.blockedReason(address);
    if (reason !== null) {
      const target = address === hostname ? `address ${address}` : `host "${hostname}" (resolves to ${address})`;
      throw new WebhookUrlError(WebhookErrorCode.UrlNotAllowed, `Webhook URL ${target} is ${withArticle(reason)} address; webhooks must reach a public address.`);
    }
  }
}

/** Prefixes `reason` with "a" or "an": "an unspecified", "a unique-local", "an IETF…". */
function withArticle(reason: string): string {
  return `${/^(?:[aeio]|u(?!ni))/i.test(reason) ? 'an' : 'a'} ${reason}`;
}

function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');

  return name === 'localhost' || name.endsWith('.localhost');
}

/** Special-use names (RFC 6761) that never reach the public DNS. */
function isReservedName(hostname: string): boolean {
  const topLevel = hostname.toLowerCase().replace(/\.$/, '').split('.').pop();

  return topLevel === 'example' || topLevel === 'test' || topLevel === 'invalid';
}

/** Returns the host of a URL without the brackets of an IPv6 literal. */
export function hostnameOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

const embeddingList = subnetList(IPV4_EMBEDDING_PREFIXES);
const sixToFourList = subnetList([SIX_TO_FOUR_PREFIX]);
const teredoList = subnetList([TEREDO_PREFIX]);

function subnetList(prefixes: string[]): BlockList {
  const list = new BlockList();
  for (const prefix of prefixes) {
    const [network, length] = prefix.split('/');
    list.addSubnet(network, Number(length), 'ipv6');
  }

  return list;
}

/**
 * Returns the IPv4 addresses inside an IPv4-mapped, IPv4-compatible, NAT64, 6to4 or Teredo
 * IPv6 address (the Teredo server and client), else an empty list.
 */
function embeddedIpv4Addresses(address: string): string[] {
  if (address === '::' || address === '::1') {
    return [];
  }
  const words = expandIpv6(address);
  if (embeddingList.check(address, 'ipv6')) {
    return [ipv4FromWords(words[6], words[7])];
  }
  if (sixToFourList.check(address, 'ipv6')) {
    return [ipv4FromWords(words[1], words[2])];
  }
  if (teredoList.check(address, 'ipv6')) {
    return [ipv4FromWords(words[2], words[3]), ipv4FromWords(~words[6] & 0xffff, ~words[7] & 0xffff)];
  }

  return [];
}

function ipv4FromWords(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** Splits an IPv6 address into its eight 16-bit words, converting a dotted IPv4 tail. */
function expandIpv6(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = text.slice(0, -dotted[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const headWords = head ? head.split(':') : [];
  const tailWords = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const missing = 8 - headWords.length - tailWords.length;
  const words = [...headWords, ...Array<string>(tail !== undefined ? missing : 0).fill('0'), ...tailWords];

  return words.map((word) => parseInt(word, 16));
}
