/**
 * The `nginx-rollouts` command line. Each command lives in its own module and returns the process exit code; a
 * command's module loads only when it runs (plain `require`, which works from the compiled build and under tsx).
 */
export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'synth':
      return (require('./synth') as typeof import('./synth')).synthCommand(args);
    case 'lint':
      return (require('./lint') as typeof import('./lint')).lintCommand(args);
    case 'plan':
      return (require('./plan') as typeof import('./plan')).planCommand(args);
    case 'gitops':
      return (require('./gitops') as typeof import('./gitops')).gitopsCommand(args);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`nginx-rollouts: unknown command '${command}'\n${USAGE}`);
      return 2;
  }
}

const USAGE = `usage: nginx-rollouts <command> [options]

commands:
  synth [--out DIR]                  synthesize the app; keep the previous output if anything fails
  lint [--strict] [--json] PATH...   check Rollout YAML files or folders with Argo Rollouts' own rules
  plan [--markdown|--json|--svg FILE] PATH...
                                     show what every step of each Rollout does to pods and traffic
  gitops --out DIR [--config FILE]   write the per-environment GitOps repository (default config: environments.ts)

exit codes: 0 success, 1 findings or validation errors, 2 usage or input errors
`;
