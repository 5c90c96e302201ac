import { App, Chart, Duration } from 'cdk8s';
import { AnalysisMetric, BlueGreenNginxRollout, DEFAULT_NGINX_CONF, NginxAnalysisTemplate } from '../lib';

/**
 * Blue/green with a content-hashed ConfigMap, so a change of nginx.conf ships like a new image: the new pods come up
 * behind the preview Service with the new config, are analysed before the switch, and are checked again after it.
 */
export function blueGreenPreAnalysisHashedConfig(app: App): void {
  const chart = new Chart(app, 'bluegreen-preanalysis-hashed-config', { namespace: 'shop', disableResourceNameHashes: true });
  const prometheusAddress = 'http://prometheus-server.monitoring.svc:80';
  const pre = new NginxAnalysisTemplate(chart, 'pre', { name: 'catalog-pre-promotion', prometheusAddress });
  const post = new NginxAnalysisTemplate(chart, 'post', {
    name: 'catalog-post-promotion',
    prometheusAddress,
    count: 3,
    metrics: [
      AnalysisMetric.nginxUp(),
      AnalysisMetric.prometheus({
        name: 'active-connections',
        query: 'sum(nginx_connections_active{namespace="{{args.namespace}}",rollouts_pod_template_hash="{{args.latest-hash}}"})',
        successCondition: 'len(result) > 0 && result[0] < 5000',
      }),
    ],
  });
  new BlueGreenNginxRollout(chart, 'catalog', {
    name: 'catalog',
    replicas: 3,
    image: 'nginx:1.25.3',
    nginxConf: DEFAULT_NGINX_CONF.replace('worker_connections 1024;', 'worker_connections 4096;'),
    hashConfigMapName: true,
    autoPromotionEnabled: true,
    autoPromotionDelay: Duration.minutes(1),
    scaleDownDelay: Duration.minutes(2),
    revisionHistoryLimit: 3,
    prePromotionAnalysis: [pre],
    postPromotionAnalysis: [post],
  });
}
