/*
 * Differential GEO: every command and option byte for byte against redis-server, in RESP2 and
 * RESP3, with many random points — positions (GEOPOS), hashes (GEOHASH), distances in every unit
 * (GEODIST) and searches by radius and box near the equator, the poles, the antimeridian and
 * the Mercator limits, so that results, order, distances and coordinates match to the digit.
 */
import { differentialSuite, type Script } from './differential.js';

const BIN = '\x00\xff\r\n\x80bin\x00';

function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Stored distances (STOREDIST) printed with 17 digits may differ in the last ulp where glibc's
 * sin/cos/asin do not round to nearest (about 0.1-0.3% of arguments; ours do, see
 * correct-trig.ts). Compared to 12 significant digits.
 */
const STOREDIST_PRECISION = (raw: string): string => raw.replace(/(?:\$\d+\r\n|,)(\d+\.\d+)\r\n/g, (_m, d: string) => Number(d).toPrecision(12) + ';');

/** Random points around (lon, lat) within `spread` degrees, as GEOADD arguments. */
function points(rnd: () => number, n: number, lon: number, lat: number, spread: number, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = Math.max(-180, Math.min(180, lon + (rnd() - 0.5) * 2 * spread));
    const y = Math.max(-85.05112878, Math.min(85.05112878, lat + (rnd() - 0.5) * 2 * spread));
    out.push(x.toFixed(1 + Math.floor(rnd() * 12)), y.toFixed(1 + Math.floor(rnd() * 12)), prefix + i);
  }
  return out;
}

