import * as fs from 'fs';
import * as path from 'path';

/**
 * Starts every YAML file under `outdir` with a `---` document marker. `cdk8s synth --stdout` prints the files of
 * several charts back to back with nothing between them (cdk8s-cli issue 943), which merges the last object of one
 * chart with the first of the next; with the marker the stream is valid multi-document YAML, and each file still is.
 */
export function markYamlDocumentStarts(outdir: string): void {
  for (const file of yamlFiles(outdir)) {
    const text = fs.readFileSync(file, 'utf8');
    if (!text.startsWith('---\n')) fs.writeFileSync(file, `---\n${text.endsWith('\n') ? text : `${text}\n`}`);
  }
}

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}
