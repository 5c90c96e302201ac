/**
 * A mistake in what the user gave (arguments, config file, `NGINX_IMAGE`, a file in the way): exit code 2.
 */
export class GitOpsInputError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'GitOpsInputError';
  }
}

/**
 * A construct refused its props, or cdk8s validation (the library's rules engine) failed: exit code 1.
 */
export class GitOpsValidationError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'GitOpsValidationError';
  }
}
