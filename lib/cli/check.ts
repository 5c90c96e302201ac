/**
 * synth's check of what its app wrote (`lint --strict DIR`'s check: the YAML reader, the rules engine, the strict CRD
 * schema, the plan's warnings), and the worker thread that runs it beside an app that runs in synth's own thread.
 */
import * as os from 'os';
import * as path from 'path';
import type { Worker } from 'worker_threads';
import type { Finding } from '../rules/finding';
import { parsePlainYaml } from '../simple-yaml';

// Required on first use (plain `require`, which works compiled and under tsx): synth loads them while its app runs.
const manifests = () => require('../manifests') as typeof import('../manifests');
const lint = () => require('./lint') as typeof import('./lint');
const findingsModule = () => require('../rules/finding') as typeof import('../rules/finding');

/** What synth needs from the check of its app's output: plain data, so that a worker thread can send it. */
export interface OutputCheck {
  /** The app wrote no Kubernetes objects and nothing unreadable (then nothing was checked). */
  readonly empty: boolean;
  /** The findings, files named as `shownDir` plus the path inside the output folder. */
  readonly findings: Finding[];
  /** Each finding as `formatFinding` prints it. */
  readonly formatted: string[];
}

/**
 * Everything the app wrote to `dir`, as one set and in the order `lint DIR` reads it (files sorted by path): the rules
 * engine with missing or later references as errors (the app's objects must be complete), the strict CRD schema and
 * the plan's warnings. This is `lint --strict DIR`'s check, so a synth that passes gives a `lint --strict` that
 * passes; objects across files are checked together (the same Rollout in two charts is a `duplicate-object`).
 */
export function checkOutput(dir: string, shownDir: string): OutputCheck {
  const { objects, errors } = manifests().loadManifests([dir]);
  if (objects.length === 0 && errors.length === 0) return { empty: true, findings: [], formatted: [] };
  const shown = (file: string) => path.join(shownDir, path.relative(dir, file));
  const findings: Finding[] = errors.map((e) => ({ severity: 'error', rule: 'yaml', path: '', message: e.message, file: shown(e.file) }));
  for (const f of lint().lintObjects(objects, true)) findings.push({ ...f, file: f.file === undefined ? undefined : shown(f.file) });
  const { formatFinding } = findingsModule();
  return { empty: false, findings, formatted: findings.map(formatFinding) };
}

/**
 * A small output of the kind apps of this library write: checking it once before the app's output has V8 compile the
 * YAML reader, the rules, the plan and the Rollout's schema validator (0.05-0.1 s of first-call compilation and
 * loading that would otherwise come after the app). Its findings are dropped; it is never written anywhere.
 */
const WARM_UP_YAML = `---
apiVersion: v1
kind: ConfigMap
metadata:
  name: warm-up-conf
data:
  nginx.conf: |
    events {}
---
apiVersion: v1
kind: Service
metadata:
  name: warm-up-stable
spec:
  ports:
    - port: 80
      targetPort: 80
  selector:
    app: warm-up
  type: ClusterIP
---
apiVersion: v1
kind: Service
metadata:
  name: warm-up-canary
spec:
  ports:
    - port: 80
      targetPort: 80
  selector:
    app: warm-up
  type: ClusterIP
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: warm-up
spec:
  replicas: 5
  selector:
    matchLabels:
      app: warm-up
  strategy:
    canary:
      canaryService: warm-up-canary
      stableService: warm-up-stable
      steps:
        - setWeight: 20
        - pause:
            duration: 60
  template:
    metadata:
      annotations:
        prometheus.io/port: "9113"
      labels:
        app: warm-up
    spec:
      containers:
        - image: nginx:1.14.1
          name: nginx
          ports:
            - containerPort: 80
              name: http
          resources:
            limits:
              cpu: 500m
      volumes:
        - configMap:
            name: warm-up-conf
          name: conf
`;

/**
 * Loads the checks and runs them once on WARM_UP_YAML (see there). A failure here is left to the check itself, which
 * loads the same modules and reports as it always did.
 */
