/*
 * GEO commands, after Redis 7.0's geo.c: positions are sorted set members whose scores are
 * 52-bit geohashes (engine/geohash.ts). GEOADD is ZADD with encoded scores; searches scan the
 * covering cells' score ranges and filter by distance.
 */
import { WRONGTYPE } from '../engine/keyspace.js';
import { parseInt64 } from '../engine/int64.js';
import { parseStrictDouble } from '../engine/strtod.js';
import {
  cellScoreRange,
  decodeScore,
  distanceIfWithin,
  encodeScore,
  GEO_LAT_MAX,
  GEO_LAT_MIN,
  GEO_LONG_MAX,
  GEO_LONG_MIN,
  geoDistance,
  geohashString,
  searchCells,
  type GeoShape,
} from '../engine/geohash.js';
import { ZSET, type ZSetValue } from '../engine/zset-value.js';
import { Err } from '../resp/errors.js';
import type { Client } from '../core/client.js';
import type { CommandRow } from '../core/command-types.js';
import { storeZset, zaddGeneric } from './zset.js';

/**
 * printf("%.<n>f", d) as glibc prints it: the exact binary value rounded half to even (V8's
 * toFixed rounds ties away from zero and switches to exponents from 1e21).
 */
export function formatFixed(d: number, n: number): string {
  if (!Number.isFinite(d)) return d > 0 ? 'inf' : d < 0 ? '-inf' : 'nan';
  if (Math.abs(d) >= 1e21) return BigInt(d).toString() + (n > 0 ? '.' + '0'.repeat(n) : '');
  const scaled = d * 2 ** (n + 1);
  if (Number.isInteger(scaled) && !Number.isInteger(d * 2 ** n)) {
    // a tie: d × 10^(n+1) is an integer ending in 5
    const neg = d < 0;
    const exact = (BigInt(Math.abs(scaled)) * 5n ** BigInt(n + 1)) / 10n;
    const q = exact % 2n === 0n ? exact : exact + 1n;
    const digits = q.toString().padStart(n + 1, '0');
    const text = n > 0 ? digits.slice(0, -n) + '.' + digits.slice(-n) : digits;
    return (neg ? '-' : '') + text;
  }
  return d.toFixed(n);
}

/** A coordinate as Redis replies it (ld2string LD_STR_HUMAN: "%.17Lf", trailing zeros cut). */
function humanCoordinate(d: number): string {
  let s = formatFixed(d, 17);
  if (s.includes('.')) {
    let end = s.length;
    while (s.charCodeAt(end - 1) === 48) end--;
    if (s.charCodeAt(end - 1) === 46) end--;
    s = s.slice(0, end);
  }
  return s === '-0' ? '0' : s;
}

function replyCoordinate(c: Client, d: number): void {
  c.reply.double(d, humanCoordinate(d));
}

/** A distance as Redis replies it: "%.4f", a bulk string in both protocols. */
function replyDistance(c: Client, d: number): void {
  c.reply.bulk(formatFixed(d, 4));
}

/** Parses a longitude,latitude pair at argv[at] (extractLongLatOrReply); an error text on failure. */
function parseLonLat(argv: string[], at: number): [number, number] | string {
  const lon = parseStrictDouble(argv[at]!);
  const lat = parseStrictDouble(argv[at + 1]!);
  if (lon === null || lat === null) return Err.NOT_FLOAT;
  if (lon < GEO_LONG_MIN || lon > GEO_LONG_MAX || lat < GEO_LAT_MIN || lat > GEO_LAT_MAX) {
    return Err.GEO_INVALID_PAIR(formatFixed(lon, 6), formatFixed(lat, 6));
  }
  return [lon, lat];
}

/** Meters per unit, or null (Redis's extractUnitOrReply). */
function parseUnit(s: string): number | null {
  switch (s.toLowerCase()) {
    case 'm':
      return 1;
    case 'km':
      return 1000;
    case 'ft':
      return 0.3048;
    case 'mi':
      return 1609.34;
    default:
      return null;
  }
}

/** Radius and unit at argv[at] (extractDistanceOrReply). */
function parseDistance(argv: string[], at: number): { radius: number; conversion: number } | string {
  const radius = parseStrictDouble(argv[at]!);
  if (radius === null) return Err.GEO_NEED_RADIUS;
  if (radius < 0) return Err.GEO_RADIUS_NEGATIVE;
  const conversion = parseUnit(argv[at + 1]!);
  if (conversion === null) return Err.GEO_UNIT;
  return { radius, conversion };
}

/** The position of a member, or null when it is not in the set. */
function memberPosition(z: ZSetValue, member: string): [number, number] | null {
  const score = z.score(member);
  return score === undefined ? null : decodeScore(score);
}

