import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * Throws when `scope`'s Chart comes from another copy of the cdk8s module than the one this package loaded.
 *
 * cdk8s renders a chart with the resolvers of the app's copy, which recognise tokens (`Lazy`) by `instanceof`
 * against their own class: an object made with a second copy fails at synth with `can't render non-simple object
 * of type 'Lazy'`, far from the cause. Two copies appear when the package is installed from a folder
 * (`npm install ../path`, `npm link`): npm links the folder, and Node resolves `cdk8s` from its real path, which
 * finds the folder's own `node_modules/cdk8s` instead of the app's. `Chart.of` finds the chart of either copy (cdk8s
 * marks charts with a `Symbol.for` symbol, and `instanceof Chart` uses that mark too, so it cannot tell the copies
 * apart); the prototype chain can. The App matters as much: its resolvers render every object of the tree.
 *
 * @internal called by the constructs' base class; not part of the public API.
 */
export function checkSameCdk8s(scope: IConstruct, typeName: string): void {
  let chart: IConstruct;
  try {
    chart = Chart.of(scope);
  } catch {
    return; // no chart above: cdk8s' own error comes with the first object
  }
  const root = scope.node.root;
  // An App of this copy, or a root that is no App at all (cdk8s' own error will follow).
  const rootIsOurs = App.prototype.isPrototypeOf(root) || !('resolvers' in root);
  if (Chart.prototype.isPrototypeOf(chart) && rootIsOurs) return;
  throw new Error(`${typeName} '${scope.node.path}': its chart '${chart.node.path}' was made with another copy of `
    + `cdk8s than the one cdk8s-nginx-rollouts uses (${moduleDir('cdk8s')}); cdk8s cannot render objects of two `
    + 'copies together (it fails with "can\'t render non-simple object of type \'Lazy\'"). This happens when the '
    + 'package is installed from a folder (`npm install ../folder`, `npm link`) that has its own node_modules/cdk8s. '
    + 'Install it as a copy instead: `npm install --install-links ../folder`, a tarball made with `npm pack`, or a '
    + 'git URL; then cdk8s, cdk8s-plus and constructs come from your app (they are peer dependencies).');
}

function moduleDir(name: string): string {
  try {
    // The entry point is `<dir>/lib/index.js`; the package folder is what a user recognises.
    return path.dirname(path.dirname(require.resolve(name)));
  } catch {
    return name;
  }
}
