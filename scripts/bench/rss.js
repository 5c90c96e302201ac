'use strict';
// Preloaded (`node -r`) into a measured child: writes its peak resident set size in KiB to BENCH_RSS_FILE at exit.
const fs = require('fs');

process.on('exit', () => {
  const file = process.env.BENCH_RSS_FILE;
  if (file) fs.writeFileSync(file, String(process.resourceUsage().maxRSS));
});