/* GEOADD key [NX|XX] [CH] longitude latitude member [longitude latitude member ...] */
function geoaddCommand(c: Client, argv: string[]): void {
  let nx = false;
  let xx = false;
  let at = 2;
  for (; at < argv.length; at++) {
    const opt = argv[at]!.toLowerCase();
    if (opt === 'nx') nx = true;
    else if (opt === 'xx') xx = true;
    else if (opt !== 'ch') break;
  }
  if ((argv.length - at) % 3 !== 0 || (xx && nx)) return c.reply.error(Err.SYNTAX);
  const zadd = ['zadd', ...argv.slice(1, at)];
  for (let i = at; i < argv.length; i += 3) {
    const xy = parseLonLat(argv, i);
    if (typeof xy === 'string') return c.reply.error(xy);
    zadd.push(String(encodeScore(xy[0], xy[1])), argv[i + 2]!);
  }
  zaddGeneric(c, zadd, 0);
}

/* GEOPOS key [member ...] */
function geoposCommand(c: Client, argv: string[]): void {
  const z = c.db.readOf(argv[1]!, ZSET, c.now);
  if (z === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const xy = z === undefined ? null : memberPosition(z, argv[i]!);
    if (xy === null) c.reply.nilArray();
    else {
      c.reply.array(2);
      replyCoordinate(c, xy[0]);
      replyCoordinate(c, xy[1]);
    }
  }
}

/* GEODIST key member1 member2 [M|KM|FT|MI] */
function geodistCommand(c: Client, argv: string[]): void {
  let toMeter = 1;
  if (argv.length === 5) {
    const u = parseUnit(argv[4]!);
    if (u === null) return c.reply.error(Err.GEO_UNIT);
    toMeter = u;
  } else if (argv.length > 5) return c.reply.error(Err.SYNTAX);
  const z = c.db.readOf(argv[1]!, ZSET, c.now);
  if (z === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (z === undefined) return c.reply.nil();
  const a = memberPosition(z, argv[2]!);
  const b = memberPosition(z, argv[3]!);
  if (a === null || b === null) return c.reply.nil();
  replyDistance(c, geoDistance(a[0], a[1], b[0], b[1]) / toMeter);
}

/* GEOHASH key [member ...] */
function geohashCommand(c: Client, argv: string[]): void {
  const z = c.db.readOf(argv[1]!, ZSET, c.now);
  if (z === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const score = z?.score(argv[i]!);
    if (score === undefined) c.reply.nil();
    else c.reply.bulk(geohashString(score));
  }
}

/** Which search command runs georadiusGeneric. */
const RADIUS_COORDS = 1;
const RADIUS_MEMBER = 2;
const RADIUS_NOSTORE = 4;
const GEOSEARCH = 8;
const GEOSEARCHSTORE = 16;

interface GeoPoint {
  member: string;
  score: number;
  lon: number;
  lat: number;
  dist: number;
}

/** The members within `shape`, in the order Redis finds them (cell by cell, by score); `limit` 0 for all. */
function pointsWithin(z: ZSetValue, shape: GeoShape, limit: number): GeoPoint[] {
  const found: GeoPoint[] = [];
  const cells = searchCells(shape);
  let last = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (cell === null || cell === undefined) continue;
    const prev = cells[last];
    if (last !== 0 && prev && cell.bits === prev.bits && cell.step === prev.step) continue;
    if (found.length > 0 && limit && found.length >= limit) break;
    const [min, max] = cellScoreRange(cell);
    const [lo, hi] = z.scoreRange({ value: min, ex: false }, { value: max, ex: true });
    const items = z.slice(lo, hi);
    for (const [member, score] of items) {
      const [lon, lat] = decodeScore(score);
      const dist = distanceIfWithin(shape, lon, lat);
      if (dist !== null) found.push({ member, score, lon, lat, dist });
      if (found.length > 0 && limit && found.length >= limit) break;
    }
    last = i;
  }
  return found;
}

/**
 * GEORADIUS, GEORADIUSBYMEMBER, their _RO forms, GEOSEARCH and GEOSEARCHSTORE (Redis's
 * georadiusGeneric): the source key at argv[srcAt].
 */
