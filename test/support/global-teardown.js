'use strict';
// jest globalTeardown: removes the run's temporary folder (see global-setup.js). A run killed before this leaves that
// one folder, named nginx-rollouts-tests-*.
const fs = require('fs');

module.exports = async () => {
  const dir = process.env.NGINX_ROLLOUTS_TEST_TMPDIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
};
