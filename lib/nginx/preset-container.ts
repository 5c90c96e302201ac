import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PropsChecker } from '../props-checker';

/** Where the preset's checks report a bad addition: the preset construct, by its type name. */
export interface PresetOwner {
  /** The preset construct. */
  readonly scope: Construct;
  /** Its type name (`CanaryNginxRollout`), as messages name it. */
  readonly typeName: string;
}

/** The preset's parts of the pod, as cdk8s-plus objects (made when first asked for: see `NginxRollout`). */
export interface PresetParts {
  readonly nginx: PresetContainer;
  readonly exporter: PresetContainer;
  /** The ConfigMap's pod volume, mounted by nginx. */
  readonly volume: kplus.Volume;
}

/**
 * A container the preset writes (nginx, the exporter sidecar), as the cdk8s-plus `Container` users know: the preset's
 * own fields are written as the preset has always written them (probes, resources, the exporter's security context,
 * key for key), and what is added after construction, through the only mutators cdk8s-plus' `Container` has
 * (`env.addVariable`, `env.copyFrom`, `mount`, `addPort`), is written after them: an added mount or port follows the
 * preset's in its list, and a field the preset does not write (`env`, `envFrom`, the exporter's `volumeMounts`) is
 * added where the Rollout's L1 writes every container field (the CRD schema's order). So adding to a preset's
 * container only adds lines to the manifest: a GitOps diff shows exactly the addition.
 *
 * Internal (not exported from the index): the members are typed `kplus.Container`.
 */
export class PresetContainer extends kplus.Container {
  // Set after `super()`: cdk8s-plus' constructor calls `addPort` for the props' ports, before these exist.
  private owner?: PresetOwner;
  /** How messages name this container: the preset's member (`nginxContainer`). */
  private member?: string;
  /** The ports and mounts of the props: the preset's own, written as `base` has them (the same objects, in order). */
  private ownPorts: kplus.ContainerPort[] = [];
  private ownMounts: kplus.VolumeMount[] = [];

  /**
   * @param props what the preset writes, as cdk8s-plus holds it
   * @param member how messages name this container: the preset's member (`nginxContainer`)
   */
  public constructor(props: kplus.ContainerProps, owner: PresetOwner, member: string) {
    super(props);
    this.owner = owner;
    this.member = member;
    this.ownPorts = this.ports;
    this.ownMounts = [...this.mounts];
  }

  /**
   * Mounts a volume; refused (naming the preset, the path and the rule) at a path this container mounts already: the
   * API server rejects a container whose mount paths repeat, and nginx's config is the `nginxConf` prop.
   */
  public mount(path: string, storage: kplus.IStorage, options: kplus.MountOptions = {}): void {
    // From plain JavaScript, `mount('/x', null)` was a TypeError naming nothing (cdk8s-plus calls `asVolume()`).
    if (this.owner && typeof (storage as { asVolume?: unknown } | null)?.asVolume !== 'function') {
      this.fail(`${this.member}.mount storage`, storage, 'it must be a cdk8s-plus Volume (or other IStorage), such as kplus.Volume.fromEmptyDir(chart, id, name)');
    }
    const taken = this.mounts.find((m) => m.path === path);
    if (taken) {
      this.fail(`${this.member}.mount path`, path, this.ownMounts.includes(taken)
        ? 'the preset mounts nginx.conf there (a container\'s mount paths must be unique); give the config as the nginxConf prop'
        : 'this container mounts a volume there already (a container\'s mount paths must be unique)');
    }
    super.mount(path, storage, options);
  }

  /** Adds a port; refused (naming the preset, the port and the rule) when the container has that number and protocol. */
  public addPort(port: kplus.ContainerPort): void {
    if (this.owner) {
      const protocol = port?.protocol ?? kplus.Protocol.TCP;
      const taken = this.ports.find((p) => p.number === port?.number && (p.protocol ?? kplus.Protocol.TCP) === protocol);
      if (taken) {
        this.fail(`${this.member}.addPort number`, port.number, this.ownPorts.includes(taken)
          ? `the preset's ${this.name} container listens on ${port.number}/${protocol} already (a container's ports must differ in number or protocol)`
          : `the container has port ${port.number}/${protocol} already (a container's ports must differ in number or protocol)`);
      }
    }
    super.addPort(port);
  }

  /**
   * @internal the container as written: `base` (the preset's fields, as Kubernetes writes them) with what was added to
   * this container after construction
   */
  public _render(base: any): any {
    const ports = this.ports;
    const mounts = this.mounts;
    const env = this.env._toKube();
    const samePorts = sameItems(ports, this.ownPorts);
    const sameMounts = sameItems(mounts, this.ownMounts);
    if (samePorts && sameMounts && env.variables === undefined && env.from === undefined) return base;

    const out = { ...base };
    if (!samePorts) {
      out.ports = ports.map((p) => {
        const i = this.ownPorts.indexOf(p);
        return i < 0 ? portJson(p) : base.ports[i];
      });
    }
    if (!sameMounts) {
      // `mounts` is a plain array: a list emptied by hand writes none, as cdk8s-plus leaves an empty list out.
      const list = mounts.map((m) => {
        const i = this.ownMounts.indexOf(m);
        return i < 0 ? mountJson(m) : base.volumeMounts[i];
      });
      if (list.length > 0) out.volumeMounts = list;
      else delete out.volumeMounts;
    }
    if (env.variables !== undefined) out.env = env.variables;
    if (env.from !== undefined) out.envFrom = env.from;
    return out;
  }

  private fail(prop: string, value: unknown, rule: string): never {
    const owner = this.owner!;
    new PropsChecker(owner.typeName, owner.scope).run((check) => check.fail(prop, value, rule));
    throw new Error('unreachable');
  }
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A port as cdk8s-plus writes it (`Container._toKube`), without the fields it leaves unset. */
function portJson(p: kplus.ContainerPort): Record<string, unknown> {
  return definedFields({ containerPort: p.number, protocol: p.protocol?.toString(), name: p.name, hostPort: p.hostPort, hostIp: p.hostIp });
}

/** A volume mount as cdk8s-plus writes it (`Container._toKube`), without the fields it leaves unset. */
export function mountJson(m: kplus.VolumeMount): Record<string, unknown> {
  return definedFields({
    name: m.volume.name,
    mountPath: m.path,
    readOnly: m.readOnly,
    mountPropagation: m.propagation,
    subPath: m.subPath,
    subPathExpr: m.subPathExpr,
  });
}

function definedFields(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
