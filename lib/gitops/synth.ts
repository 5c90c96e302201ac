import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { DEFAULT_NGINX_IMAGE } from '../nginx/nginx-pod';
import { GitOpsValidationError } from './errors';
import { SYNC_WAVE_ANNOTATION, inApplyOrder, syncWave } from './order';
import { Environment, EnvironmentContext, GitOpsApp } from './types';

/** One synthesized object and the app it came from. */
export interface EnvironmentObject {
  readonly app: string;
  readonly object: any;
}

/** What the apps of `env` are built with; `imageOverride` is `NGINX_IMAGE`. */
export function environmentContext(env: Environment, imageOverride?: string): EnvironmentContext {
  return { name: env.name, namespace: env.namespace, image: imageOverride ?? env.image ?? DEFAULT_NGINX_IMAGE };
}

/**
 * Every object of the environment, in apply order: each app synthesized on its own, then all sorted by kind (stable,
 * so each app's dependency order holds within a kind). Two apps writing the same object is an error, since Argo CD
 * would apply one over the other.
 */
export async function synthEnvironment(env: Environment, ctx: EnvironmentContext): Promise<EnvironmentObject[]> {
  const objects: EnvironmentObject[] = [];
  const owner = new Map<string, string>();
  for (const app of env.apps) {
    for (const object of await synthApp(app, ctx)) {
      const key = `${object.apiVersion}/${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;
      const other = owner.get(key);
      if (other !== undefined) {
        throw new GitOpsValidationError(`environment '${env.name}': apps '${other}' and '${app.name}' both define ` +
          `${object.kind} '${object.metadata?.name}'`);
      }
      owner.set(key, app.name);
      objects.push({ app: app.name, object });
    }
  }
  return inApplyOrder(objects, (o) => String(o.object.kind));
}

/**
 * One app through the library's own synth path. An async `build` is awaited before the chart is read: without that,
 * what it adds after its first `await` was missing (an empty folder that Argo CD's prune would act on), and its
 * rejection came after the repository was written. Then its own cdk8s App (so a chart's `toJson()` validates only this app,
 * not every app of the environment again), one chart in the environment's namespace, and `toJson()`, which runs
 * cdk8s validation, including the constructs' rules engine, and returns the objects in dependency order.
 */
export async function synthApp(app: GitOpsApp, ctx: EnvironmentContext): Promise<any[]> {
  const where = `environment '${ctx.name}', app '${app.name}'`;
  try {
    const cdkApp = new App();
    const chart = new Chart(cdkApp, app.name, { namespace: ctx.namespace, disableResourceNameHashes: true });
    await app.build(chart, ctx);
    const nodes = chart.node.findAll();
    if (cdkApp.node.children.length === 1 && !nodes.some((c) => c !== chart && Chart.isChart(c))) {
      annotateSyncWaves(chart, nodes);
      return chart.toJson();
    }
    // The app added charts of its own (nested or beside): all are written, in cdk8s' chart order.
    const charts = cdkApp.charts;
    for (const c of charts) annotateSyncWaves(c, c.node.findAll());
    return charts.flatMap((c) => c.toJson());
  } catch (e) {
    throw new GitOpsValidationError(`${where}: ${(e as Error).message}`);
  }
}

/** Adds the sync-wave annotation to every object of `chart` (those of nested charts get theirs from their chart). */
function annotateSyncWaves(chart: Chart, nodes: readonly IConstruct[]): void {
  for (const c of nodes) {
    if (c instanceof ApiObject && Chart.of(c) === chart) {
      c.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(syncWave(c.kind)));
    }
  }
}
