/*
 * Geohashes as Redis's GEO commands use them (geohash.c, geohash_helper.c), written from their
 * documented behaviour: a position is a 52-bit interleaved geohash (26 bits of longitude in the
 * odd positions, 26 of latitude in the even ones) over longitude [-180, 180] and the Web Mercator
 * latitude range [-85.05112878, 85.05112878], stored as a sorted set score. A score decodes to
 * the centre of its cell. Searches cover the shape with a cell of an estimated precision and its
 * eight neighbours (fewer when a side cannot reach), then filter by Redis's haversine distance
 * (earth radius 6372797.560856 m), with sin, cos and asin rounded as glibc's (correct-trig.ts).
 * Every step follows the same double operations in the same
 * order as Redis, so positions, distances and hashes come out identical.
 */

import { correctAsin, correctCos, correctSin } from './correct-trig.js';

export const GEO_STEP_MAX = 26;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;
export const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;
const D_R = Math.PI / 180.0;
const sin = correctSin;
const cos = correctCos;
const asin = correctAsin;

const degRad = (ang: number): number => ang * D_R;
const radDeg = (ang: number): number => ang / D_R;

/** A cell: its interleaved bits (as a BigInt, up to 64 bits) and its precision in bits per axis. */
export interface GeoCell {
  bits: bigint;
  step: number;
}

export interface GeoArea {
  lonMin: number;
  lonMax: number;
  latMin: number;
  latMax: number;
}

/** Spreads the low 32 bits of v into the even bit positions of a 64-bit value. */
function spread(v: bigint): bigint {
  v &= 0xffffffffn;
  v = (v | (v << 16n)) & 0x0000ffff0000ffffn;
  v = (v | (v << 8n)) & 0x00ff00ff00ff00ffn;
  v = (v | (v << 4n)) & 0x0f0f0f0f0f0f0f0fn;
  v = (v | (v << 2n)) & 0x3333333333333333n;
  v = (v | (v << 1n)) & 0x5555555555555555n;
  return v;
}

/** The even bits of a 64-bit value, packed into 32. */
function squash(v: bigint): bigint {
  v &= 0x5555555555555555n;
  v = (v | (v >> 1n)) & 0x3333333333333333n;
  v = (v | (v >> 2n)) & 0x0f0f0f0f0f0f0f0fn;
  v = (v | (v >> 4n)) & 0x00ff00ff00ff00ffn;
  v = (v | (v >> 8n)) & 0x0000ffff0000ffffn;
  v = (v | (v >> 16n)) & 0x00000000ffffffffn;
  return v;
}

/** C's conversion of a double to uint32 for the values it is used on here (truncation). */
function toUint32(d: number): bigint {
  return BigInt(Math.trunc(d) >>> 0);
}

/**
 * The cell of (longitude, latitude) at `step` bits per axis, over the given latitude range
 * (Redis's geohashEncode). Null outside the supported coordinates.
 */
export function encodeCell(longitude: number, latitude: number, step: number, latMin = GEO_LAT_MIN, latMax = GEO_LAT_MAX): GeoCell | null {
  if (longitude > 180 || longitude < -180 || latitude > GEO_LAT_MAX || latitude < GEO_LAT_MIN) return null;
  if (latitude < latMin || latitude > latMax || longitude < GEO_LONG_MIN || longitude > GEO_LONG_MAX) return null;
  let latOffset = (latitude - latMin) / (latMax - latMin);
  let lonOffset = (longitude - GEO_LONG_MIN) / (GEO_LONG_MAX - GEO_LONG_MIN);
  latOffset *= 2 ** step;
  lonOffset *= 2 ** step;
  return { bits: spread(toUint32(latOffset)) | (spread(toUint32(lonOffset)) << 1n), step };
}

/** The 52-bit score of a cell (geohashAlign52Bits), as the double ZADD stores. */
export function cellScore(cell: GeoCell): number {
  return Number(BigInt.asUintN(64, cell.bits << BigInt(52 - cell.step * 2)));
}

/** The score of a position at full precision (GEOADD), or null outside the supported range. */
export function encodeScore(longitude: number, latitude: number): number | null {
  const cell = encodeCell(longitude, latitude, GEO_STEP_MAX);
  return cell === null ? null : cellScore(cell);
}

