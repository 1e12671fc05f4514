// app.js — the BookImg web page: photos in, books out, over the protocol of docs/protocol.md.
//
// Order of a scan: make a job id, subscribe it on the WebSocket and wait for "subscribed",
// GET /upload-url, PUT the photo. Progress and the result come as pushes; a dropped connection
// is reconnected with backoff, every unfinished job subscribed again and its result fetched
// with GET /results/<jobId>. Jobs live in localStorage, so a reload picks them up again.
//
// Every text that comes from the server or from a file name is set with textContent.
//
// SPDX-License-Identifier: GPL-3.0-or-later

import {
  STAGE_NAMES, backoffDelay, booksToCsv, booksToJson, errorMessage, isNewSeq, mergeBooks,
  newJobId, photoType, safeFileName,
} from './bookimg.js';

const JOBS_KEY = 'bookimg.jobs.v1';
const TOKEN_KEY = 'bookimg.accessToken';
const MAX_PARALLEL_UPLOADS = 2;
const UPLOAD_ATTEMPTS = 3;
// API Gateway drops connections idle for 10 minutes; the embedded server pings on its own.
const PING_INTERVAL_MS = 5 * 60 * 1000;
const TERMINAL = new Set (['complete', 'failed']);

const $ = (id) => document.getElementById (id);

// ---- state ------------------------------------------------------------------------------------

/** @type {Map<string, object>} jobId → job, in the order added */
const jobs = new Map ();
let accessToken = readStorage (TOKEN_KEY);

const socket = {
  ws: null,           // the current WebSocket, or null between attempts
  open: false,        // the current one is open
  attempt: 0,         // failed attempts since the last open (for the backoff)
  retryTimer: 0,
  pingTimer: 0,
  waiters: new Map (), // jobId → [resolve] waiting for "subscribed"
};

// ---- storage ------------------------------------------------------------------------------------

function readStorage (key) {
  try {
    return window.localStorage.getItem (key);
  } catch {
    return null; // storage disabled: the page still works, without surviving a reload
  }
}

function writeStorage (key, value) {
  try {
    if (value === null)
      window.localStorage.removeItem (key);
    else
      window.localStorage.setItem (key, value);
  } catch {
    // full or disabled: keep going with what is in memory
  }
}

const STORED_FIELDS = ['jobId', 'fileName', 'contentType', 'size', 'addedAt', 'status', 'stage',
  'stageState', 'lastSeq', 'uploaded', 'results', 'error'];

function saveJobs () {
  const stored = [...jobs.values ()].map ((job) =>
    Object.fromEntries (STORED_FIELDS.map ((field) => [field, job[field] ?? null])));
  writeStorage (JOBS_KEY, JSON.stringify (stored));
}

function loadJobs () {
  let stored = [];
  try {
    stored = JSON.parse (readStorage (JOBS_KEY) ?? '[]');
  } catch {
    stored = [];
  }
  if (!Array.isArray (stored))
    return;
  for (const saved of stored) {
    if (typeof saved?.jobId !== 'string' || jobs.has (saved.jobId))
      continue;
    const job = { ...saved, file: null, progress: null, view: null };
    // An upload that was running when the page closed cannot go on (the file is gone); the
    // server decides below whether it had arrived.
    if (!TERMINAL.has (job.status))
      job.status = job.uploaded ? 'processing' : 'checking';
    jobs.set (job.jobId, job);
  }
}

// ---- access token --------------------------------------------------------------------------------

let tokenPrompt = null;

