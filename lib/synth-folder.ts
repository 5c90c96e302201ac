import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Names, YamlOutputType } from 'cdk8s';
import { markedText, marksWrittenFile } from './yaml-output';

/**
 * The documents of the app's charts, as {@link writeSynthFolder} asks for them; each YAML text is what cdk8s'
 * `Yaml.stringify` writes for one document (`\n` for an undefined one).
 */
export interface FolderDocuments {
  /** The YAML of each of `Object.values(chart.toJson())`, in order. */
  chartDocuments(chart: Chart): string[];
  /**
   * Calls `resource` for each defined document of `Object.values(chart.toJson())` (all computed first, as cdk8s
   * does), with its `kind` and `metadata.name` (read in that order: a document without metadata throws cdk8s'
   * TypeError) and its YAML, made when asked for.
   */
  chartResources(chart: Chart, resource: (kind: unknown, name: unknown, yaml: () => string) => void): void;
  /** The chart's ApiObjects in the order cdk8s writes them (its `chartToKube`). */
  chartObjects(chart: Chart): ApiObject[];
  /** The YAML of `obj.toJson()`. */
  objectDocument(obj: ApiObject): string;
}

/** The output types {@link writeSynthFolder} writes as cdk8s does; any other is left to cdk8s' own `synth()`. */
export function writesOutputType(type: unknown): boolean {
  return type === YamlOutputType.FILE_PER_APP || type === YamlOutputType.FILE_PER_CHART
    || type === YamlOutputType.FILE_PER_RESOURCE || type === YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE;
}

/** What cdk8s' `App` holds privately and `synth()` reads. */
interface AppInternals {
  readonly recordConstructMetadata?: boolean;
  writeConstructMetadata(apiObjects: ApiObject[]): void;
}

/**
 * The file writing of cdk8s' `App.synth()` (lib/app.ts, after `validate` and `resolveDependencies`), the same files
 * with the same bytes, each YAML file started with the `---` that our constructs' apps put first
 * (lib/yaml-output.ts): `charts` in the order of `app.charts`, named by cdk8s' chart namers (`0000-` indexed when
 * `hasDependantCharts`), a file per app, per chart or per resource (a later resource of the same file name
 * overwriting an earlier, as cdk8s' do), or a folder per chart; `construct-metadata.json` when the app records it.
 * Writing the marker with the file spares the wrapper's stat of every YAML file in the folder before and after, and
 * its reading and rewriting of each file written. Should anything throw on the way, the files written so far lose the
 * marker again: cdk8s' `synth()` throwing leaves them as it wrote them, the wrapper marks nothing then.
 */
export function writeSynthFolder(app: App, charts: readonly Chart[], hasDependantCharts: boolean, docs: FolderDocuments): void {
  const outdir = app.outdir;
  const ext = app.outputFileExtension;
  const out = new MarkedWriter(outdir);
  try {
    switch (app.yamlOutputType) {
      case YamlOutputType.FILE_PER_APP: {
        const all: string[] = [];
        for (const chart of charts) for (const doc of docs.chartDocuments(chart)) all.push(doc);
        // there is no app name: cdk8s writes `app` and the extension, when the app has a chart
        if (charts.length > 0) out.save(path.join(outdir, `app${ext}`), all.join('---\n'));
        break;
      }
      case YamlOutputType.FILE_PER_CHART: {
        let index = 0;
        for (const chart of charts) {
          const name = chartName(chart, hasDependantCharts ? index++ : -1);
          out.save(path.join(outdir, name + ext), docs.chartDocuments(chart).join('---\n'));
        }
        break;
      }
      case YamlOutputType.FILE_PER_RESOURCE:
        for (const chart of charts) {
          docs.chartResources(chart, (kind, name, yaml) => {
            const file = path.join(outdir, resourceFileName(kind, name) + ext);
            out.save(file, yaml());
          });
        }
        break;
      case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE: {
        let index = 0;
        for (const chart of charts) {
          const name = chartName(chart, hasDependantCharts ? index++ : -1);
          // the ApiObjects themselves (not chart.toJson(), even where a chart overrides it), named by the constructs'
          // kind and metadata name
          const objects = docs.chartObjects(chart);
          const dir = path.join(outdir, name);
          fs.mkdirSync(dir, { recursive: true });
          for (const obj of objects) {
            out.save(path.join(dir, resourceFileName(obj.kind, obj.metadata.name) + ext), docs.objectDocument(obj));
          }
        }
        break;
      }
      default:
        throw new Error(`unexpected yamlOutputType ${app.yamlOutputType}: see writesOutputType`);
    }
    const internals = app as unknown as AppInternals;
    if (internals.recordConstructMetadata) {
      const all: ApiObject[] = [];
      for (const chart of charts) for (const obj of docs.chartObjects(chart)) all.push(obj);
      internals.writeConstructMetadata(all);
    }
  } catch (e) {
    try {
      out.unmark();
    } catch {
      // the write's own error says what went wrong (a full disk fails the unmarking too): it is the one to report
    }
    throw e;
  }
}

/** cdk8s' `SimpleChartNamer`, or its `IndexedChartNamer` (`index` >= 0); the folder namers are the same. */
function chartName(chart: Chart, index: number): string {
  const name = Names.toDnsLabel(chart);
  return index < 0 ? name : `${index.toString().padStart(4, '0')}-${name}`;
}

/** cdk8s' file name of a resource (its regex as written: `Z-_` is a range, so `[`, `\`, `]` and `^` stay). */
function resourceFileName(kind: unknown, name: unknown): string {
  return `${kind}.${name}`.replace(/[^0-9a-zA-Z-_.]/g, '');
}

/**
 * `Yaml.save` with the marker of the YAML files the wrapper would mark, remembering what it added to each file (a
 * later write of the same file replaces the record).
 */
class MarkedWriter {
  /** The files marked: whether a line break was added at the end too. */
  private readonly marked = new Map<string, boolean>();
  private readonly folders = new Map<string, boolean>();

  constructor(private readonly outdir: string) {}

  public save(file: string, text: string): void {
    if (marksWrittenFile(this.outdir, file, this.isFolder)) {
      const marked = markedText(text);
      fs.writeFileSync(file, marked, { encoding: 'utf8' });
      if (marked !== text) this.marked.set(file, !text.endsWith('\n'));
      else this.marked.delete(file);
    } else {
      fs.writeFileSync(file, text, { encoding: 'utf8' });
      this.marked.delete(file);
    }
  }

  /** The files as cdk8s wrote them: without the marker this writer added. */
  public unmark(): void {
    for (const [file, addedBreak] of this.marked) {
      const text = fs.readFileSync(file, 'utf8');
      fs.writeFileSync(file, text.slice(4, addedBreak ? -1 : undefined), { encoding: 'utf8' });
    }
  }

  private readonly isFolder = (dir: string): boolean => {
    let real = this.folders.get(dir);
    if (real === undefined) {
      real = fs.lstatSync(dir, { throwIfNoEntry: false })?.isDirectory() ?? false;
      this.folders.set(dir, real);
    }
    return real;
  };
}