/**
 * C's (uint64_t) conversion of a score as gcc compiles it for x86-64 (what Redis does with a
 * score that is no geohash): below 2^63 a signed truncation (cvttsd2si: negatives wrap, out of
 * range gives 2^63), from 2^63 the same on score - 2^63 with the top bit flipped (so 2^64 and
 * beyond, and +inf, give 0).
 */
function scoreBits(score: number): bigint {
  const TOP = 1n << 63n;
  const signed = (d: number): bigint => (Number.isFinite(d) && d > -(2 ** 63) - 1 && d < 2 ** 63 ? BigInt.asUintN(64, BigInt(Math.trunc(d))) : TOP);
  if (score >= 2 ** 63) return signed(score - 2 ** 63) ^ TOP;
  return signed(score);
}

/** The area of a cell (Redis's geohashDecode over the Mercator range). */
export function decodeArea(cell: GeoCell, latMin = GEO_LAT_MIN, latMax = GEO_LAT_MAX): GeoArea {
  const latScale = latMax - latMin;
  const lonScale = GEO_LONG_MAX - GEO_LONG_MIN;
  const ilato = Number(squash(cell.bits));
  const ilono = Number(squash(cell.bits >> 1n));
  const div = 2 ** cell.step;
  return {
    latMin: latMin + ((ilato * 1.0) / div) * latScale,
    latMax: latMin + (((ilato + 1) * 1.0) / div) * latScale,
    lonMin: GEO_LONG_MIN + ((ilono * 1.0) / div) * lonScale,
    lonMax: GEO_LONG_MIN + (((ilono + 1) * 1.0) / div) * lonScale,
  };
}

/** The position a score stands for: the centre of its cell, clamped to the limits. */
export function decodeScore(score: number): [number, number] {
  const a = decodeArea({ bits: scoreBits(score), step: GEO_STEP_MAX });
  let lon = (a.lonMin + a.lonMax) / 2;
  if (lon > GEO_LONG_MAX) lon = GEO_LONG_MAX;
  if (lon < GEO_LONG_MIN) lon = GEO_LONG_MIN;
  let lat = (a.latMin + a.latMax) / 2;
  if (lat > GEO_LAT_MAX) lat = GEO_LAT_MAX;
  if (lat < GEO_LAT_MIN) lat = GEO_LAT_MIN;
  return [lon, lat];
}

const GEO_ALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