// Asks for the token once: every request that got a 401 meanwhile waits for the same answer.
function askForToken (rejected) {
  if (tokenPrompt)
    return tokenPrompt;
  tokenPrompt = new Promise ((resolve) => {
    const dialog = $('token-dialog');
    const form = $('token-form');
    const input = $('token-input');
    const error = $('token-error');

    error.textContent = rejected
      ? 'The server did not accept the saved token. Enter the current one.' : '';
    input.value = '';
    const finish = (token) => {
      form.removeEventListener ('submit', onSubmit);
      $('token-cancel').removeEventListener ('click', onCancel);
      dialog.removeEventListener ('cancel', onCancel);
      if (dialog.open)
        dialog.close ();
      tokenPrompt = null;
      resolve (token);
    };
    const onSubmit = (event) => {
      event.preventDefault ();
      const token = input.value.trim ();
      if (token === '') {
        error.textContent = 'Enter the token, or cancel.';
        input.focus ();
        return;
      }
      accessToken = token;
      writeStorage (TOKEN_KEY, token);
      finish (token);
    };
    const onCancel = (event) => {
      event.preventDefault ();
      setConnection ('offline', 'Without the access token this page cannot reach the server. '
                     + 'Reload the page to enter it.');
      finish (null);
    };
    form.addEventListener ('submit', onSubmit);
    $('token-cancel').addEventListener ('click', onCancel);
    dialog.addEventListener ('cancel', onCancel);
    dialog.showModal ();
    input.focus ();
  });
  return tokenPrompt;
}

// fetch() with the token; a 401 asks for it (once) and tries again.
async function api (path, options = {}) {
  for (let attempt = 0; ; attempt++) {
    const headers = new Headers (options.headers ?? {});
    if (accessToken)
      headers.set ('Authorization', `Bearer ${accessToken}`);
    const response = await fetch (path, { ...options, headers, cache: 'no-store' });
    if (response.status !== 401 || attempt >= 2)
      return response;
    const hadToken = Boolean (accessToken);
    if (hadToken) {
      accessToken = null;
      writeStorage (TOKEN_KEY, null);
    }
    if (!(await askForToken (hadToken)))
      return response;
  }
}

// Does the API answer us? A WebSocket handshake refused with 401 looks like any other failure
// to the page, so this asks with a small request that needs the token and otherwise succeeds
// (a 4xx answer would show up as an error in the browser's console).
async function checkAccess () {
  try {
    const response = await api ('/catalog/search?q=bookimg&limit=1');
    return response.status !== 401;
  } catch {
    return true; // unreachable: the backoff handles that
  }
}

// ---- WebSocket ----------------------------------------------------------------------------------

