// The command-line frame of the scripts that export `run(argv, io)` (users, token): a usage error, and running
// `run` as the process's own command — exit 0 or what it returned, 2 with the usage for a usage error, 1 otherwise.

/** A command line the script does not understand: answered with the script's usage and exit status 2. */
class UsageError extends Error {}

/** Runs `run(argv)` as the command of this process and exits with its status. */
function runAsCommand(run, usage) {
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      if (error instanceof UsageError) console.error(usage);
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}

module.exports = { UsageError, runAsCommand };
