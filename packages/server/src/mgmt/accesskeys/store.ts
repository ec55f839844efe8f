import { BlockList, isIP } from 'node:net';
import type { AccessKeysTable } from '../../store/schema.ts';
import { parseJson } from '../../util.ts';

export type AccessKeyRow = AccessKeysTable;
export type KeyTenant = { tenantId: string; roleNames: string[] };

export const keyTenantsOf = (row: AccessKeyRow): KeyTenant[] =>
  parseJson<KeyTenant[]>(row.key_tenants_json, []);
export const roleNamesOf = (row: AccessKeyRow): string[] => parseJson<string[]>(row.role_names_json, []);
export const customClaimsOfKey = (row: AccessKeyRow): Record<string, unknown> =>
  parseJson<Record<string, unknown>>(row.custom_claims_json, {});
export const permittedIpsOf = (row: AccessKeyRow): string[] =>
  parseJson<string[]>(row.permitted_ips_json, []);

/** An IP address or a CIDR block (`10.0.0.0/8`, `2001:db8::/32`); undefined when it is neither. */
function parseIpOrCidr(
  entry: string,
): { address: string; prefix: number; type: 'ipv4' | 'ipv6' } | undefined {
  const [address = '', prefixText, ...rest] = entry.trim().split('/');
  if (rest.length > 0) return undefined;
  const version = isIP(address);
  if (version === 0) return undefined;
  const max = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return undefined;
  return { address, prefix, type: version === 4 ? 'ipv4' : 'ipv6' };
}

export const invalidIpEntries = (entries: string[]): string[] =>
  entries.filter((e) => parseIpOrCidr(e) === undefined);

/** True when `ip` is inside one of the permitted addresses or blocks (an empty list permits every address). */
export function ipPermitted(permitted: string[], ip: string): boolean {
  if (permitted.length === 0) return true;
  const list = new BlockList();
  for (const entry of permitted) {
    const parsed = parseIpOrCidr(entry);
    if (parsed) list.addSubnet(parsed.address, parsed.prefix, parsed.type);
  }
  const candidates = [ip];
  // A dual-stack socket reports IPv4 clients as `::ffff:a.b.c.d`.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) candidates.push(mapped[1]!);
  return candidates.some((c) => {
    const version = isIP(c);
    return version !== 0 && list.check(c, version === 4 ? 'ipv4' : 'ipv6');
  });
}
