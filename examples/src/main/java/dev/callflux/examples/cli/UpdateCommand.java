package dev.callflux.examples.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.callflux.core.encoding.CallJson;
import dev.callflux.core.error.CallFluxException;
import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.core.model.Call;
import dev.callflux.core.model.UpdateCallRequest;
import dev.callflux.reactor.CallFluxClient;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code callflux update}: one UpdateCall, printing the returned Call as JSON. */
@Command(name = "update", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Redirect or end one call, and print the Call Twilio returns as JSON.")
final class UpdateCommand implements Callable<Integer> {

    @ParentCommand
    CallFluxCli cli;

    @Mixin
    ClientOptions client = new ClientOptions();

    @Option(names = "--sid", required = true, paramLabel = "CA...", description = "The call to update.")
    String sid;

    @Option(names = "--url", paramLabel = "URL", description = "Redirect: absolute URL of the TwiML to run (excludes --twiml).")
    String url;

    @Option(names = "--method", paramLabel = "GET|POST|...", description = "How Twilio requests --url.")
    String method;

    @Option(names = "--twiml", paramLabel = "TWIML", description = "Replace the call's instructions with this TwiML (at most 4,000 characters).")
    String twiml;

    @Option(names = "--status", paramLabel = "completed|canceled", description = "End the call.")
    String status;

    @Option(names = "--fallback-url", paramLabel = "URL", description = "Requested if --url fails.")
    String fallbackUrl;

    @Option(names = "--fallback-method", paramLabel = "GET|POST|...", description = "How Twilio requests --fallback-url.")
    String fallbackMethod;

    @Option(names = "--status-callback", paramLabel = "URL", description = "Where Twilio reports the call's status changes.")
    String statusCallback;

    @Option(names = "--status-callback-method", paramLabel = "GET|POST|...", description = "How Twilio requests --status-callback.")
    String statusCallbackMethod;

    @Option(names = "--time-limit", paramLabel = "SECONDS", description = "The call's maximum duration in seconds.")
    Integer timeLimit;

    @Override
    public Integer call() throws IOException {
        // The library's rule names its Java type; a CLI user gave flags.
        if (Stream.of(url, method, twiml, status, fallbackUrl, fallbackMethod, statusCallback,
                statusCallbackMethod, timeLimit).allMatch(Objects::isNull)) {
            cli.err.println("callflux: say what to change: --url URL, --twiml TWIML or --status completed|canceled"
                    + " (see callflux update --help)");
            return CallFluxCli.USAGE;
        }
        UpdateCallRequest request;
        try {
            request = UpdateCallRequest.builder().url(url).method(method).twiml(twiml).status(status)
                    .fallbackUrl(fallbackUrl).fallbackMethod(fallbackMethod).statusCallback(statusCallback)
                    .statusCallbackMethod(statusCallbackMethod).timeLimit(timeLimit).build();
        } catch (InvalidRequestException e) {
            cli.err.println("callflux: " + CliMessages.invalid(e));
            return CallFluxCli.USAGE;
        }
        // A bad setting (base URL, region, credentials...) is a UsageException in the CLI's words: exit 2.
        CallFluxClient callflux = client.client(cli.env, 1);
        String note = client.credentialsNote(cli.env);
        if (note != null) {
            cli.err.println("callflux: " + note);
        }
        try (callflux) {
            Call call = callflux.update(sid, request).block();
            cli.out.println(pretty(call));
            if (request.leftLive(call)) {
                cli.err.println("callflux: " + HangupRun.stillLiveMessage(request, call));
            }
            return 0;
        } catch (InvalidRequestException e) {
            cli.err.println("callflux: " + CliMessages.invalid(e));
            return CallFluxCli.USAGE;
        } catch (CallFluxException e) {
            cli.err.println("callflux: " + CliMessages.describe(e, callflux.endpoint().baseUrl(), client.credentialsHint(cli.env)));
            return CallFluxCli.SOME_FAILED;
        }
    }

    static String pretty(Call call) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w).useDefaultPrettyPrinter()) {
            CallJson.write(call, g);
        }
        return w.toString();
    }
}
