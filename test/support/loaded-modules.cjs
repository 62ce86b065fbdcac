// Preloaded with `node --require` by tests: when the process exits it writes the files its require.cache holds to
// $LOADED_MODULES_DIR/<pid>.json, so a test can tell what a real process (not jest's module registry) loaded.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.LOADED_MODULES_DIR;
if (dir) process.on('exit', () => writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify(Object.keys(require.cache))));
