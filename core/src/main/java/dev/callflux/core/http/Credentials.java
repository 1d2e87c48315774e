package dev.callflux.core.http;

import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.ApiKeySid;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * HTTP Basic credentials for Twilio: an account SID with its auth token, or an API key SID with its
 * secret. With an API key the account whose calls are updated is configured separately (it goes in the
 * request path and may be a subaccount).
 *
 * <p>The secret is kept only as the ready-made {@code Authorization} header value; {@link #toString()}
 * shows the SID and never the secret.
 */
public final class Credentials {

    private final String username;
    private final AccountSid accountSid;
    private final String authorization;

    private Credentials(String username, AccountSid accountSid, String secretField, String secret) {
        if (secret == null || secret.isBlank()) {
            throw new InvalidRequestException(secretField, "is required");
        }
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw new InvalidRequestException(secretField, "must be printable ASCII without spaces");
            }
        }
        this.username = username;
        this.accountSid = accountSid;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((username + ':' + secret).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An account SID and its auth token.
     *
     * @param accountSid the account SID, {@code "AC"} and 32 hexadecimal digits
     * @param authToken  the account's auth token: printable ASCII, no spaces
     * @return the credentials
     * @throws InvalidRequestException (field {@code AccountSid} or {@code AuthToken}) if either is missing or
     *         malformed
     */
    public static Credentials authToken(String accountSid, String authToken) {
        AccountSid sid = AccountSid.of(accountSid);
        return new Credentials(sid.value(), sid, "AuthToken", authToken);
    }

    /**
     * An API key SID ({@code SK...}) and its secret.
     *
     * @param apiKeySid    the API key SID, {@code "SK"} and 32 hexadecimal digits
     * @param apiKeySecret the key's secret: printable ASCII, no spaces
     * @return the credentials
     * @throws InvalidRequestException (field {@code ApiKeySid} or {@code ApiKeySecret}) if either is missing
     *         or malformed
     */
    public static Credentials apiKey(String apiKeySid, String apiKeySecret) {
        return new Credentials(ApiKeySid.of(apiKeySid).value(), null, "ApiKeySecret", apiKeySecret);
    }

    /**
     * The SID that authenticates: an account SID or an API key SID.
     *
     * @return the SID, {@code AC...} or {@code SK...}
     */
    public String username() {
        return username;
    }

    /**
     * The account of auth-token credentials; empty for an API key.
     *
     * @return the account SID, or empty for API key credentials
     */
    public Optional<AccountSid> accountSid() {
        return Optional.ofNullable(accountSid);
    }

    /**
     * The {@code Authorization} header value. It contains the secret: send it to Twilio, never log it.
     *
     * @return {@code "Basic "} and the Base64 of {@code <sid>:<secret>} in UTF-8
     */
    public String authorizationHeader() {
        return authorization;
    }

    @Override
    public String toString() {
        return "Credentials{" + (accountSid != null ? "accountSid=" : "apiKeySid=") + username + ", secret=<redacted>}";
    }
}