export function warmUpChecks(): void {
  try {
    manifests();
    findingsModule();
    // The line reader, as for the app's output (the yaml package is not needed for what cdk8s writes).
    const objects = (parsePlainYaml(WARM_UP_YAML) ?? []).map((d, index) => ({ file: 'warm-up.yaml', index, object: d.value }));
    lint().lintObjects(objects, true);
  } catch {
    // reported by checkOutput()
  }
}

/** Set to 1 (any non-empty value): synth checks its app's output in its own thread, never in a worker thread. */
export const NO_WORKER_VARIABLE = 'NGINX_ROLLOUTS_SYNTH_NO_WORKER';

/**
 * A worker thread that loads the checks and warms them up (`warmUpChecks`) while the app runs in synth's thread, then
 * checks the app's output (`checkOutput`, the same function) when asked. With the app in synth's own process
 * (lib/cli/run-app.ts) nothing else overlaps the app: on two or more CPUs this takes the loading of the checks, the
 * Rollout's schema validator (1.3 MB of generated code) and V8's first compilation of the rules off synth's critical
 * path. The worker adds no behaviour: it sends back plain data, and any failure (it cannot start, throws, exits) makes
 * `check` resolve undefined, and synth then checks in its own thread, which reports a real error as it always did.
 */
export class CheckWorker {
  /**
   * Starts the worker when it can help: NGINX_ROLLOUTS_SYNTH_NO_WORKER unset, and `force` or both this module compiled
   * (under tsx a worker would load tsx and compile the sources again) and a CPU to spare: on a machine whose CPUs are
   * all busy, the worker's own start-up and loading (about 0.1 s of CPU) would slow the app down more than it saves.
   */
  static start(force = false): CheckWorker | undefined {
    if (process.env[NO_WORKER_VARIABLE]) return undefined;
    if (!force && (!__filename.endsWith('.js') || !spareCpu())) return undefined;
    try {
      // bin/load.js in the worker too: the build when it is fresh (with its code cache), else the sources via tsx.
      const root = path.resolve(__dirname, ...(__filename.endsWith('.js') ? ['..', '..', '..'] : ['..', '..']));
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const { Worker: WorkerClass } = require('worker_threads') as typeof import('worker_threads');
      const worker = new WorkerClass(`require(${JSON.stringify(path.join(root, 'bin', 'load.js'))}).load('lib/cli/check-worker');`, {
        eval: true,
        // Not printed: what matters of a failure is what the check in synth's thread then reports.
        stdout: true,
        stderr: true,
      });
      worker.unref(); // never what keeps synth's process alive (see check)
      return new CheckWorker(worker);
    } catch {
      return undefined;
    }
  }

  private failed = false;

  private constructor(private readonly worker: Worker) {
    worker.on('error', () => { this.failed = true; });
    worker.on('exit', () => { this.failed = true; });
  }

  /** `checkOutput(dir, shownDir)` in the worker, or undefined when the worker could not give it. */
  check(dir: string, shownDir: string): Promise<OutputCheck | undefined> {
    return new Promise((resolve) => {
      if (this.failed) return resolve(undefined);
      const done = (result: OutputCheck | undefined) => {
        this.worker.off('message', onMessage);
        this.worker.off('error', onFailure);
        this.worker.off('exit', onFailure);
        this.worker.unref();
        resolve(result);
      };
      const onMessage = (m: { result?: OutputCheck }) => done(m && m.result);
      const onFailure = () => done(undefined);
      this.worker.on('message', onMessage);
      this.worker.on('error', onFailure);
      this.worker.on('exit', onFailure);
      this.worker.ref(); // the answer is what synth waits for
      this.worker.postMessage({ dir, shownDir });
    });
  }

  /** Ends the worker (it holds nothing but loaded code). */
  stop(): void {
    void this.worker.terminate().catch(() => undefined);
  }
}

/** Whether a CPU is free for the worker: the last minute's load average leaves at least half a CPU beside this one. */
function spareCpu(): boolean {
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return cpus >= 2 && os.loadavg()[0] < cpus - 0.5;
}
