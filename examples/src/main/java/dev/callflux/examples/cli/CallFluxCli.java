package dev.callflux.examples.cli;

import dev.callflux.core.http.TwilioHttp;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code callflux}: hang up or redirect Twilio calls from the command line.
 *
 * <p>Exit codes: 0 every SID succeeded; 1 some failed; 2 usage or input error before anything was sent;
 * 130 interrupted by Ctrl-C (143 by SIGTERM), after the report and summary were written.
 */
@Command(name = "callflux", mixinStandardHelpOptions = true, versionProvider = CallFluxCli.Version.class,
        description = "Hang up or redirect Twilio calls, thousands at a time, without blocking a thread.",
        subcommands = {HangupCommand.class, UpdateCommand.class, DemoCommand.class, WorkerCommand.class,
                EnqueueCommand.class, ResultsCommand.class, CommandLine.HelpCommand.class, CompletionCommand.class},
        footer = {"", "Credentials: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET with TWILIO_ACCOUNT_SID.",
                "Region and edge: --region/--edge or TWILIO_REGION/TWILIO_EDGE.",
                "Beyond one machine: callflux worker (as many as you like), callflux enqueue, callflux results, through Kafka.",
                "Exit codes:",
                "  0    every SID succeeded or had already ended",
                "  1    some failed",
                "  2    usage or input error (nothing sent)",
                "  3    stopped early, the rest not sent: credentials refused or no endpoint",
                "  130  Ctrl-C (143: SIGTERM): in-flight requests finished, report written"})
public final class CallFluxCli implements Runnable {

    /** Exit code: some SIDs failed. */
    static final int SOME_FAILED = 1;
    /** Exit code: usage or input error, nothing was sent. */
    static final int USAGE = 2;
    /** Exit code: the run stopped early on a fatal error (credentials refused, endpoint unreachable). */
    static final int STOPPED = 3;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Also print the libraries' own log lines (Reactor, Netty) and stack traces of unexpected errors.")
    boolean verbose;

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

    /** Whether standard error is a terminal: progress redrawn in place then, plain progress lines otherwise. */
    boolean terminal() {
        return terminal;
    }

    /** Runs the command line and returns the exit code. */
    public static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err,
                          boolean terminal) {
        CallFluxCli root = new CallFluxCli(env, in, out, err, terminal);
        CommandLine cli = new CommandLine(root);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionStrategy(parseResult -> {
            logging(root.verbose, err);
            return new CommandLine.RunLast().execute(parseResult);
        });
        cli.setParameterExceptionHandler(CallFluxCli::usageError);
        numbers(cli);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ClientOptions.UsageException) {
                err.println("callflux: " + e.getMessage());
                return USAGE;
            }
            err.println("callflux: " + CliMessages.describe(e, "", "")
                    + (root.verbose ? "" : " (run with --verbose for details)"));
            if (root.verbose) {
                e.printStackTrace(err);
            }
            return SOME_FAILED;
        });
        return cli.execute(args);
    }

    /**
     * The libraries log through java.util.logging (Netty and Reactor are told to; Kafka's SLF4J is bound to it): silent unless
     * {@code --verbose}, so a user sees CallFlux's own one-line messages, not a library's stack traces.
     */
    /**
     * A mistyped command line: the error, picocli's suggestions for a misspelt flag, a hint for a call SID given
     * without its flag, and where the help is; not the whole help, which would push the error off the screen.
     */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("callflux: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        if (command.getCommandSpec().findOption("--sid") != null && bareCallSid(args)) {
            err.println("A call SID goes after --sid: --sid CA..."
                    + (command.getCommandSpec().findOption("--sids") != null ? " (repeat it, or list many in --sids FILE)" : ""));
        }
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        return USAGE;
    }

    private static final Pattern CALL_SID = Pattern.compile("CA[0-9a-fA-F]{32}");

    /** Number flags refused in words ("'abc' is not a whole number"), where picocli names the Java type ("not an int"). */
    private static void numbers(CommandLine cli) {
        CommandLine.ITypeConverter<Long> whole = text -> {
            try {
                return Long.valueOf(text.strip());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not a whole number");
            }
        };
        CommandLine.ITypeConverter<Integer> wholeInt = text -> {
            long n = whole.convert(text);
            if (n != (int) n) {
                throw new CommandLine.TypeConversionException("'" + text + "' is too large");
            }
            return (int) n;
        };
        CommandLine.ITypeConverter<Double> number = text -> {
            try {
                return Double.valueOf(text.strip());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not a number");
            }
        };
        cli.registerConverter(Long.class, whole).registerConverter(Long.TYPE, whole)
                .registerConverter(Integer.class, wholeInt).registerConverter(Integer.TYPE, wholeInt)
                .registerConverter(Double.class, number).registerConverter(Double.TYPE, number);
    }

    private static boolean bareCallSid(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (CALL_SID.matcher(args[i]).matches() && (i == 0 || !args[i - 1].equals("--sid"))) {
                return true;
            }
        }
        return false;
    }

    static void logging(boolean verbose, PrintStream err) {
        // Without SLF4J, Reactor would print to standard error itself: send it through java.util.logging too.
        reactor.util.Loggers.useJdkLoggers();
        // SLF4J is here for Kafka's sake (worker, enqueue, results); Netty goes to java.util.logging directly.
        io.netty.util.internal.logging.InternalLoggerFactory.setDefaultFactory(
                io.netty.util.internal.logging.JdkLoggerFactory.INSTANCE);
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        if (verbose) {
            ConsoleHandler handler = new ConsoleHandler();
            handler.setLevel(Level.INFO);
            root.addHandler(handler);
            root.setLevel(Level.INFO);
        } else {
            root.setLevel(Level.OFF);
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.in, System.out, System.err, Terminal.isTerminal(2)));
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
