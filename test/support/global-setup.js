'use strict';
// jest globalSetup: the run's temporary files go into one folder of its own, which global-teardown.js removes. Tests
// make them through os.tmpdir(), which reads TMPDIR: cdk8s' Testing.app() makes an outdir per App (about 2,500 a run),
// the tests' mkdtemp folders, and the CLI and npm processes they spawn (which inherit it). Before, each run of the
// suite left about 3,000 folders in the system's temp folder. The workers start after this, with this environment.
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-rollouts-tests-'));
  // mkdtemp makes it 0700; the real-process pod test's programs may run as other users, as they did under /tmp.
  fs.chmodSync(dir, 0o755);
  process.env.NGINX_ROLLOUTS_TEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
};
