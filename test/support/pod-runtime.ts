// Runs a synthesized pod template with real programs from Debian's packages, as the kubelet would run the containers,
// inside a private network (and PID) namespace. Used by test/nginx/real-pod.test.ts; the pure parts (nginx.conf
// rewriting for the host, exporter flag translation, successCondition evaluation) are tested there on their own.
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The Debian packages the real-process pod test runs, and the programs it needs from each. */
export const POD_TEST_PACKAGES = ['nginx', 'prometheus-nginx-exporter', 'prometheus', 'iproute2'];
export const INSTALL_HINT = 'install the packages with `sudo npm run pod-test:setup` ' +
  `(apt-get update && apt-get install -y --no-install-recommends ${POD_TEST_PACKAGES.join(' ')})`;

const PROGRAMS: Array<[string, string]> = [
  ['nginx', 'nginx'],
  ['prometheus-nginx-exporter', 'prometheus-nginx-exporter'],
  ['prometheus', 'prometheus'],
  ['ip', 'iproute2'],
  ['unshare', 'util-linux'],
];

/** The absolute path of `program`, looked up in PATH and the sbin folders (root's PATH is not always the test's). */
export function findProgram(program: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, program);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch { /* not here */ }
  }
  return undefined;
}

/** Why the test cannot run here (missing programs, not root), or an empty list. */
export function missingPrerequisites(): string[] {
  const missing: string[] = [];
  if (process.platform !== 'linux') missing.push(`Linux (this is ${process.platform})`);
  if (process.getuid?.() !== 0) missing.push('root (unshare --net and nginx binding port 80 need it)');
  for (const [program, pkg] of PROGRAMS) if (!findProgram(program)) missing.push(`${program} (Debian package ${pkg})`);
  return missing;
}

// ---------------------------------------------------------------------------------------------------------------------
// nginx.conf on the host

/**
 * The official nginx image is built with `--prefix=/etc/nginx`; Debian's nginx with `--prefix=/usr/share/nginx`. The
 * test runs Debian's nginx with `-p` set to the image's prefix, so relative paths in a ConfigMap's nginx.conf
 * (`root html;`) resolve where the image resolves them.
 */
export const IMAGE_NGINX_PREFIX = '/etc/nginx/';

/** The file the nginx image reads, where the pod must mount the ConfigMap's nginx.conf. */
export const IMAGE_NGINX_CONF_PATH = '/etc/nginx/nginx.conf';

/**
 * The ConfigMap's nginx.conf as the host must run it. Only what must differ on the host changes, each for one reason:
 * - `user nginx;` becomes `user www-data;`: the image's worker user `nginx` does not exist on Debian, which has
 *   `www-data` for the same purpose (nginx fails with `getpwnam("nginx") failed` otherwise).
 * - `error_log` / `access_log` paths under `/var/log/nginx/` move to `dir`: the image links those files to the
 *   container's stdout/stderr; on the host they would be the host's own logs.
 * - the `http {` block gets `access_log <dir>/access.log;` first, for the same reason (the compiled-in default is
 *   `/var/log/nginx/access.log` in both builds; nginx allows several `access_log` directives on one level, and a
 *   location's own `access_log off;` still wins).
 * - a `pid` directive moves to `dir` (without one, the test passes `-g 'pid ...;'`).
 * Everything else (listen ports, locations, `root`, `allow`/`deny`) is run exactly as written.
 */
