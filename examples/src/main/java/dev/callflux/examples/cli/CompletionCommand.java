package dev.callflux.examples.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code callflux completion bash|zsh}: prints a completion script for the shell. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script for bash or zsh.", "Load it with:",
                "  bash: source <(callflux completion bash)", "  zsh:  source <(callflux completion zsh)"})
final class CompletionCommand implements Callable<Integer> {

    @ParentCommand
    CallFluxCli cli;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "bash|zsh", description = "The shell.")
    String shell;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            cli.err.println("callflux: completion supports bash and zsh, not '" + shell + "'");
            return CallFluxCli.USAGE;
        }
        // picocli's script serves both: under zsh it loads bashcompinit itself.
        cli.out.print(AutoComplete.bash("callflux", spec.parent().commandLine()));
        return 0;
    }
}
