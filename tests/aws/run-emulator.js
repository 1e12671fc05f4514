// run-emulator.js — starts one AWS emulator on a free loopback port and says where
//
// Usage: node run-emulator.js s3rver|dynalite|sqslite NODE_MODULES_DIR DATA_DIR [BUCKET…]
// Prints "listening on http://127.0.0.1:PORT" once it accepts connections (as bookimg-server
// does), then runs until SIGTERM. s3rver creates the BUCKETs given.
'use strict';

const path = require('path');

const [name, modules, dataDir, ...buckets] = process.argv.slice(2);
const load = (module) => require(path.join(modules, 'node_modules', module));
const announce = (port) => console.log(`listening on http://127.0.0.1:${port}`);

process.on('SIGTERM', () => process.exit(0));

if (name === 's3rver') {
  const S3rver = load('s3rver');
  new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dataDir,
    configureBuckets: buckets.map((bucket) => ({ name: bucket })),
  }).run().then((address) => announce(address.port), (error) => {
    console.error(`s3rver did not start: ${error}`);
    process.exit(1);
  });
} else if (name === 'dynalite') {
  // Tables become ACTIVE at once: the tests create theirs and use them right away.
  const server = load('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server.listen(0, '127.0.0.1', () => announce(server.address().port));
} else if (name === 'sqslite') {
  const server = load('sqslite')({ logger: false });
  server.listen({ host: '127.0.0.1', port: 0 }, (error) => {
    if (error) {
      console.error(`sqslite did not start: ${error}`);
      process.exit(1);
    }
    announce(server.server.address().port);
  });
} else {
  console.error(`unknown emulator ${name}: s3rver, dynalite or sqslite`);
  process.exit(2);
}