/** The standard 11-character geohash of a score (re-encoded over latitude [-90, 90]). */
export function geohashString(score: number): string {
  const [lon, lat] = decodeScore(score);
  const cell = encodeCell(lon, lat, GEO_STEP_MAX, -90, 90);
  const bits = cell === null ? 0n : cell.bits;
  let out = '';
  for (let i = 0; i < 11; i++) {
    const idx = i === 10 ? 0 : Number((bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn);
    out += GEO_ALPHABET[idx];
  }
  return out;
}

const M64 = (1n << 64n) - 1n;
const ODD = 0xaaaaaaaaaaaaaaaan;
const EVEN = 0x5555555555555555n;

function moveX(cell: GeoCell, d: number): GeoCell {
  if (d === 0) return cell;
  let x = cell.bits & ODD;
  const y = cell.bits & EVEN;
  const shift = BigInt(64 - cell.step * 2);
  const zz = EVEN >> shift;
  if (d > 0) x = (x + (zz + 1n)) & M64;
  else {
    x = x | zz;
    x = (x - (zz + 1n)) & M64;
  }
  x &= ODD >> shift;
  return { bits: x | y, step: cell.step };
}

function moveY(cell: GeoCell, d: number): GeoCell {
  if (d === 0) return cell;
  const x = cell.bits & ODD;
  let y = cell.bits & EVEN;
  const shift = BigInt(64 - cell.step * 2);
  const zz = ODD >> shift;
  if (d > 0) y = (y + (zz + 1n)) & M64;
  else {
    y = y | zz;
    y = (y - (zz + 1n)) & M64;
  }
  y &= EVEN >> shift;
  return { bits: x | y, step: cell.step };
}

/** Redis's geohashEstimateStepsByRadius. */
export function estimateSteps(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2;
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/** A search shape: centre, and a radius or a box, in the unit given by `conversion` (meters per unit). */
export interface GeoShape {
  lon: number;
  lat: number;
  conversion: number;
  /** radius, or null for a box */
  radius: number | null;
  width: number;
  height: number;
}

/** Redis's geohashBoundingBox: [minLon, minLat, maxLon, maxLat]. */
function boundingBox(shape: GeoShape): [number, number, number, number] {
  const { lon, lat } = shape;
  const height = shape.conversion * (shape.radius !== null ? shape.radius : shape.height / 2);
  const width = shape.conversion * (shape.radius !== null ? shape.radius : shape.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const lonDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / cos(degRad(lat + latDelta)));
  const lonDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / cos(degRad(lat - latDelta)));
  const southern = lat < 0;
  return [southern ? lon - lonDeltaBottom : lon - lonDeltaTop, lat - latDelta, southern ? lon + lonDeltaBottom : lon + lonDeltaTop, lat + latDelta];
}

/**
 * The cells a search must scan, in Redis's order (centre, north, south, east, west, north-east,
 * north-west, south-east, south-west); null for the ones excluded (Redis's GZERO).
 */
export function searchCells(shape: GeoShape): Array<GeoCell | null> {
  const [minLon, minLat, maxLon, maxLat] = boundingBox(shape);
  let radiusMeters =
    shape.radius !== null ? shape.radius : Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
  radiusMeters *= shape.conversion;
  let steps = estimateSteps(radiusMeters, shape.lat);
  const around = (step: number) => {
    const hash = encodeCell(shape.lon, shape.lat, step)!;
    const n = {
      north: moveY(hash, 1),
      south: moveY(hash, -1),
      east: moveX(hash, 1),
      west: moveX(hash, -1),
      northEast: moveY(moveX(hash, 1), 1),
      northWest: moveY(moveX(hash, -1), 1),
      southEast: moveY(moveX(hash, 1), -1),
      southWest: moveY(moveX(hash, -1), -1),
    };
    return { hash, n, area: decodeArea(hash) };
  };
  let { hash, n, area } = around(steps);
  let decrease = false;
  if (decodeArea(n.north).latMax < maxLat) decrease = true;
  if (decodeArea(n.south).latMin > minLat) decrease = true;
  if (decodeArea(n.east).lonMax < maxLon) decrease = true;
  if (decodeArea(n.west).lonMin > minLon) decrease = true;
  if (steps > 1 && decrease) {
    steps--;
    ({ hash, n, area } = around(steps));
  }
  const cells: Record<string, GeoCell | null> = { ...n };
  if (steps >= 2) {
    if (area.latMin < minLat) cells.south = cells.southWest = cells.southEast = null;
    if (area.latMax > maxLat) cells.north = cells.northEast = cells.northWest = null;
    if (area.lonMin < minLon) cells.west = cells.southWest = cells.northWest = null;
    if (area.lonMax > maxLon) cells.east = cells.southEast = cells.northEast = null;
  }
  return [hash, cells.north!, cells.south!, cells.east!, cells.west!, cells.northEast!, cells.northWest!, cells.southEast!, cells.southWest!];
}

/** The score range [min, max) of a cell (scoresOfGeoHashBox). */
export function cellScoreRange(cell: GeoCell): [number, number] {
  return [cellScore(cell), cellScore({ bits: cell.bits + 1n, step: cell.step })];
}

function latDistance(lat1d: number, lat2d: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
}

/** Redis's haversine great circle distance in meters. */
export function geoDistance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = sin((lon2r - lon1r) / 2);
  if (v === 0.0) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = sin((lat2r - lat1r) / 2);
  const a = u * u + cos(lat1r) * cos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * asin(Math.sqrt(a));
}

/**
 * The distance in meters from the shape's centre to (lon, lat) when the point lies within the
 * shape (radius, or box: latitude first, then longitude at the point's latitude), else null.
 */
export function distanceIfWithin(shape: GeoShape, lon: number, lat: number): number | null {
  if (shape.radius !== null) {
    const d = geoDistance(shape.lon, shape.lat, lon, lat);
    return d > shape.radius * shape.conversion ? null : d;
  }
  const widthM = shape.width * shape.conversion;
  const heightM = shape.height * shape.conversion;
  if (latDistance(lat, shape.lat) > heightM / 2) return null;
  if (geoDistance(lon, lat, shape.lon, lat) > widthM / 2) return null;
  return geoDistance(shape.lon, shape.lat, lon, lat);
}
