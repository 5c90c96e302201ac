import { Chart, ChartProps, Testing } from 'cdk8s';

/** Builds a chart with `build` and returns its objects in output order. */
export function synthChart(build: (chart: Chart) => void, props: ChartProps = { disableResourceNameHashes: true }): any[] {
  const chart = new Chart(Testing.app(), 'test', props);
  build(chart);
  return Testing.synth(chart);
}

/** The one object of `kind` (and `name`, when given) in `objects`; fails when there is not exactly one. */
export function one(objects: any[], kind: string, name?: string): any {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` '${name}'` : ''}, found ${found.length}`);
  return found[0];
}

/** The position of the object of `kind` and `name` in `objects`. */
export function indexOf(objects: any[], kind: string, name: string): number {
  const i = objects.findIndex((o) => o.kind === kind && o.metadata?.name === name);
  if (i < 0) throw new Error(`no ${kind} '${name}' in the output`);
  return i;
}
