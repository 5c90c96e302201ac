import { isImageReference } from '../nginx/nginx-rollout';
import { GitOpsInputError } from './errors';

/**
 * The `NGINX_IMAGE` override, read as the seed app (`main.ts`, `seedOptionsFromEnv`) reads it: unset means no
 * override, and set-but-empty is a mistake rather than "use the default". A value that is no image reference fails
 * here, before anything is synthesized, with the value in the message. (main.ts is the app, not part of the
 * published library, so this module cannot import it.)
 */
export function nginxImageFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const image = env.NGINX_IMAGE;
  if (image === undefined) return undefined;
  if (image.trim() === '') {
    throw new GitOpsInputError(
      "NGINX_IMAGE is set but empty; unset it for the default image or give one such as 'nginx:1.14.2'");
  }
  if (!isImageReference(image)) {
    throw new GitOpsInputError(`NGINX_IMAGE is '${image}'; it must be a container image reference such as nginx:1.14.2`);
  }
  return image;
}
