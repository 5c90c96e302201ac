import { App, Chart, Duration } from 'cdk8s';
import { BlueGreenNginxRollout, CanaryNginxRollout, CanaryStep, markYamlDocumentStarts } from './lib';
import { nginxImageVariable } from './lib/gitops/image';

/**
 * The scenarios' own nginx image, exporter image and `nginx.conf`, passed explicitly so that the app's output does not
 * move with the library's defaults. This `nginx.conf` serves `/` from `html` relative to the image's prefix
 * (`/etc/nginx/html`, absent in the official image), so `/` answers 404; only the status page and the exporter work.
 */
export const SEED_NGINX_IMAGE = 'nginx:1.14.1';
/** The scenarios' exporter image (0.x: single-dash flags). */
export const SEED_EXPORTER_IMAGE = 'nginx/nginx-prometheus-exporter:0.11.0';
/** The scenarios' `nginx.conf`. */
export const SEED_NGINX_CONF = `user nginx;
worker_processes 1;
error_log /var/log/nginx/error.log;
events {
  worker_connections 1024;
}
http {
  server {
    listen 80;
    server_name _;
    location / {
      root html;
      index index.html index.htm;
    }
    location /nginx_status {
      stub_status on;
      access_log off;
      allow 127.0.0.1;
      deny all;
    }
  }
}
`;

/** What a pipeline may change without a code change. */
export interface SeedOptions {
  /** The nginx image of both scenarios (the `NGINX_IMAGE` variable). */
  readonly image?: string;
}

/**
 * The two seed scenarios, one chart (one file) each: `canary.k8s.yaml` and `bluegreen.k8s.yaml`.
 */
export function buildSeedApp(app: App, options: SeedOptions = {}): App {
  const image = options.image ?? SEED_NGINX_IMAGE;

  const canary = new Chart(app, 'canary', { disableResourceNameHashes: true });
  new CanaryNginxRollout(canary, 'canary', {
    name: 'rollout-test-canary-nginx',
    replicas: 5,
    image,
    exporterImage: SEED_EXPORTER_IMAGE,
    nginxConf: SEED_NGINX_CONF,
    labels: { app: 'nginx' },
    steps: [
      CanaryStep.setWeight(20),
      CanaryStep.pause(Duration.seconds(60)),
      CanaryStep.setWeight(80),
      CanaryStep.pause(Duration.seconds(60)),
    ],
  });

  const blueGreen = new Chart(app, 'bluegreen', { disableResourceNameHashes: true });
  new BlueGreenNginxRollout(blueGreen, 'bluegreen', {
    name: 'rollout-test-bluegreen-nginx',
    replicas: 5,
    image,
    exporterImage: SEED_EXPORTER_IMAGE,
    nginxConf: SEED_NGINX_CONF,
    activeServiceName: 'rollout-test-bluegreen-active',
    previewServiceName: 'rollout-test-bluegreen-preview',
    scaleDownDelay: Duration.seconds(30),
    autoPromotionEnabled: true,
  });
  return app;
}

/** Reads the pipeline's variables; an empty `NGINX_IMAGE` is a mistake, not "use the default". */
export function seedOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): SeedOptions {
  // A bad image is left to the construct, whose message names the construct and the prop.
  return { image: nginxImageVariable(env) };
}

/** Synthesizes the app into `CDK8S_OUTDIR` (set by `cdk8s synth`) or `dist/`; a bad input exits 1 with one message. */
export function main(): void {
  try {
    const app = buildSeedApp(new App(), seedOptionsFromEnv());
    app.synth();
    markYamlDocumentStarts(app.outdir);
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) main();
