package dev.callflux.examples.cli;

import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.core.http.Credentials;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.reactor.CallFluxClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where requests go and with which credentials. Secrets come from the environment
 * ({@code TWILIO_ACCOUNT_SID} + {@code TWILIO_AUTH_TOKEN}, or {@code TWILIO_API_KEY} + {@code TWILIO_API_SECRET}
 * with {@code TWILIO_ACCOUNT_SID}) or from a file, never from a flag value that would land in the shell's
 * history, and are never printed.
 */
final class ClientOptions {

    @Option(names = "--base-url", paramLabel = "URL", description = "Send requests here instead of Twilio: a proxy, or a simulator (plain http only on loopback).")
    String baseUrl;

    @Option(names = "--region", description = "Twilio region, e.g. ie1.")
    String region;

    @Option(names = "--edge", description = "Twilio edge location, e.g. dublin (without --region: us1).")
    String edge;

    @Option(names = "--account-sid", paramLabel = "AC...", description = "The account whose calls are updated (default: $TWILIO_ACCOUNT_SID); may be a subaccount.")
    String accountSid;

    @Option(names = "--auth-token-file", paramLabel = "FILE", description = "Read the auth token from this file instead of $TWILIO_AUTH_TOKEN.")
    Path authTokenFile;

    @Option(names = "--api-secret-file", paramLabel = "FILE", description = "Read the API key secret from this file instead of $TWILIO_API_SECRET.")
    Path apiSecretFile;

    /** The credentials, or an {@link InvalidRequestException} saying which variable is missing. */
    Credentials credentials(Map<String, String> env) {
        String apiKey = env.get("TWILIO_API_KEY");
        if (apiKey != null && !apiKey.isBlank()) {
            String secret = apiSecretFile != null ? read(apiSecretFile, "ApiKeySecret") : env.get("TWILIO_API_SECRET");
            if (secret == null || secret.isBlank()) {
                throw new InvalidRequestException("TWILIO_API_SECRET", "must be set with TWILIO_API_KEY (or use --api-secret-file)");
            }
            return Credentials.apiKey(apiKey.strip(), secret.strip());
        }
        String account = account(env);
        String token = authTokenFile != null ? read(authTokenFile, "AuthToken") : env.get("TWILIO_AUTH_TOKEN");
        if (account == null || token == null || token.isBlank()) {
            throw new InvalidRequestException("TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN",
                    "must be set in the environment (or TWILIO_API_KEY and TWILIO_API_SECRET with TWILIO_ACCOUNT_SID)");
        }
        return Credentials.authToken(account, token.strip());
    }

    /** The account for the request path: the flag, else the environment; {@code null} if neither. */
    String account(Map<String, String> env) {
        String a = accountSid != null ? accountSid : env.get("TWILIO_ACCOUNT_SID");
        return a == null || a.isBlank() ? null : a.strip();
    }

    CallFluxClient client(Map<String, String> env, int concurrency) {
        CallFluxClientBuilder b = CallFluxClient.builder().credentials(credentials(env)).maxConnections(concurrency);
        String account = account(env);
        if (account != null) {
            b.accountSid(account);
        }
        if (baseUrl != null) {
            b.baseUrl(baseUrl);
        } else if (region != null || edge != null) {
            b.region(region).edge(edge);
        }
        return b.build();
    }

    private static String read(Path file, String field) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new InvalidRequestException(field, "could not be read from " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