/** A cloud of points and many reads of it around one centre. */
function cloud(seed: number, lon: number, lat: number, spread: number, n = 60): Script {
  const rnd = prng(seed);
  const script: Script = [['GEOADD', 'pts', ...points(rnd, n, lon, lat, spread, 'p')]];
  const members = Array.from({ length: n }, (_, i) => 'p' + i);
  script.push(['GEOPOS', 'pts', ...members, 'missing'], ['GEOHASH', 'pts', ...members, 'missing']);
  for (let i = 0; i < 10; i++) {
    const a = members[Math.floor(rnd() * n)]!;
    const b = members[Math.floor(rnd() * n)]!;
    script.push(['GEODIST', 'pts', a, b, ['m', 'km', 'mi', 'ft'][i % 4]!]);
  }
  const km = Math.max(1, spread * 111);
  for (const f of [0.05, 0.2, 0.5, 1, 2]) {
    const r = String(km * f);
    const cx = String(lon + (rnd() - 0.5) * spread);
    const cy = String(Math.max(-85, Math.min(85, lat + (rnd() - 0.5) * spread)));
    script.push(
      ['GEOSEARCH', 'pts', 'FROMLONLAT', cx, cy, 'BYRADIUS', r, 'km', 'ASC', 'WITHDIST', 'WITHCOORD', 'WITHHASH'],
      ['GEOSEARCH', 'pts', 'FROMLONLAT', cx, cy, 'BYBOX', r, String(km * f * 0.6), 'km', 'DESC', 'WITHDIST'],
      ['GEOSEARCH', 'pts', 'FROMMEMBER', members[0]!, 'BYRADIUS', r, 'km', 'WITHDIST', 'COUNT', '5'],
      ['GEORADIUS', 'pts', cx, cy, String(km * f * 1000), 'm', 'WITHDIST', 'ASC'],
      ['GEORADIUSBYMEMBER', 'pts', members[1]!, String((km * f) / 1.609), 'mi', 'ASC', 'COUNT', '3', 'WITHCOORD'],
      ['GEOSEARCHSTORE', 'dst', 'pts', 'FROMLONLAT', cx, cy, 'BYRADIUS', r, 'km', 'STOREDIST'],
      { cmd: ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'], normalize: STOREDIST_PRECISION },
    );
  }
  return script;
}

const cases: Record<string, Script> = {
  'geoadd: options, replies and errors': [
    ['GEOADD', 'g', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'], ['GEOADD', 'g', '13.361389', '38.115556', 'Palermo'],
    ['GEOADD', 'g', 'CH', '13.4', '38.1', 'Palermo', '1', '1', 'x'], ['GEOADD', 'g', 'NX', '0', '0', 'Palermo', '2', '2', 'y'],
    ['GEOADD', 'g', 'XX', '3', '3', 'y', '4', '4', 'z'], ['GEOADD', 'g', 'XX', 'CH', '5', '5', 'y'], ['GEOADD', 'g', 'NX', 'XX', '1', '1', 'a'],
    ['GEOADD', 'g', '1', '1', 'a', '2'], ['GEOADD', 'g', 'a', '1', 'x'], ['GEOADD', 'g', '200', '10', 'x'], ['GEOADD', 'g', '10', '90', 'x'],
    ['GEOADD', 'g', '1e30', '1', 'x'], ['GEOADD', 'g', '1', '-85.05112879', 'x'], ['GEOADD', 'g', 'CH', 'GT', '1', '1', 'x'], ['GEOADD', 'g', 'CH', 'CH', 'CH'],
    ['GEOADD', 'g', '180', '85.05112878', 'corner1', '-180', '-85.05112878', 'corner2', '0', '0', 'origin', '-0', '-0', BIN],
    ['ZRANGE', 'g', '0', '-1', 'WITHSCORES'], ['GEOPOS', 'g', 'corner1', 'corner2', 'origin', BIN], ['GEOHASH', 'g', 'corner1', 'corner2', 'origin', BIN],
    ['GEOADD', 'nokey', 'XX', '1', '1', 'a'], ['EXISTS', 'nokey'], ['SET', 's', 'v'], ['GEOADD', 's', '1', '1', 'a'], ['GEOADD', 's', '1', 'x', 'a'],
    ['GEOADD', 'g', '0x10', '1e1', 'hexy'], ['GEOPOS', 'g', 'hexy'],
  ],
  'geopos geohash geodist': [
    ['GEOADD', 'g', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'], ['GEOPOS', 'g', 'Palermo', 'Catania', 'nope'],
    ['GEOPOS', 'g'], ['GEOPOS', 'nokey', 'a', 'b'], ['GEOHASH', 'g', 'Palermo', 'Catania', 'nope'], ['GEOHASH', 'g'], ['GEOHASH', 'nokey', 'a'],
    ['GEODIST', 'g', 'Palermo', 'Catania'], ['GEODIST', 'g', 'Palermo', 'Catania', 'KM'], ['GEODIST', 'g', 'Palermo', 'Catania', 'mi'],
    ['GEODIST', 'g', 'Palermo', 'Catania', 'ft'], ['GEODIST', 'g', 'Palermo', 'Catania', 'M'], ['GEODIST', 'g', 'Palermo', 'Palermo'],
    ['GEODIST', 'g', 'Palermo', 'nope'], ['GEODIST', 'nokey', 'a', 'b'], ['GEODIST', 'g', 'Palermo', 'Catania', 'parsec'], ['GEODIST', 'g', 'a', 'b', 'km', 'x'],
    ['GEODIST', 'nokey', 'a', 'b', 'parsec'], ['SET', 's', 'v'], ['GEOPOS', 's', 'a'], ['GEOHASH', 's', 'a'], ['GEODIST', 's', 'a', 'b'],
    ['ZADD', 'odd', '-5', 'neg', '1e300', 'huge', '0', 'zero', '4503599627370496', 'top'], ['GEOPOS', 'odd', 'neg', 'huge', 'zero', 'top'], ['GEOHASH', 'odd', 'zero', 'top'],
  ],
  'geosearch: options and errors': [
    ['GEOADD', 'g', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania', '12.758489', '38.788135', 'edge1', '17.241510', '38.788135', 'edge2'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'ASC'], ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'DESC', 'WITHDIST', 'WITHHASH', 'WITHCOORD'],
    ['GEOSEARCH', 'g', 'FROMMEMBER', 'Palermo', 'BYBOX', '400', '400', 'km', 'ASC', 'WITHCOORD', 'WITHDIST'], ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYBOX', '400', '400', 'km', 'ASC', 'COUNT', '1'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '300', 'km', 'COUNT', '2', 'ANY'], ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '300', 'km', 'COUNT', '2', 'ANY', 'DESC'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '300', 'km', 'COUNT', '100'], ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '0', 'km'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'withdist', 'asc', 'desc'], ['GEOSEARCH', 'g', 'frommember', 'Palermo', 'frommember', 'Catania', 'byradius', '1', 'km'],
    ['GEOSEARCH', 'g', 'FROMMEMBER', 'nope', 'BYRADIUS', '10', 'km'], ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '-1', 'km'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', 'x', 'km'], ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYBOX', 'x', '1', 'km'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYBOX', '1', 'x', 'km'], ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYBOX', '-1', '1', 'km'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '10', 'foo'], ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'withdist', 'withcoord'],
    ['GEOSEARCH', 'g', 'BYRADIUS', '10', 'km', 'withdist', 'asc'], ['geosearch', 'g', 'byradius', '10', 'km', 'withdist', 'asc'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '10', 'km'], ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '10', 'km', 'BYBOX', '1', '1', 'km'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '10', 'km', 'COUNT', '0'], ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '10', 'km', 'COUNT', 'x'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '10', 'km', 'ANY'], ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '10', 'km', 'STORE', 'x'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '10', 'km', 'STOREDIST'], ['GEOSEARCH', 'g', 'FROMLONLAT', '200', '37', 'BYRADIUS', '10', 'km'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '10'], ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYBOX', '400', '400'],
    ['GEOSEARCH', 'nokey', 'FROMLONLAT', '15', '37', 'BYRADIUS', '10', 'km'], ['GEOSEARCH', 'nokey', 'FROMMEMBER', 'x', 'BYRADIUS', '10', 'km'],
    ['GEOSEARCH', 'nokey', 'FROMMEMBER', 'x', 'BYRADIUS', 'x', 'km'], ['SET', 's', 'v'], ['GEOSEARCH', 's', 'FROMLONLAT', '15', '37', 'BYRADIUS', '10', 'km'],
  ],
  'geosearchstore and the store options of georadius': [
    ['GEOADD', 'g', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'],
    ['GEOSEARCHSTORE', 'd', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km'], ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'], ['OBJECT', 'ENCODING', 'd'],
    ['GEOSEARCHSTORE', 'd', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'STOREDIST'], ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
    ['GEOSEARCHSTORE', 'd', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'COUNT', '1', 'DESC'], ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
    ['GEOSEARCHSTORE', 'd', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'km'], ['EXISTS', 'd'], ['SET', 'd', 'x'],
    ['GEOSEARCHSTORE', 'd', 'nokey', 'FROMMEMBER', 'x', 'BYRADIUS', '10', 'km'], ['EXISTS', 'd'],
    ['GEOSEARCHSTORE', 'd', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '10', 'km', 'WITHCOORD'], ['GEOSEARCHSTORE', 'd', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '10', 'km', 'STORE', 'x'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STORE', 'r1'], ['ZRANGE', 'r1', '0', '-1', 'WITHSCORES'], ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STOREDIST', 'r2', 'ASC'],
    ['ZRANGE', 'r2', '0', '-1', 'WITHSCORES'], ['GEORADIUSBYMEMBER', 'g', 'Palermo', '200', 'km', 'STORE', 'r3', 'COUNT', '1'], ['ZRANGE', 'r3', '0', '-1', 'WITHSCORES'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STORE', 'x', 'WITHDIST'], ['GEORADIUSBYMEMBER', 'g', 'Palermo', '10', 'km', 'STORE', 'x', 'WITHCOORD'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STOREDIST'], ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STORE'], ['GEORADIUS_RO', 'g', '15', '37', '200', 'km', 'STORE', 'x'],
    ['GEORADIUSBYMEMBER_RO', 'g', 'Palermo', '200', 'km', 'STORE', 'x'], ['GEORADIUS', 'g', '15', '37', '200', 'km', 'FROMMEMBER', 'x'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'COUNT', '1', 'ANY', 'ASC'], ['GEORADIUS', 'g', '15', '37', 'x', 'km'], ['GEORADIUS', 'g', '15', '37', '-1', 'km'],
    ['GEORADIUS', 'g', 'x', '37', '1', 'km'], ['GEORADIUS', 'g', '15', '37', '1', 'yards'], ['GEORADIUSBYMEMBER', 'g', 'nope', '10', 'km'],
    ['GEORADIUSBYMEMBER', 'nokey', 'nope', 'x', 'km'], ['GEORADIUSBYMEMBER', 'nokey', 'nope', '10', 'km', 'STORE', 'g'], ['EXISTS', 'g'],
    ['GEORADIUS_RO', 'nokey', '15', '37', '200', 'km'], ['GEORADIUSBYMEMBER_RO', 'r1', 'Palermo', '500', 'km', 'WITHDIST', 'WITHHASH', 'ASC'],
  ],
  'cloud: mid latitudes': cloud(1, 13.4, 38.1, 1),
  'cloud: wide spread': cloud(2, 0, 0, 30),
  'cloud: near the north pole limit': cloud(3, 100, 84, 3),
  'cloud: near the south limit': cloud(4, -70, -83, 4),
  'cloud: across the antimeridian': cloud(5, 179.5, 10, 2),
  'cloud: tiny distances': cloud(6, -0.1, 51.5, 0.001),
  'cloud: continental radius': cloud(7, -100, 40, 20),
  'cloud: high latitudes': cloud(8, 20, 70, 10),
};

function bothProtocols(all: Record<string, Script>): Record<string, Script> {
  const out: Record<string, Script> = {};
  for (const [name, script] of Object.entries(all)) {
    out[name] = script;
    // HELLO's reply names the server, its version and the connection id: only the switch matters
    out[name + ' (RESP3)'] = [{ cmd: ['HELLO', '3'], normalize: () => 'hello' }, ...script];
  }
  return out;
}

differentialSuite('differential: geo', bothProtocols(cases));