function georadiusGeneric(c: Client, argv: string[], srcAt: number, flags: number): void {
  const z = c.db.readOf(argv[srcAt]!, ZSET, c.now);
  if (z === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  let storeKey: string | null = null;
  let storeDist = false;
  const shape: GeoShape = { lon: 0, lat: 0, conversion: 1, radius: null, width: 0, height: 0 };
  let baseArgs: number;
  if (flags & RADIUS_COORDS) {
    baseArgs = 6;
    const xy = parseLonLat(argv, 2);
    if (typeof xy === 'string') return c.reply.error(xy);
    [shape.lon, shape.lat] = xy;
    const d = parseDistance(argv, 4);
    if (typeof d === 'string') return c.reply.error(d);
    shape.radius = d.radius;
    shape.conversion = d.conversion;
  } else if (flags & RADIUS_MEMBER) {
    baseArgs = 5;
    if (z !== undefined) {
      const xy = memberPosition(z, argv[2]!);
      if (xy === null) return c.reply.error(Err.GEO_NO_MEMBER);
      [shape.lon, shape.lat] = xy;
      const d = parseDistance(argv, 3);
      if (typeof d === 'string') return c.reply.error(d);
      shape.radius = d.radius;
      shape.conversion = d.conversion;
    }
  } else {
    baseArgs = 2;
    if (flags & GEOSEARCHSTORE) {
      baseArgs = 3;
      storeKey = argv[1]!;
    }
  }
  let withDist = false;
  let withHash = false;
  let withCoords = false;
  let fromMember = false;
  let fromLoc = false;
  let byRadius = false;
  let byBox = false;
  let sort: 'none' | 'asc' | 'desc' = 'none';
  let any = false;
  let count = 0;
  const remaining = argv.length - baseArgs;
  for (let i = 0; i < remaining; i++) {
    const at = baseArgs + i;
    const arg = argv[at]!.toLowerCase();
    if (arg === 'withdist') withDist = true;
    else if (arg === 'withhash') withHash = true;
    else if (arg === 'withcoord') withCoords = true;
    else if (arg === 'any') any = true;
    else if (arg === 'asc') sort = 'asc';
    else if (arg === 'desc') sort = 'desc';
    else if (arg === 'count' && i + 1 < remaining) {
      const n = parseInt64(argv[at + 1]!);
      if (n === null) return c.reply.error(Err.NOT_INTEGER);
      if (n <= 0) return c.reply.error(Err.GEO_COUNT);
      count = Number(n);
      i++;
    } else if ((arg === 'store' || arg === 'storedist') && i + 1 < remaining && !(flags & RADIUS_NOSTORE) && !(flags & GEOSEARCH)) {
      storeKey = argv[at + 1]!;
      storeDist = arg === 'storedist';
      i++;
    } else if (arg === 'storedist' && flags & GEOSEARCH && flags & GEOSEARCHSTORE) {
      storeDist = true;
    } else if (arg === 'frommember' && i + 1 < remaining && flags & GEOSEARCH && !fromLoc) {
      if (z !== undefined) {
        const xy = memberPosition(z, argv[at + 1]!);
        if (xy === null) return c.reply.error(Err.GEO_NO_MEMBER);
        [shape.lon, shape.lat] = xy;
      }
      fromMember = true;
      i++;
    } else if (arg === 'fromlonlat' && i + 2 < remaining && flags & GEOSEARCH && !fromMember) {
      const xy = parseLonLat(argv, at + 1);
      if (typeof xy === 'string') return c.reply.error(xy);
      [shape.lon, shape.lat] = xy;
      fromLoc = true;
      i += 2;
    } else if (arg === 'byradius' && i + 2 < remaining && flags & GEOSEARCH && !byBox) {
      const d = parseDistance(argv, at + 1);
      if (typeof d === 'string') return c.reply.error(d);
      shape.radius = d.radius;
      shape.conversion = d.conversion;
      byRadius = true;
      i += 2;
    } else if (arg === 'bybox' && i + 3 < remaining && flags & GEOSEARCH && !byRadius) {
      const w = parseStrictDouble(argv[at + 1]!);
      if (w === null) return c.reply.error(Err.GEO_NEED_WIDTH);
      const h = parseStrictDouble(argv[at + 2]!);
      if (h === null) return c.reply.error(Err.GEO_NEED_HEIGHT);
      if (h < 0 || w < 0) return c.reply.error(Err.GEO_BOX_NEGATIVE);
      const conversion = parseUnit(argv[at + 3]!);
      if (conversion === null) return c.reply.error(Err.GEO_UNIT);
      shape.radius = null;
      shape.width = w;
      shape.height = h;
      shape.conversion = conversion;
      byBox = true;
      i += 3;
    } else return c.reply.error(Err.SYNTAX);
  }
  if (storeKey !== null && (withDist || withHash || withCoords)) {
    return c.reply.error(flags & GEOSEARCHSTORE ? Err.GEOSEARCHSTORE_OPTIONS : Err.GEORADIUS_STORE_OPTIONS);
  }
  if (flags & GEOSEARCH && !(fromMember || fromLoc)) return c.reply.error(Err.GEO_ONE_FROM(argv[0]!));
  if (flags & GEOSEARCH && !(byRadius || byBox)) return c.reply.error(Err.GEO_ONE_BY(argv[0]!));
  if (any && !count) return c.reply.error(Err.GEO_ANY_NEEDS_COUNT);
  if (z === undefined) {
    if (storeKey !== null) return storeZset(c, storeKey, [], '', 'compact');
    return c.reply.array(0);
  }
  if (count !== 0 && sort === 'none' && !any) sort = 'asc';
  const points = pointsWithin(z, shape, any ? count : 0);
  if (points.length === 0 && storeKey === null) return c.reply.array(0);
  const returned = count === 0 || points.length < count ? points.length : count;
  if (sort === 'asc') points.sort((a, b) => a.dist - b.dist);
  else if (sort === 'desc') points.sort((a, b) => b.dist - a.dist);
  if (storeKey !== null) {
    const items: Array<[string, number]> = [];
    for (let i = 0; i < returned; i++) {
      const p = points[i]!;
      items.push([p.member, storeDist ? p.dist / shape.conversion : p.score]);
    }
    return storeZset(c, storeKey, items, flags & GEOSEARCH ? 'geosearchstore' : 'georadiusstore', 'compact');
  }
  const options = (withDist ? 1 : 0) + (withCoords ? 1 : 0) + (withHash ? 1 : 0);
  const r = c.reply;
  r.array(returned);
  for (let i = 0; i < returned; i++) {
    const p = points[i]!;
    if (options) r.array(options + 1);
    r.bulk(p.member);
    if (withDist) replyDistance(c, p.dist / shape.conversion);
    if (withHash) r.int(p.score);
    if (withCoords) {
      r.array(2);
      replyCoordinate(c, p.lon);
      replyCoordinate(c, p.lat);
    }
  }
}

/* GEORADIUS key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC] [STORE key|STOREDIST key] */
function georadiusCommand(c: Client, argv: string[]): void {
  georadiusGeneric(c, argv, 1, RADIUS_COORDS);
}

/* GEORADIUS_RO key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC] */
function georadiusRoCommand(c: Client, argv: string[]): void {
  georadiusGeneric(c, argv, 1, RADIUS_COORDS | RADIUS_NOSTORE);
}

/* GEORADIUSBYMEMBER key member radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC] [STORE key|STOREDIST key] */
function georadiusbymemberCommand(c: Client, argv: string[]): void {
  georadiusGeneric(c, argv, 1, RADIUS_MEMBER);
}

/* GEORADIUSBYMEMBER_RO key member radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC] */
function georadiusbymemberRoCommand(c: Client, argv: string[]): void {
  georadiusGeneric(c, argv, 1, RADIUS_MEMBER | RADIUS_NOSTORE);
}

/* GEOSEARCH key FROMMEMBER member|FROMLONLAT longitude latitude BYRADIUS radius unit|BYBOX width height unit [ASC|DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH] */
function geosearchCommand(c: Client, argv: string[]): void {
  georadiusGeneric(c, argv, 1, GEOSEARCH);
}

/* GEOSEARCHSTORE destination source FROMMEMBER member|FROMLONLAT longitude latitude BYRADIUS radius unit|BYBOX width height unit [ASC|DESC] [COUNT count [ANY]] [STOREDIST] */
function geosearchstoreCommand(c: Client, argv: string[]): void {
  georadiusGeneric(c, argv, 2, GEOSEARCH | GEOSEARCHSTORE);
}

const GEO = '@geo';

export const geoCommands: CommandRow[] = [
  { name: 'geoadd', arity: -5, flags: 'write denyoom', keys: [1, 1, 1], categories: GEO, handler: geoaddCommand },
  { name: 'georadius', arity: -6, flags: 'write denyoom movablekeys', keys: [1, 1, 1], categories: GEO, handler: georadiusCommand },
  { name: 'georadius_ro', arity: -6, flags: 'readonly', keys: [1, 1, 1], categories: GEO, handler: georadiusRoCommand },
  { name: 'georadiusbymember', arity: -5, flags: 'write denyoom movablekeys', keys: [1, 1, 1], categories: GEO, handler: georadiusbymemberCommand },
  { name: 'georadiusbymember_ro', arity: -5, flags: 'readonly', keys: [1, 1, 1], categories: GEO, handler: georadiusbymemberRoCommand },
  { name: 'geohash', arity: -2, flags: 'readonly', keys: [1, 1, 1], categories: GEO, handler: geohashCommand },
  { name: 'geopos', arity: -2, flags: 'readonly', keys: [1, 1, 1], categories: GEO, handler: geoposCommand },
  { name: 'geodist', arity: -4, flags: 'readonly', keys: [1, 1, 1], categories: GEO, handler: geodistCommand },
  { name: 'geosearch', arity: -7, flags: 'readonly', keys: [1, 1, 1], categories: GEO, handler: geosearchCommand },
  { name: 'geosearchstore', arity: -8, flags: 'write denyoom', keys: [1, 2, 1], categories: GEO, handler: geosearchstoreCommand },
];