export function hostNginxConf(conf: string, dir: string): string {
  return conf
    .replace(/^(\s*)user\s+nginx(\s+nginx)?\s*;/m, '$1user www-data;')
    .replace(/^(\s*)(error_log|access_log)\s+\/var\/log\/nginx\/([^\s;]+)/gm, (_, indent, directive, file) => `${indent}${directive} ${path.join(dir, file)}`)
    .replace(/^(\s*)pid\s+[^;]+;/m, `$1pid ${path.join(dir, 'nginx.pid')};`)
    .replace(/^(\s*)http\s*\{[ \t]*$/m, (line, indent) => `${line}\n${indent}  access_log ${path.join(dir, 'access.log')};`);
}

// ---------------------------------------------------------------------------------------------------------------------
// The exporter's flags on Debian's build

/** Flags of the exporter 0.11.0 (Go's `flag` package, which takes `-flag` and `--flag` alike). */
const EXPORTER_011_FLAGS = new Set([
  'nginx.plus', 'nginx.scrape-uri', 'nginx.ssl-verify', 'nginx.ssl-ca-cert', 'nginx.ssl-client-cert',
  'nginx.ssl-client-key', 'nginx.timeout', 'nginx.retries', 'nginx.retry-interval', 'web.listen-address',
  'web.telemetry-path', 'web.secured-metrics', 'web.ssl-server-cert', 'web.ssl-server-key', 'prometheus.const-labels',
  'version',
]);
const EXPORTER_011_BOOLEANS = new Set(['nginx.plus', 'nginx.ssl-verify', 'web.secured-metrics', 'version']);

/**
 * A container's exporter args as the installed exporter takes them. A 1.x exporter takes them unchanged. Debian 12
 * ships 0.11.0, whose Go `flag` parser accepts both `-nginx.scrape-uri=...` and `--nginx.scrape-uri=...`, so every flag
 * 0.11 knows passes unchanged too. Only 1.x spellings 0.11 cannot parse are translated: kingpin's `--no-<bool>` becomes
 * `-<bool>=false`, and repeated `--prometheus.const-label=k=v` becomes one `-prometheus.const-labels=k=v,...`. A 1.x
 * flag with no 0.11 equivalent (`--web.config.file`, `--log.level`, ...) is an error, never dropped.
 */
export function exporterArgsFor(version: string, args: readonly string[]): string[] {
  if (!/^0\./.test(version)) return [...args];
  const out: string[] = [];
  const constLabels: string[] = [];
  for (const arg of args) {
    const m = /^--?([a-z][\w.-]*)(?:=(.*))?$/s.exec(arg);
    if (!m) { out.push(arg); continue; } // a flag's value given as the next argument
    const [, name, value] = m;
    if (EXPORTER_011_FLAGS.has(name)) out.push(arg);
    else if (name === 'prometheus.const-label' && value !== undefined) constLabels.push(value);
    else if (name.startsWith('no-') && EXPORTER_011_BOOLEANS.has(name.slice(3)) && value === undefined) out.push(`-${name.slice(3)}=false`);
    else throw new Error(`exporter arg '${arg}' has no equivalent in the installed exporter ${version}; install a 1.x exporter to run it`);
  }
  if (constLabels.length) out.push(`-prometheus.const-labels=${constLabels.join(',')}`);
  return out;
}

/** The installed exporter's version, from its own `-version` output. */
export function exporterVersion(binary: string): string {
  const r = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 5000 });
  const m = /version[= ]v?(\d+\.\d+\.\d+)/.exec(`${r.stdout}${r.stderr}`);
  if (!m) throw new Error(`cannot read the version of ${binary}: ${r.stdout}${r.stderr}`);
  return m[1];
}

// ---------------------------------------------------------------------------------------------------------------------
// Argo Rollouts' successCondition

/**
 * Evaluates a successCondition over a Prometheus vector result the way Argo Rollouts does (`result` is the vector's
 * sample values, in order), for the expressions the AnalysisTemplates use: comparisons of `len(result)` or
 * `result[i]` with a number, joined by `&&` (short-circuit, left to right). `result[i]` out of range is an error, as
 * in Argo (the measurement errors instead of succeeding). Anything else throws, so a new template expression cannot
 * pass unevaluated: extend this evaluator, with its tests, first.
 */
export function evaluateSuccessCondition(condition: string, result: readonly number[]): boolean {
  const terms = condition.split('&&').map((t) => t.trim());
  for (const term of terms) {
    const m = /^(len\(result\)|result\[(\d+)\])\s*(==|!=|>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)$/.exec(term);
    if (!m) throw new Error(`successCondition '${condition}': '${term}' is not an expression this evaluator knows`);
    const [, operand, index, op, literal] = m;
    let left: number;
    if (operand === 'len(result)') {
      left = result.length;
    } else {
      const i = Number(index);
      if (i >= result.length) throw new Error(`successCondition '${condition}': result[${i}] is out of range (len ${result.length})`);
      left = result[i];
    }
    const right = Number(literal);
    const holds = { '==': left === right, '!=': left !== right, '>=': left >= right, '<=': left <= right, '>': left > right, '<': left < right }[op]!;
    if (!holds) return false;
  }
  return true;
}

