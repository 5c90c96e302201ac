/**
 * A mistake in what the user gave (arguments, config file, `NGINX_IMAGE`, a file in the way): exit code 2.
 * @jsii ignore TypeScript only: jsii (the other languages' bindings) cannot express it
 */
export class GitOpsInputError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'GitOpsInputError';
  }
}

/**
 * A construct refused its props, or cdk8s validation (the library's rules engine) failed: exit code 1.
 * @jsii ignore TypeScript only: jsii (the other languages' bindings) cannot express it
 */
export class GitOpsValidationError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'GitOpsValidationError';
  }
}

/**
 * Writing the repository failed (EACCES, EISDIR, ENOSPC...) while the new folders were swapped in: exit code 1.
 * `outState` says what is on disk, so the message is true: `unchanged` when every step was undone, `interrupted`
 * when undoing failed too and the journal was kept for the next run to finish.
 * @jsii ignore TypeScript only: jsii (the other languages' bindings) cannot express it
 */
export class GitOpsWriteError extends Error {
  public constructor(message: string, public readonly outState: 'unchanged' | 'interrupted') {
    super(message);
    this.name = 'GitOpsWriteError';
  }
}
