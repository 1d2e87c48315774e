package dev.callflux.examples.cli;

import dev.callflux.core.http.TwilioHttp;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code callflux}: hang up or redirect Twilio calls from the command line.
 *
 * <p>Exit codes: 0 every SID succeeded; 1 some failed; 2 usage or input error before anything was sent;
 * 130 interrupted by Ctrl-C (143 by SIGTERM), after the report and summary were written.
 */
@Command(name = "callflux", mixinStandardHelpOptions = true, versionProvider = CallFluxCli.Version.class,
        description = "Hang up or redirect Twilio calls, thousands at a time, without blocking a thread.",
        subcommands = {HangupCommand.class, UpdateCommand.class, DemoCommand.class},
        footer = {"", "Credentials: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET with TWILIO_ACCOUNT_SID.",
                "Exit codes: 0 every SID succeeded, 1 some failed, 2 usage or input error (nothing sent),",
                "130 stopped by Ctrl-C (143 by SIGTERM) after in-flight requests finished and the report was written."})
public final class CallFluxCli implements Runnable {

    /** Exit code: some SIDs failed. */
    static final int SOME_FAILED = 1;
    /** Exit code: usage or input error, nothing was sent. */
    static final int USAGE = 2;

    final Map<String, String> env;
    final InputStream in;
    final PrintStream out;
    final PrintStream err;
    private final boolean terminal;

    CallFluxCli(Map<String, String> env, InputStream in, PrintStream out, PrintStream err, boolean terminal) {
        this.env = env;
        this.in = in;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    /** Whether a person is watching (a console): a progress bar then, plain progress lines otherwise. */
    boolean terminal() {
        return terminal;
    }

    /** Runs the command line and returns the exit code. */
    public static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err,
                          boolean terminal) {
        CallFluxCli root = new CallFluxCli(env, in, out, err, terminal);
        CommandLine cli = new CommandLine(root);
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            err.println("callflux: " + e.getMessage());
            return USAGE;
        });
        return cli.execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.in, System.out, System.err, System.console() != null));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(out);
    }

    /** The library's version, for {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"callflux " + TwilioHttp.VERSION, TwilioHttp.USER_AGENT};
        }
    }
}
