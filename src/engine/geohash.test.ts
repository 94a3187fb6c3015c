/*
 * Geohash encoding and decoding against values redis-server 7.0.15 gives (GEOADD's stored
 * scores, GEOPOS, GEOHASH, GEODIST), cell neighbours and the search step estimate.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cellScoreRange, decodeScore, encodeCell, encodeScore, estimateSteps, geoDistance, geohashString, searchCells } from './geohash.js';

test('scores as GEOADD stores them', () => {
  assert.is(encodeScore(13.361389, 38.115556), 3479099956230698);
  assert.is(encodeScore(0, 0), 3377699720527872);
  assert.is(encodeScore(-180, -85.05112878), 0);
  assert.is(encodeScore(180, 85.05112878), 13510798882111488);
  assert.is(encodeScore(180.000001, 0), null);
  assert.is(encodeScore(0, 85.05112879), null);
});

test('scores decode to the centre of their cell, as GEOPOS prints them', () => {
  const [lon, lat] = decodeScore(3479099956230698);
  assert.is(lon.toFixed(17), '13.36138933897018433');
  assert.is(lat.toFixed(17), '38.11555639549629859');
  const [x, y] = decodeScore(0);
  assert.is(x.toFixed(17), '-179.99999731779098511');
  assert.is(y.toFixed(17), '-85.05112751263942528');
  assert.equal(decodeScore(13510798882111488)[1], 85.05112878); // clamped to the limit
});

test('geohash strings as GEOHASH answers', () => {
  assert.is(geohashString(3479099956230698), 'sqc8b49rny0');
  assert.is(geohashString(3377699720527872), 's0000000000');
  assert.is(geohashString(0), '00bh0hbj200');
  assert.is(geohashString(13510798882111488), 'bp05b5048p0');
});

test('distances as GEODIST computes them (haversine, Redis earth radius)', () => {
  const a = decodeScore(encodeScore(13.361389, 38.115556)!);
  const b = decodeScore(encodeScore(15.087269, 37.502669)!);
  assert.is(geoDistance(a[0], a[1], b[0], b[1]).toFixed(4), '166274.1516');
  assert.is(geoDistance(10, 20, 10, 21).toFixed(4), (6372797.560856 * (Math.PI / 180)).toFixed(4));
});

test('search cells: the centre cell holds the centre, neighbours surround it, steps follow the radius', () => {
  assert.is(estimateSteps(0, 0), 26);
  assert.is(estimateSteps(100, 0), 17);
  assert.is(estimateSteps(100, 70), 16);
  assert.is(estimateSteps(100, 85), 15);
  assert.is(estimateSteps(1e8, 0), 1);
  const cells = searchCells({ lon: 13.4, lat: 38.1, conversion: 1000, radius: 50, width: 0, height: 0 });
  assert.is(cells.length, 9);
  const [min, max] = cellScoreRange(cells[0]!);
  const s = encodeScore(13.4, 38.1)!;
  assert.ok(min <= s && s < max);
  const centre = encodeCell(13.4, 38.1, cells[0]!.step)!;
  assert.is(centre.bits, cells[0]!.bits);
});

test.run();
