/**
 * synth's check of what its app wrote (`lint --strict DIR`'s check: the YAML reader, the rules engine, the strict CRD
 * schema, the plan's warnings), and its warm-up while an app runs as a child process.
 *
 * (Checking in a worker thread beside an app that runs in synth's own process was measured and dropped: on this
 * project's 2-CPU machine, with no other load, the check after the app took about 12 ms less, but the app itself
 * took longer by more than that while the worker started and loaded the checks: the whole synth 0.36 s against
 * 0.33 s, medians of 6.)
 */
import * as path from 'path';
import type { Finding } from '../rules/finding';
import { parsePlainYaml } from '../simple-yaml';

// Required on first use (plain `require`, which works compiled and under tsx): synth loads them while its app runs.
const manifests = () => require('../manifests') as typeof import('../manifests');
const lint = () => require('./lint') as typeof import('./lint');
const findingsModule = () => require('../rules/finding') as typeof import('../rules/finding');

/** What synth needs from the check of its app's output. */
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
