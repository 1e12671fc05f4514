// test-web-logic.mjs — the web page's DOM-free logic (web/bookimg.js) in plain Node
//
// Usage: node test-web-logic.mjs PATH/TO/web/bookimg.js   (tests/meson.build runs it; TAP out)
//
// SPDX-License-Identifier: GPL-3.0-or-later

import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';

const web = await import (pathToFileURL (process.argv[2]).href);
const cases = [];
const test = (name, body) => cases.push ({ name, body });

test ('job ids have the protocol shape and 24 random characters', () => {
  const seen = new Set ();
  for (let i = 0; i < 2000; i++) {
    const id = web.newJobId ();
    assert.match (id, /^job-[0-9]{13}-[a-z0-9]{24}$/);
    assert.match (id, web.JOB_ID_PATTERN);
    seen.add (id);
  }
  assert.equal (seen.size, 2000);
});

test ('job ids are unbiased: bytes from 252 up are drawn again', () => {
  // A source that gives 255, 252 (rejected) and then 0, 35, 36, 71 … (accepted).
  let calls = 0;
  const source = {
    getRandomValues (array) {
      calls++;
      array.fill (calls === 1 ? 255 : 0);
      if (calls === 1)
        array[array.length - 1] = 252;
      else
        array.forEach ((_, i) => { array[i] = [0, 35, 36, 71][i % 4]; });
      return array;
    },
  };
  const id = web.newJobId (source, 1700000000000);
  // 0 → a, 35 → 9, 36 → a, 71 → 9: byte % 36 over the alphabet a–z0–9.
  assert.equal (id, `job-1700000000000-${'a9'.repeat (12)}`);
  assert.equal (calls, 2);
  // Every character equally likely over the accepted bytes 0–251 (7 bytes each).
  const counts = new Map ();
  for (let byte = 0; byte < 252; byte++) {
    const character = web.newJobId ({ getRandomValues: (a) => a.fill (byte) }, 1).slice (-1);
    counts.set (character, (counts.get (character) ?? 0) + 1);
  }
  assert.equal (counts.size, 36);
  assert.ok ([...counts.values ()].every ((n) => n === 7));
});

test ('file names are one safe key segment', () => {
  assert.equal (web.safeFileName ('shelf.jpg'), 'shelf.jpg');
  assert.equal (web.safeFileName ('a/b\\c\n.png'), 'a_b_c_.png');
  assert.equal (web.safeFileName ('..'), 'photo');
  assert.equal (web.safeFileName (''), 'photo');
  assert.ok (new TextEncoder ().encode (web.safeFileName ('é'.repeat (300))).length <= 255);
});

test ('photo types come from the browser or the extension', () => {
  assert.equal (web.photoType ('a.JPG', ''), 'image/jpeg');
  assert.equal (web.photoType ('a.bin', 'image/png'), 'image/png');
  assert.equal (web.photoType ('a.heic', 'image/heic'), 'image/heic');
  assert.equal (web.photoType ('a', ''), 'application/octet-stream');
});

test ('books merge by ISBN-13, else by normalised title and first author', () => {
  const jobs = [
    { jobId: 'j1', fileName: 'one.png', results: { books: [
      { title: 'Dune', authors: ['Frank Herbert'], isbn13: '9780441172719', confidence: 0.8, evidence: { position: 1 } },
      { title: 'Émile', authors: ['J.-J. Rousseau'], confidence: 0.5, evidence: { position: 2 } },
    ] } },
    { jobId: 'j2', fileName: 'two.png', results: { books: [
      { title: 'DUNE (Dune #1)', authors: ['F. Herbert'], isbn13: '978-0-441-17271-9', confidence: 0.9, evidence: { position: 0 } },
      { title: 'emile', authors: ['j j rousseau'], confidence: 0.4, evidence: { position: 3 } },
      { title: 'Emile', authors: ['Someone Else'], confidence: 0.4 },
    ] } },
    { jobId: 'j3', fileName: 'three.png', results: null },
  ];
  const merged = web.mergeBooks (jobs);
  assert.equal (merged.length, 3);
  assert.equal (merged[0].sightings.length, 2);
  assert.equal (merged[0].book.title, 'DUNE (Dune #1)', 'the more certain reading wins');
  assert.equal (merged[1].sightings.length, 2);
  assert.equal (web.normalizeText ('  Émile, ou De l’éducation! '), 'emile ou de l education');
});

test ('CSV is RFC 4180', () => {
  assert.equal (web.csvField ('plain'), 'plain');
  assert.equal (web.csvField ('a,b'), '"a,b"');
  assert.equal (web.csvField ('say "hi"'), '"say ""hi"""');
  assert.equal (web.csvField ('two\nlines'), '"two\nlines"');
  assert.equal (web.csvField (null), '');
  const csv = web.booksToCsv (web.mergeBooks ([{ jobId: 'j', fileName: 'a,b.png', results: { books: [
    { title: 'Hello, "World"', authors: ['A', 'B'], year: 2001, isbn13: '9780000000002',
      confidence: 0.875, source: 'catalog', sourceId: '7', evidence: { text: 'HELLO\nWORLD', position: 4 } },
  ] } }]));
  assert.equal (csv,
    'title,authors,year,isbn13,confidence,source,source_id,photo,position,ocr_text,merged_from,sightings\r\n'
    + '"Hello, ""World""",A; B,2001,9780000000002,0.88,catalog,7,"a,b.png",4,HELLO WORLD,1,"a,b.png#4"\r\n');
});

test ('JSON lists books and photos', () => {
  const jobs = [{ jobId: 'j', fileName: 'a.png', status: 'complete',
    results: { books: [{ title: 'T', authors: [] }], unresolved: [{ text: 'x' }] } }];
  const parsed = JSON.parse (web.booksToJson (web.mergeBooks (jobs), jobs, new Date (0)));
  assert.equal (parsed.generated, '1970-01-01T00:00:00.000Z');
  assert.equal (parsed.books[0].title, 'T');
  assert.deepEqual (parsed.photos[0].unresolved, [{ text: 'x' }]);
});

test ('backoff doubles up to 30 s with jitter in the upper half', () => {
  assert.equal (web.backoffDelay (0, () => 0), 500);
  assert.equal (web.backoffDelay (0, () => 1), 1000);
  assert.equal (web.backoffDelay (3, () => 0), 4000);
  assert.equal (web.backoffDelay (50, () => 1), 30000);
  assert.equal (web.backoffDelay (50, () => 0), 15000);
});

test ('seq: only increasing pushes are new', () => {
  assert.ok (web.isNewSeq (null, 1));
  assert.ok (web.isNewSeq (1, 2));
  assert.ok (!web.isNewSeq (2, 2));
  assert.ok (!web.isNewSeq (3, 2));
  assert.ok (!web.isNewSeq (3, undefined));
});

test ('errors in the server\'s words', () => {
  assert.equal (web.errorMessage ('{"error":{"code":"x","message":"Say it."}}', 'f'), 'Say it.');
  assert.equal (web.errorMessage ('<html>', 'fallback'), 'fallback');
  assert.equal (web.errorMessage ('{"error":{}}', 'fallback'), 'fallback');
});

console.log (`1..${cases.length}`);
let failures = 0;
for (const [index, { name, body }] of cases.entries ()) {
  try {
    await body ();
    console.log (`ok ${index + 1} ${name}`);
  } catch (error) {
    failures++;
    console.log (`not ok ${index + 1} ${name}`);
    console.log (String (error.stack).split ('\n').map ((line) => `# ${line}`).join ('\n'));
  }
}
process.exit (failures === 0 ? 0 : 1);