function websocketUrl () {
  const url = new URL ('/ws', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (accessToken)
    url.searchParams.set ('token', accessToken);
  return url.href;
}

function send (message) {
  if (socket.open)
    socket.ws.send (JSON.stringify (message));
}

function connect () {
  window.clearTimeout (socket.retryTimer);
  socket.retryTimer = 0;
  if (socket.ws)
    return;
  setConnection ('connecting', socket.attempt === 0 ? 'Connecting to the server…'
    : 'Connecting to the server again…');

  const ws = new WebSocket (websocketUrl ());
  socket.ws = ws;
  ws.addEventListener ('open', () => {
    socket.open = true;
    socket.attempt = 0;
    setConnection ('online', 'Connected. Results arrive as soon as they are ready.');
    socket.pingTimer = window.setInterval (() => send ({ action: 'ping' }), PING_INTERVAL_MS);
    resumeJobs ();
  });
  ws.addEventListener ('message', (event) => {
    let message;
    try {
      message = JSON.parse (event.data);
    } catch {
      return;
    }
    handleMessage (message);
  });
  ws.addEventListener ('close', async () => {
    const wasOpen = socket.open;
    socket.ws = null;
    socket.open = false;
    window.clearInterval (socket.pingTimer);
    if (!wasOpen && !(await checkAccess ())) {
      setConnection ('offline', 'The server needs its access token. Reload the page to enter it.');
      return;
    }
    scheduleReconnect ();
  });
}

function scheduleReconnect () {
  const delay = backoffDelay (socket.attempt);
  socket.attempt++;
  setConnection ('offline', `Connection lost. Trying again in ${Math.ceil (delay / 1000)} s…`);
  socket.retryTimer = window.setTimeout (connect, delay);
}

// Waits until the job is subscribed on the current connection (sent now or on the next open).
function subscribe (jobId) {
  return new Promise ((resolve) => {
    const list = socket.waiters.get (jobId) ?? [];
    list.push (resolve);
    socket.waiters.set (jobId, list);
    send ({ action: 'subscribe', jobId });
  });
}

// After (re)connecting: subscribe every unfinished job again, and ask for the result of those
// the server has, in case they finished while we were away (the subscribe answers that too;
// GET /results is the fallback the protocol names).
function resumeJobs () {
  for (const job of jobs.values ()) {
    if (TERMINAL.has (job.status))
      continue;
    renderJob (job);
    send ({ action: 'subscribe', jobId: job.jobId });
    if (job.uploaded || !job.file)
      fetchResult (job);
  }
}

function handleMessage (message) {
  const job = typeof message.jobId === 'string' ? jobs.get (message.jobId) : undefined;

  switch (message.type) {
  case 'subscribed': {
    const waiting = socket.waiters.get (message.jobId) ?? [];
    socket.waiters.delete (message.jobId);
    waiting.forEach ((resolve) => resolve ());
    return;
  }
  case 'error':
    announce (`The server refused a message: ${message.message ?? message.code ?? 'no reason given'}`);
    return;
  case 'jobProgress':
  case 'processingComplete':
  case 'processingFailed':
    break;
  default:
    return; // pong, unsubscribed
  }

  if (!job || !isNewSeq (job.lastSeq, message.seq))
    return; // not ours, or a duplicate push
  job.lastSeq = message.seq;

  if (message.type === 'jobProgress')
    applyProgress (job, message.stage, message.state);
  else if (message.type === 'processingComplete')
    applyResults (job, message.results);
  else
    applyFailure (job, message.error);
}

// ---- jobs ---------------------------------------------------------------------------------------

function applyProgress (job, stage, state) {
  if (TERMINAL.has (job.status))
    return;
  job.uploaded = true; // the server has the photo, whatever the PUT's answer says yet
  job.status = 'processing';
  job.stage = stage;
  job.stageState = state;
  saveJobs ();
  renderJob (job);
}

function applyResults (job, results) {
  if (TERMINAL.has (job.status))
    return;
  if (results?.status === 'failed') {
    applyFailure (job, results.error);
    return;
  }
  job.status = 'complete';
  job.uploaded = true;
  job.results = {
    books: Array.isArray (results?.books) ? results.books : [],
    unresolved: Array.isArray (results?.unresolved) ? results.unresolved : [],
    validatedBooks: results?.validatedBooks ?? null,
    totalCandidates: results?.totalCandidates ?? null,
  };
  finishJob (job);
  const count = job.results.books.length;
  announce (`${job.fileName}: ${count === 1 ? '1 book' : `${count} books`} found.`);
}

function applyFailure (job, error) {
  failJob (job, error?.message || 'The server could not read this photo.');
}

function failJob (job, message) {
  if (TERMINAL.has (job.status))
    return;
  job.status = 'failed';
  job.error = message;
  finishJob (job);
  announce (`${job.fileName}: ${message}`);
}

function finishJob (job) {
  send ({ action: 'unsubscribe', jobId: job.jobId });
  saveJobs ();
  renderJob (job);
  renderBooks ();
}

async function fetchResult (job) {
  let response;
  try {
    response = await api (`/results/${encodeURIComponent (job.jobId)}`);
  } catch {
    return; // offline: the next connection tries again
  }
  if (TERMINAL.has (job.status))
    return;
  if (response.status === 200) {
    applyResults (job, await response.json ().catch (() => ({})));
  } else if (response.status === 202) {
    const pending = await response.json ().catch (() => ({}));
    if (pending.stage)
      applyProgress (job, pending.stage, 'started');
  } else if (response.status === 404 && !job.file) {
    failJob (job, 'The upload did not finish before the page was closed; add the photo again.');
  } else if (response.status === 400) {
    failJob (job, errorMessage (await response.text (), 'The server does not know this job.'));
  }
}

// Uploads wait for a free slot, so that a drop of fifty photos does not start fifty PUTs.
const uploadSlots = {
  free: MAX_PARALLEL_UPLOADS,
  queue: [],
  acquire () {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve ();
    }
    return new Promise ((resolve) => this.queue.push (resolve));
  },
  release () {
    const next = this.queue.shift ();
    if (next)
      next ();
    else
      this.free++;
  },
};

