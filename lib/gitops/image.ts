import { isImageReference } from '../nginx/nginx-rollout';
import { GitOpsInputError } from './errors';

/**
 * The `NGINX_IMAGE` variable as the seed app (`main.ts`) and `gitops` read it: unset means no override, and
 * set-but-empty is a mistake rather than "use the default".
 */
export function nginxImageVariable(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const image = env.NGINX_IMAGE;
  if (image !== undefined && image.trim() === '') {
    throw new GitOpsInputError(
      "NGINX_IMAGE is set but empty; unset it for the default image or give one such as 'nginx:1.14.2'");
  }
  return image;
}

/**
 * The `NGINX_IMAGE` override of `gitops`. A value that is no image reference fails here, before anything is
 * synthesized, with the value in the message.
 */
export function nginxImageFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const image = nginxImageVariable(env);
  if (image !== undefined && !isImageReference(image)) {
    throw new GitOpsInputError(`NGINX_IMAGE is '${image}'; it must be a container image reference such as nginx:1.14.2`);
  }
  return image;
}