/** `query` with every `{{args.NAME}}` replaced from `args`; an argument without a value is an error. */
export function substituteArgs(query: string, args: Record<string, string>): string {
  return query.replace(/\{\{\s*args\.([\w-]+)\s*\}\}/g, (_, name: string) => {
    if (!(name in args)) throw new Error(`query '${query}' uses args.${name}, which has no value`);
    return args[name];
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// The namespace

interface Reply { id: number; result?: any; error?: string; ready?: boolean }

/** A private network and PID namespace with `lo` up, driven through test/support/netns-agent.js. */
export class PodNamespace {
  /** Starts the namespace; fails within `timeoutMs`. */
  public static async start(timeoutMs = 5000): Promise<PodNamespace> {
    const child = spawn(findProgram('unshare')!, ['--net', '--pid', '--fork', '--kill-child', process.execPath, path.join(__dirname, 'netns-agent.js')], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` },
    });
    const ns = new PodNamespace(child);
    await ns.reply(0, timeoutMs);
    return ns;
  }

  private nextId = 1;
  private buffer = '';
  private stderr = '';
  private readonly waiting = new Map<number, (r: Reply) => void>();
  private readonly early = new Map<number, Reply>();

  private constructor(private readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      this.buffer += chunk;
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const reply = JSON.parse(this.buffer.slice(0, nl)) as Reply;
        this.buffer = this.buffer.slice(nl + 1);
        const resolve = this.waiting.get(reply.id);
        if (resolve) { this.waiting.delete(reply.id); resolve(reply); } else this.early.set(reply.id, reply);
      }
    });
    child.stderr!.on('data', (chunk) => { this.stderr += String(chunk); });
    child.on('exit', (code, signal) => {
      for (const [id, resolve] of this.waiting) resolve({ id, error: `the namespace agent exited (${code ?? signal}): ${this.stderr}` });
      this.waiting.clear();
    });
  }

  private reply(id: number, timeoutMs: number): Promise<any> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.waiting.delete(id); reject(new Error(`namespace agent: no reply to request ${id} in ${timeoutMs} ms`)); }, timeoutMs);
      const done = (r: Reply) => {
        clearTimeout(timer);
        if (r.error) reject(new Error(r.error)); else resolve(r.result ?? r);
      };
      const early = this.early.get(id);
      if (early) { this.early.delete(id); done(early); } else this.waiting.set(id, done);
    });
  }

  /** Sends one request to the agent and waits at most `timeoutMs` for its reply. */
  public request(op: string, body: Record<string, unknown>, timeoutMs = 5000): Promise<any> {
    const id = this.nextId++;
    this.child.stdin!.write(`${JSON.stringify({ id, op, ...body })}\n`);
    return this.reply(id, timeoutMs);
  }

  /** Starts a program in the namespace, its output appended to `log`. */
  public start(name: string, cmd: string, args: string[], log: string, user?: { uid: number; gid: number }): Promise<{ pid: number }> {
    return this.request('start', { name, cmd, args, log, ...user });
  }

  /** Runs a program to completion (killed after `timeoutMs`). */
  public run(cmd: string, args: string[], timeoutMs = 5000): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
    return this.request('run', { cmd, args, timeoutMs }, timeoutMs + 1000);
  }

  /** One HTTP GET from inside the namespace (optionally from a given local address). */
  public http(url: string, options: { headers?: Record<string, string>; timeoutMs?: number; localAddress?: string } = {}):
  Promise<{ status?: number; body?: string; error?: string }> {
    const timeoutMs = options.timeoutMs ?? 1000;
    return this.request('http', { url, headers: options.headers, timeoutMs, localAddress: options.localAddress }, timeoutMs + 1000);
  }

  /** Opens (and closes) one TCP connection from inside the namespace. */
  public tcp(host: string, port: number, timeoutMs = 1000): Promise<{ connected?: boolean; error?: string }> {
    return this.request('tcp', { host, port, timeoutMs }, timeoutMs + 1000);
  }

  /** How the programs started so far have exited (null: still running). */
  public exits(): Promise<Record<string, { code: number | null; signal: string | null } | null>> {
    return this.request('exits', {});
  }

  /** Ends the namespace: the agent kills its programs, and the kernel whatever is left in the PID namespace. */
  public async stop(timeoutMs = 3000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}

/** Polls `check` every 100 ms until it returns a value other than undefined; fails after `timeoutMs` with `what`. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (e) { last = e; }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Probes, as the kubelet runs them

/** The kubelet's User-Agent on HTTP probes (`kube-probe/<major>.<minor>`). */
const KUBE_PROBE_HEADERS = { 'User-Agent': 'kube-probe/1.33', 'Accept': '*/*' };

/** A probe's port: a number, or the name of one of the container's ports. */
export function probePort(container: any, port: number | string): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const named = (container.ports ?? []).find((p: any) => p.name === port);
  if (!named) throw new Error(`container '${container.name}': probe port '${port}' names no container port`);
  return named.containerPort;
}

/**
 * Runs one probe once, the way the kubelet does against the pod's IP: `tcpSocket` passes when a connection opens within
 * `timeoutSeconds` (default 1); `httpGet` sends a GET with the kubelet's headers plus `httpHeaders` to
 * `scheme://(host or pod IP):port/path` and passes on a status in 200..399 within `timeoutSeconds`. The kubelet follows
 * redirects; this does not, and fails on 3xx instead (stricter, never a false pass). `exec` and `grpc` probes are not
 * modelled and fail. Returns a description of the failure, or undefined when it passes.
 */
export async function runProbe(ns: PodNamespace, container: any, probe: any, podIP: string): Promise<string | undefined> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.tcpSocket) {
    const port = probePort(container, probe.tcpSocket.port);
    const r = await ns.tcp(probe.tcpSocket.host ?? podIP, port, timeoutMs);
    return r.connected ? undefined : `tcpSocket :${port}: ${r.error}`;
  }
  if (probe.httpGet) {
    const g = probe.httpGet;
    if ((g.scheme ?? 'HTTP') !== 'HTTP') return `httpGet scheme ${g.scheme} is not modelled`;
    const port = probePort(container, g.port);
    const headers: Record<string, string> = { ...KUBE_PROBE_HEADERS };
    for (const h of g.httpHeaders ?? []) headers[h.name] = h.value;
    const url = `http://${g.host ?? podIP}:${port}${g.path ?? '/'}`;
    const r = await ns.http(url, { headers, timeoutMs });
    if (r.error) return `httpGet ${url}: ${r.error}`;
    if (r.status! >= 300 && r.status! < 400) return `httpGet ${url}: redirect ${r.status} (not followed here)`;
    return r.status! >= 200 && r.status! < 400 ? undefined : `httpGet ${url}: status ${r.status}`;
  }
  return `probe ${JSON.stringify(probe)}: only tcpSocket and httpGet are modelled`;
}

// ---------------------------------------------------------------------------------------------------------------------
// Prometheus

/** A label name as Prometheus' Kubernetes service discovery writes it (invalid characters become `_`). */
export function sdLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

/**
 * A Prometheus config that scrapes the pod as the usual Kubernetes pod job does: the targets and `__meta_kubernetes_*`
 * labels are what Kubernetes service discovery (role `pod`) gives for the pod (one target per declared container
 * port, at the pod IP), and the relabeling is the `kubernetes-pods` job of the prometheus-community chart: keep pods
 * annotated `prometheus.io/scrape: "true"`, scrape the `prometheus.io/port` annotation's port, copy the pod labels
 * (`labelmap`), add `namespace` and `pod`.
 */
export function prometheusConfig(pod: { namespace: string; name: string; ip: string; labels: Record<string, string>;
  annotations: Record<string, string>; containers: any[]; }, scrapeInterval = '1s'): any {
  const podLabels: Record<string, string> = {
    __meta_kubernetes_namespace: pod.namespace,
    __meta_kubernetes_pod_name: pod.name,
    __meta_kubernetes_pod_ip: pod.ip,
  };
  for (const [k, v] of Object.entries(pod.labels)) podLabels[`__meta_kubernetes_pod_label_${sdLabelName(k)}`] = v;
  for (const [k, v] of Object.entries(pod.annotations)) podLabels[`__meta_kubernetes_pod_annotation_${sdLabelName(k)}`] = v;
  const staticConfigs = pod.containers.flatMap((c) => (c.ports ?? []).map((p: any) => ({
    targets: [`${pod.ip}:${p.containerPort}`],
    labels: { ...podLabels, __meta_kubernetes_pod_container_name: c.name, __meta_kubernetes_pod_container_port_number: String(p.containerPort) },
  })));
  return {
    global: { scrape_interval: scrapeInterval, scrape_timeout: scrapeInterval, evaluation_interval: scrapeInterval },
    scrape_configs: [{
      job_name: 'kubernetes-pods',
      static_configs: staticConfigs,
      relabel_configs: [
        { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], action: 'keep', regex: 'true' },
        { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_path'], action: 'replace', target_label: '__metrics_path__', regex: '(.+)' },
        {
          source_labels: ['__address__', '__meta_kubernetes_pod_annotation_prometheus_io_port'],
          action: 'replace', regex: '(.+?)(?::\\d+)?;(\\d+)', replacement: '$1:$2', target_label: '__address__',
        },
        { action: 'labelmap', regex: '__meta_kubernetes_pod_label_(.+)' },
        { source_labels: ['__meta_kubernetes_namespace'], action: 'replace', target_label: 'namespace' },
        { source_labels: ['__meta_kubernetes_pod_name'], action: 'replace', target_label: 'pod' },
      ],
    }],
  };
}

/** An instant query against the Prometheus at `address` (as Argo's provider sends it); returns the vector's values. */
export async function promQuery(ns: PodNamespace, address: string, query: string): Promise<number[]> {
  const r = await ns.http(`${address.replace(/\/$/, '')}/api/v1/query?query=${encodeURIComponent(query)}`, { timeoutMs: 2000 });
  if (r.error || r.status !== 200) throw new Error(`query '${query}': ${r.error ?? `status ${r.status}: ${r.body}`}`);
  const body = JSON.parse(r.body!);
  if (body.status !== 'success' || body.data.resultType !== 'vector') throw new Error(`query '${query}': ${r.body}`);
  return body.data.result.map((s: any) => Number(s.value[1]));
}