function addPhotos (files) {
  for (const file of files) {
    const fileName = safeFileName (file.name);
    const job = {
      jobId: newJobId (),
      fileName,
      contentType: photoType (file.name, file.type),
      size: file.size,
      addedAt: new Date ().toISOString (),
      status: 'waiting',
      stage: null,
      stageState: null,
      lastSeq: null,
      uploaded: false,
      results: null,
      error: null,
      file,
      progress: null,
      view: null,
    };
    jobs.set (job.jobId, job);
    saveJobs ();
    renderJob (job);
    startJob (job);
  }
  renderBooks ();
}

async function startJob (job) {
  await subscribe (job.jobId);
  if (TERMINAL.has (job.status))
    return;
  await uploadSlots.acquire ();
  try {
    job.status = 'uploading';
    job.progress = 0;
    renderJob (job);
    const query = new URLSearchParams ({
      filename: `${job.jobId}/${job.fileName}`,
      contentType: job.contentType,
    });
    const response = await api (`/upload-url?${query}`);
    const body = await response.text ();
    if (!response.ok)
      throw new Error (errorMessage (body, `The server gave no upload address (HTTP ${response.status}).`));
    await putPhoto (job, body.trim ());
    job.progress = 1;
    if (!TERMINAL.has (job.status)) {
      job.uploaded = true;
      job.status = 'processing';
      saveJobs ();
      renderJob (job);
    }
  } catch (error) {
    failJob (job, error.message);
  } finally {
    uploadSlots.release ();
  }
}

// PUT with XMLHttpRequest: fetch() reports no upload progress. A connection that breaks is
// tried again (the signed URL stays valid for 15 minutes); an answer from the server is final.
async function putPhoto (job, url) {
  for (let attempt = 1; ; attempt++) {
    try {
      await putOnce (job, url);
      return;
    } catch (error) {
      if (!error.network || attempt >= UPLOAD_ATTEMPTS)
        throw error;
      await new Promise ((resolve) => window.setTimeout (resolve, backoffDelay (attempt - 1)));
    }
  }
}

function putOnce (job, url) {
  return new Promise ((resolve, reject) => {
    const request = new XMLHttpRequest ();
    request.open ('PUT', url);
    request.setRequestHeader ('Content-Type', job.contentType);
    request.upload.addEventListener ('progress', (event) => {
      if (event.lengthComputable) {
        job.progress = event.loaded / event.total;
        renderProgress (job);
      }
    });
    request.addEventListener ('load', () => {
      if (request.status === 200)
        resolve ();
      else
        reject (new Error (errorMessage (request.responseText,
          `The upload was refused (HTTP ${request.status}).`)));
    });
    const broken = () => {
      const error = new Error ('The upload was cut off. Check the connection and add the photo again.');
      error.network = true;
      reject (error);
    };
    request.addEventListener ('error', broken);
    request.addEventListener ('abort', broken);
    request.addEventListener ('timeout', broken);
    request.send (job.file);
  });
}

function removeJob (job) {
  send ({ action: 'unsubscribe', jobId: job.jobId });
  if (job.view?.thumbnailUrl)
    URL.revokeObjectURL (job.view.thumbnailUrl);
  job.view?.root.remove ();
  jobs.delete (job.jobId);
  saveJobs ();
  renderBooks ();
}

// ---- rendering ------------------------------------------------------------------------------------

function element (tag, className, text) {
  const node = document.createElement (tag);
  if (className)
    node.className = className;
  if (text !== undefined)
    node.textContent = text;
  return node;
}

function setConnection (state, text) {
  const status = $('connection-status');
  status.dataset.state = state;
  status.textContent = text;
}

function announce (text) {
  const announcer = $('announcer');
  announcer.textContent = '';
  // A fresh node, a moment later, is read out even when the text repeats.
  window.setTimeout (() => { announcer.textContent = text; }, 50);
}

