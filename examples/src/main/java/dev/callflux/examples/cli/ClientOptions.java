package dev.callflux.examples.cli;

import dev.callflux.core.http.ApiEndpoint;
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
 * with {@code TWILIO_ACCOUNT_SID}, as twilio-cli and Twilio's libraries read them) or from a file, never from
 * a flag value that would land in the shell's history, and are never printed. {@code TWILIO_REGION} and
 * {@code TWILIO_EDGE} are honoured as Twilio's libraries do.
 */
final class ClientOptions {

    @Option(names = "--base-url", paramLabel = "URL", description = "Send requests here instead of Twilio: a proxy, or a simulator (plain http only on loopback).")
    String baseUrl;

    @Option(names = "--region", paramLabel = "REGION", description = "Twilio region, e.g. ie1 (default: $TWILIO_REGION); without --edge, the region's default edge (ie1: dublin).")
    String region;

    @Option(names = "--edge", paramLabel = "EDGE", description = "Twilio edge location, e.g. dublin (default: $TWILIO_EDGE; without a region: us1).")
    String edge;

    @Option(names = "--account-sid", paramLabel = "AC...", description = "The account whose calls are updated (default: $TWILIO_ACCOUNT_SID); may be a subaccount.")
    String accountSid;

    @Option(names = "--auth-token-file", paramLabel = "FILE", description = "Read the auth token from this file instead of $TWILIO_AUTH_TOKEN.")
    Path authTokenFile;

    @Option(names = "--api-secret-file", paramLabel = "FILE", description = "Read the API key secret from this file instead of $TWILIO_API_SECRET.")
    Path apiSecretFile;

    /** A configuration the user must fix before anything is sent: exit 2, with this message. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** Whether an API key is used: TWILIO_API_KEY is set (it wins over an auth token, as in twilio-cli). */
    boolean usesApiKey(Map<String, String> env) {
        return present(env.get("TWILIO_API_KEY"));
    }

    /** The credentials, or a {@link UsageException} saying which variable is missing. */
    Credentials credentials(Map<String, String> env) {
        if (usesApiKey(env)) {
            String secret = apiSecretFile != null ? read(apiSecretFile, "--api-secret-file") : env.get("TWILIO_API_SECRET");
            if (!present(secret)) {
                throw new UsageException("TWILIO_API_SECRET must be set with TWILIO_API_KEY (or use --api-secret-file)");
            }
            try {
                return Credentials.apiKey(env.get("TWILIO_API_KEY").strip(), secret.strip());
            } catch (IllegalArgumentException e) {
                throw usage(e);
            }
        }
        String account = account(env);
        String token = authTokenFile != null ? read(authTokenFile, "--auth-token-file") : env.get("TWILIO_AUTH_TOKEN");
        if (account == null || !present(token)) {
            throw new UsageException("set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN in the environment "
                    + "(or TWILIO_API_KEY and TWILIO_API_SECRET with TWILIO_ACCOUNT_SID)");
        }
        try {
            return Credentials.authToken(account, token.strip());
        } catch (IllegalArgumentException e) {
            throw usage(e);
        }
    }

    /** A credential the library refused ("AuthToken must be ..."), said with the variable or file that set it. */
    private UsageException usage(IllegalArgumentException e) {
        CliMessages.Setting s = CliMessages.Setting.of(e);
        return new UsageException(variable(s.name()) + " " + s.rule());
    }

    /** Where the user set the credential that {@code field} (the library's name for it) names. */
    private String variable(String field) {
        switch (field) {
            case "AuthToken": return authTokenFile != null ? "the auth token in --auth-token-file (AuthToken)" : "TWILIO_AUTH_TOKEN (AuthToken)";
            case "ApiKeySecret": return apiSecretFile != null ? "the secret in --api-secret-file (ApiKeySecret)" : "TWILIO_API_SECRET (ApiKeySecret)";
            case "ApiKeySid": return "TWILIO_API_KEY";
            default: return accountSid != null ? "--account-sid" : "TWILIO_ACCOUNT_SID";
        }
    }

    /**
     * A line telling which credentials are used when the environment holds both kinds; {@code null} otherwise.
     * Names the key SID, never a secret.
     */
    String credentialsNote(Map<String, String> env) {
        if (usesApiKey(env) && (present(env.get("TWILIO_AUTH_TOKEN")) || authTokenFile != null)) {
            return "using the API key " + env.get("TWILIO_API_KEY").strip() + " (TWILIO_API_KEY); the auth token is not used";
        }
        return null;
    }

    /** What to check when Twilio refuses the credentials. */
    String credentialsHint(Map<String, String> env) {
        String account = account(env);
        String of = account == null ? "" : " for " + account;
        if (usesApiKey(env)) {
            return "Twilio refused the API key " + env.get("TWILIO_API_KEY").strip() + of
                    + ": check TWILIO_API_KEY / TWILIO_API_SECRET" + (apiSecretFile != null ? " (--api-secret-file)" : "")
                    + " and TWILIO_ACCOUNT_SID";
        }
        return "Twilio refused the credentials" + of + ": check TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN"
                + (authTokenFile != null ? " (--auth-token-file)" : "") + " (or TWILIO_API_KEY / TWILIO_API_SECRET)";
    }

    /** The account for the request path: the flag, else the environment; {@code null} if neither. */
    String account(Map<String, String> env) {
        String a = accountSid != null ? accountSid : env.get("TWILIO_ACCOUNT_SID");
        return present(a) ? a.strip() : null;
    }

    /** Where requests go: --base-url, else the region and edge (flags, then TWILIO_REGION / TWILIO_EDGE). */
    ApiEndpoint endpoint(Map<String, String> env) {
        try {
            if (baseUrl != null) {
                return ApiEndpoint.baseUrl(baseUrl);
            }
            return ApiEndpoint.of(region != null ? region : env.get("TWILIO_REGION"), edge != null ? edge : env.get("TWILIO_EDGE"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(CliMessages.invalid(e));
        }
    }

    CallFluxClient client(Map<String, String> env, int concurrency) {
        ApiEndpoint endpoint = endpoint(env);
        CallFluxClientBuilder b = CallFluxClient.builder().credentials(credentials(env)).maxConnections(concurrency)
                .endpoint(endpoint);
        String account = account(env);
        if (account != null) {
            b.accountSid(account); // checked by build()
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(CliMessages.invalid(e));
        }
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    private static String read(Path file, String flag) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UsageException("cannot read " + flag + " " + file + ": " + IoMessages.reason(e));
        }
    }
}
