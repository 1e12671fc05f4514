// bookimg.js — the web page's logic without the DOM: job ids, keys, merging, CSV and JSON.
//
// Kept free of `document` and `window` so that tests/web/test-web-logic.mjs runs it in plain
// Node. The wire format is docs/protocol.md; the CSV columns are those of the desktop app's
// export (src/lib/export/bi-export-csv.c).
//
// SPDX-License-Identifier: GPL-3.0-or-later

export const JOB_ID_PATTERN = /^job-[0-9]{10,16}-[a-z0-9]{6,64}$/;
export const SUPPORTED_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/tiff'];

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const RANDOM_LENGTH = 24;

// `job-<unix-ms>-<24 × [a-z0-9]>`. The random part is the capability to read the job's
// results, so it comes from the CSPRNG, and without modulo bias: bytes at or above the
// largest multiple of 36 below 256 (252) are thrown away and drawn again.
export function newJobId (cryptoSource = globalThis.crypto, now = Date.now ()) {
  const limit = 256 - (256 % ALPHABET.length);
  let random = '';

  while (random.length < RANDOM_LENGTH) {
    const bytes = cryptoSource.getRandomValues (new Uint8Array (RANDOM_LENGTH * 2));
    for (const byte of bytes) {
      if (byte < limit && random.length < RANDOM_LENGTH)
        random += ALPHABET[byte % ALPHABET.length];
    }
  }
  return `job-${now}-${random}`;
}

// A file name the server takes as one key segment (docs/protocol.md): no `/`, `\` or control
// characters, not `.` or `..`, at most 255 UTF-8 bytes.
export function safeFileName (name) {
  let safe = String (name ?? '').replace (/[\u0000-\u001f\u007f/\\]/g, '_').trim ();
  if (safe === '' || safe === '.' || safe === '..')
    safe = 'photo';
  const encoder = new TextEncoder ();
  while (encoder.encode (safe).length > 255)
    safe = Array.from (safe).slice (0, -1).join ('');
  return safe;
}

// The photo's type as the server expects it; browsers leave `type` empty for some files.
export function photoType (name, type) {
  if (SUPPORTED_TYPES.includes (type))
    return type;
  const extension = String (name).toLowerCase ().split ('.').pop ();
  const byExtension = {
    jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp',
    tif: 'image/tiff', tiff: 'image/tiff',
  };
  return byExtension[extension] ?? (type || 'application/octet-stream');
}

// Letters and digits only, lower case, accents removed, words joined by single spaces.
export function normalizeText (text) {
  return String (text ?? '')
    .normalize ('NFKD')
    .replace (/\p{M}+/gu, '')
    .toLowerCase ()
    .replace (/[^\p{L}\p{N}]+/gu, ' ')
    .trim ();
}

// One book, one key: its ISBN-13, else its normalised title and first author.
export function bookKey (book) {
  const isbn = String (book.isbn13 ?? '').replace (/[^0-9Xx]/g, '');
  if (isbn.length === 13)
    return `isbn:${isbn}`;
  const firstAuthor = Array.isArray (book.authors) && book.authors.length > 0 ? book.authors[0] : '';
  return `title:${normalizeText (book.title)}|${normalizeText (firstAuthor)}`;
}

// The books of all finished jobs, one entry per distinct book, in the order first seen.
// @jobs: [{jobId, fileName, results}] where results is a final-results document.
export function mergeBooks (jobs) {
  const merged = new Map ();

  for (const job of jobs) {
    const books = job.results?.books;
    if (!Array.isArray (books))
      continue;
    for (const book of books) {
      const key = bookKey (book);
      const sighting = {
        photo: job.fileName,
        jobId: job.jobId,
        position: book.evidence?.position ?? null,
        text: book.evidence?.text ?? '',
      };
      const existing = merged.get (key);
      if (existing) {
        existing.sightings.push (sighting);
        // Keep the most certain reading's fields.
        if ((book.confidence ?? 0) > (existing.book.confidence ?? 0))
          existing.book = book;
      } else {
        merged.set (key, { key, book, sightings: [sighting] });
      }
    }
  }
  return [...merged.values ()];
}

// ---- CSV (RFC 4180: CRLF, fields with a comma, quote or line break quoted, quotes doubled) ----

export const CSV_COLUMNS = [
  'title', 'authors', 'year', 'isbn13', 'confidence', 'source', 'source_id', 'photo',
  'position', 'ocr_text', 'merged_from', 'sightings',
];

export function csvField (value) {
  const text = value === null || value === undefined ? '' : String (value);
  return /[",\r\n]/.test (text) ? `"${text.replace (/"/g, '""')}"` : text;
}

function oneLine (text) {
  return String (text ?? '').replace (/[\u0000-\u001f\u007f]+/g, ' ').replace (/ +/g, ' ').trim ();
}

export function booksToCsv (merged) {
  const rows = [CSV_COLUMNS];

  for (const { book, sightings } of merged) {
    const first = sightings[0];
    rows.push ([
      book.title,
      (book.authors ?? []).join ('; '),
      book.year ?? '',
      book.isbn13 ?? '',
      typeof book.confidence === 'number' ? book.confidence.toFixed (2) : '',
      book.source ?? '',
      book.sourceId ?? '',
      first.photo,
      first.position ?? '',
      oneLine (first.text),
      sightings.length,
      sightings.map ((s) => (s.position === null ? s.photo : `${s.photo}#${s.position}`)).join ('; '),
    ]);
  }
  return rows.map ((row) => row.map (csvField).join (',')).join ('\r\n') + '\r\n';
}

export function booksToJson (merged, jobs, now = new Date ()) {
  return JSON.stringify ({
    generated: now.toISOString (),
    books: merged.map (({ book, sightings }) => ({
      ...book,
      sightings: sightings.map (({ photo, jobId, position }) => ({ photo, jobId, position })),
    })),
    photos: jobs.map ((job) => ({
      jobId: job.jobId,
      fileName: job.fileName,
      status: job.status,
      books: job.results?.books ?? [],
      unresolved: job.results?.unresolved ?? [],
      error: job.error ?? null,
    })),
  }, null, 2) + '\n';
}

// ---- reconnecting ----

// Exponential backoff with jitter: attempt 0 waits 0.5–1 s, doubling up to 15–30 s, so that
// clients cut off together do not all come back in the same instant.
export function backoffDelay (attempt, random = Math.random) {
  const ceiling = Math.min (30000, 1000 * 2 ** Math.min (attempt, 10));
  return Math.round (ceiling / 2 + random () * (ceiling / 2));
}

// Per-job seq tracking: a push whose seq is not above the last one seen is a duplicate.
export function isNewSeq (lastSeq, seq) {
  return typeof seq === 'number' && (typeof lastSeq !== 'number' || seq > lastSeq);
}

// The server's error, in words, from a JSON error body {"error":{"code","message"}}.
export function errorMessage (body, fallback) {
  try {
    const parsed = typeof body === 'string' ? JSON.parse (body) : body;
    const message = parsed?.error?.message;
    if (typeof message === 'string' && message !== '')
      return message;
  } catch {
    // not JSON: fall through
  }
  return fallback;
}

export const STAGE_NAMES = {
  uploaded: 'Upload received',
  ocr: 'Reading the spines',
  candidates: 'Guessing titles',
  validation: 'Checking the catalog',
};