function statusText (job) {
  switch (job.status) {
  case 'waiting': return socket.open ? 'Preparing the upload…' : 'Waiting for the connection…';
  case 'checking': return 'Asking the server about this photo…';
  case 'uploading': return `Uploading… ${Math.round ((job.progress ?? 0) * 100)} %`;
  case 'processing': {
    if (!job.stage)
      return 'Uploaded. Waiting for the server to start…';
    const name = STAGE_NAMES[job.stage] ?? job.stage;
    return job.stageState === 'finished' ? `${name}: done` : `${name}…`;
  }
  case 'complete': {
    const count = job.results?.books.length ?? 0;
    return count === 1 ? 'Done: 1 book' : `Done: ${count} books`;
  }
  case 'failed': return 'Failed';
  default: return job.status;
  }
}

function createJobView (job) {
  const root = element ('li', 'job');
  const headingId = `job-name-${job.jobId}`;
  root.setAttribute ('aria-labelledby', headingId);

  const thumbnail = element ('div', 'thumbnail');
  let thumbnailUrl = null;
  if (job.file) {
    thumbnailUrl = URL.createObjectURL (job.file);
    const image = element ('img');
    image.alt = '';
    image.src = thumbnailUrl;
    thumbnail.append (image);
  }

  const body = element ('div', 'job-body');
  const heading = element ('h3', 'job-name', job.fileName);
  heading.id = headingId;
  const status = element ('p', 'job-status');
  const progress = element ('progress', 'job-progress');
  progress.max = 100;
  progress.setAttribute ('aria-label', `Upload of ${job.fileName}`);
  const error = element ('p', 'job-error');
  const books = element ('div', 'job-books');
  const unresolved = element ('div', 'job-unresolved');
  const remove = element ('button', 'job-remove', 'Remove');
  remove.type = 'button';
  remove.setAttribute ('aria-label', `Remove ${job.fileName}`);
  remove.addEventListener ('click', () => removeJob (job));

  body.append (heading, status, progress, error, books, unresolved);
  root.append (thumbnail, body, remove);
  $('job-list').append (root);
  return { root, status, progress, error, books, unresolved, remove, thumbnailUrl, rendered: null };
}

function renderProgress (job) {
  if (!job.view)
    return;
  const uploading = job.status === 'uploading';
  job.view.progress.hidden = !uploading;
  job.view.progress.value = Math.round ((job.progress ?? 0) * 100);
  job.view.status.textContent = statusText (job);
}

function renderJob (job) {
  if (!job.view)
    job.view = createJobView (job);
  const view = job.view;

  view.root.dataset.status = job.status;
  view.root.dataset.jobId = job.jobId;
  view.root.dataset.stage = job.stage ? `${job.stage}:${job.stageState}` : '';
  renderProgress (job);
  view.error.textContent = job.error ?? '';
  view.error.hidden = !job.error;
  view.remove.hidden = !TERMINAL.has (job.status);

  // The lists change once, when the job ends.
  if (view.rendered !== job.status) {
    view.rendered = job.status;
    view.books.replaceChildren ();
    view.unresolved.replaceChildren ();
    if (job.status === 'complete')
      renderJobResults (job, view);
  }
  $('photos-empty').hidden = jobs.size > 0;
  $('clear-button').disabled = ![...jobs.values ()].some ((j) => TERMINAL.has (j.status));
}

function bookLine (book) {
  const item = element ('li');
  item.append (element ('cite', 'book-title', book.title ?? ''));
  const details = [];
  if (Array.isArray (book.authors) && book.authors.length > 0)
    details.push (book.authors.join (', '));
  if (book.year)
    details.push (String (book.year));
  if (details.length > 0)
    item.append (document.createTextNode (` — ${details.join (', ')}`));
  return item;
}

