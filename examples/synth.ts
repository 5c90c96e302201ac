import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { EXAMPLES } from './index';

/** `npm run examples`: synthesizes every example into `dist/examples/<name>/`, replacing what was there. */
function main(): void {
  const root = path.join(__dirname, '..', 'dist', 'examples');
  for (const [name, build] of Object.entries(EXAMPLES)) {
    const outdir = path.join(root, name);
    fs.rmSync(outdir, { recursive: true, force: true });
    const app = new App({ outdir });
    build(app);
    app.synth();
    process.stdout.write(`${path.relative(process.cwd(), outdir)}/\n`);
  }
}

try {
  main();
} catch (e) {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
