/*
 * Protected mode as Redis 7.0 decides it at accept time (networking.c's clientAcceptHandler): a
 * connection is refused when `protected-mode` is yes AND the default user is `nopass`, unless it
 * is local (a Unix socket, or a peer address 127.x.x.x or ::1). Nothing else counts: not the bind
 * addresses (Redis 7 dropped that clause), not requirepass as such — `ACL SETUSER default >pw`
 * lifts it as `requirepass pw` does, and `requirepass ""` (nopass again) brings it back.
 */
import type { AclStore } from './acl-store.js';

/** 127.0.0.0/8 and ::1, also written as IPv4-mapped IPv6 (`::ffff:127.0.0.1`). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || a.startsWith('127.');
}

/** Whether a new TCP/TLS connection from `address` is refused with Redis's DENIED error. */
export function protectedModeDenies(protectedMode: boolean, acl: AclStore, address: string | undefined): boolean {
  return protectedMode && acl.defaultUser.nopass && !isLoopback(address);
}