function renderJobResults (job, view) {
  const { books, unresolved } = job.results;
  if (books.length > 0) {
    view.books.append (element ('h4', null, books.length === 1 ? '1 book' : `${books.length} books`));
    const list = element ('ul', 'book-list');
    books.forEach ((book) => list.append (bookLine (book)));
    view.books.append (list);
  } else {
    view.books.append (element ('p', 'empty', 'No book was recognised on this photo.'));
  }
  if (unresolved.length > 0) {
    view.unresolved.append (element ('h4', null, `Not recognised (${unresolved.length})`));
    const list = element ('ul', 'spine-list');
    for (const spine of unresolved) {
      const item = element ('li');
      item.append (element ('q', null, spine.text ?? ''));
      list.append (item);
    }
    view.unresolved.append (list);
  }
}

function finishedJobs () {
  return [...jobs.values ()].filter ((job) => job.status === 'complete');
}

function renderBooks () {
  const merged = mergeBooks (finishedJobs ());
  const rows = merged.map (({ book, sightings }) => {
    const row = element ('tr');
    row.append (element ('td', 'book-title', book.title ?? ''));
    row.append (element ('td', null, (book.authors ?? []).join (', ')));
    row.append (element ('td', 'year', book.year ? String (book.year) : ''));
    row.append (element ('td', 'isbn', book.isbn13 ?? ''));
    row.append (element ('td', null, [...new Set (sightings.map ((s) => s.photo))].join (', ')));
    return row;
  });
  $('books-table').tBodies[0].replaceChildren (...rows);
  $('books-caption').textContent = merged.length === 0 ? 'No books yet.'
    : `${merged.length === 1 ? '1 book' : `${merged.length} books`}, each listed once, from `
      + `${finishedJobs ().length} photo${finishedJobs ().length === 1 ? '' : 's'}.`;
  $('download-csv').disabled = merged.length === 0;
  $('download-json').disabled = merged.length === 0;
  $('photos-empty').hidden = jobs.size > 0;
}

// ---- downloads ----------------------------------------------------------------------------------

function download (fileName, type, text) {
  const url = URL.createObjectURL (new Blob ([text], { type }));
  const link = element ('a');
  link.href = url;
  link.download = fileName;
  document.body.append (link);
  link.click ();
  link.remove ();
  window.setTimeout (() => URL.revokeObjectURL (url), 10000);
}

function downloadName (extension) {
  return `bookimg-books-${new Date ().toISOString ().slice (0, 10)}.${extension}`;
}

// ---- start --------------------------------------------------------------------------------------

function setUpDropZone () {
  const zone = $('drop-zone');
  const input = $('photo-input');

  input.addEventListener ('change', () => {
    addPhotos ([...input.files]);
    input.value = '';
  });
  zone.addEventListener ('dragover', (event) => {
    event.preventDefault ();
    zone.classList.add ('dragging');
  });
  zone.addEventListener ('dragleave', () => zone.classList.remove ('dragging'));
  zone.addEventListener ('drop', (event) => {
    event.preventDefault ();
    zone.classList.remove ('dragging');
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length > 0)
      addPhotos (files);
  });
  // A photo dropped next to the zone must not navigate away from the page (and its jobs).
  window.addEventListener ('dragover', (event) => event.preventDefault ());
  window.addEventListener ('drop', (event) => event.preventDefault ());
}

function start () {
  setUpDropZone ();
  $('download-csv').addEventListener ('click', () =>
    download (downloadName ('csv'), 'text/csv;charset=utf-8',
              booksToCsv (mergeBooks (finishedJobs ()))));
  $('download-json').addEventListener ('click', () =>
    download (downloadName ('json'), 'application/json',
              booksToJson (mergeBooks (finishedJobs ()), [...jobs.values ()])));
  $('clear-button').addEventListener ('click', () => {
    [...jobs.values ()].filter ((job) => TERMINAL.has (job.status)).forEach (removeJob);
    $('photo-input').focus ();
  });

  loadJobs ();
  for (const job of jobs.values ())
    renderJob (job);
  renderBooks ();
  checkAccess ().then ((allowed) => {
    if (allowed)
      connect ();
    else
      setConnection ('offline', 'The server needs its access token. Reload the page to enter it.');
  });
}

start ();
