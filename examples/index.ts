import { App } from 'cdk8s';
import { blueGreenPreAnalysisHashedConfig } from './bluegreen-preanalysis-hashed-config';
import { canaryIngressAnalysis } from './canary-ingress-analysis';
import { canarySmiBackgroundAnalysis } from './canary-smi-background-analysis';
import { httpApiCanary } from './http-api-canary';

/** Every example app by name: `npm run examples` writes each to `dist/examples/<name>/`. */
export const EXAMPLES: Record<string, (app: App) => void> = {
  'canary-ingress-analysis': canaryIngressAnalysis,
  'bluegreen-preanalysis-hashed-config': blueGreenPreAnalysisHashedConfig,
  'canary-smi-background-analysis': canarySmiBackgroundAnalysis,
  'http-api-canary': httpApiCanary,
};
