package dev.callflux.core.http;

import dev.callflux.core.error.InvalidRequestException;
import dev.callflux.core.model.AccountSid;
import dev.callflux.core.model.ApiKeySid;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;

/**
 * HTTP Basic credentials for Twilio: an account SID with its auth token, or an API key SID with its
 * secret. With an API key the account whose calls are updated is configured separately (it goes in the
 * request path and may be a subaccount).
 *
 * <p>The secret is kept only as the ready-made {@code Authorization} header value; {@link #toString()}
 * shows the SID and never the secret.
 *
 * <p>Credentials are configuration, not part of a request: a bad value throws {@link IllegalArgumentException}
 * and a missing one {@link NullPointerException}, with the message the setting's name, a space and the rule
 * ({@code "AuthToken must be printable ASCII without spaces"}). No message ever contains a secret.
 */
public final class Credentials {

    private final String username;
    private final AccountSid accountSid;
    private final String authorization;

    private Credentials(String username, AccountSid accountSid, String secretSetting, String secret) {
        if (secret == null) {
            throw new NullPointerException(secretSetting + " is required");
        }
        if (secret.isBlank()) {
            throw new IllegalArgumentException(secretSetting + " is required");
        }
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                // The rule only: the secret, or any part of it, never goes into a message.
                throw new IllegalArgumentException(secretSetting + " must be printable ASCII without spaces");
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
     * @throws NullPointerException if either is {@code null} (message {@code "AccountSid is required"} or
     *         {@code "AuthToken is required"})
     * @throws IllegalArgumentException if the SID is malformed ({@code "AccountSid must be 'AC' followed by 32
     *         hexadecimal digits (...)"}) or the token blank ({@code "AuthToken is required"}) or not printable ASCII
     *         ({@code "AuthToken must be printable ASCII without spaces"})
     */
    public static Credentials authToken(String accountSid, String authToken) {
        AccountSid sid = setting("AccountSid", accountSid, AccountSid::of);
        return new Credentials(sid.value(), sid, "AuthToken", authToken);
    }

    /**
     * An API key SID ({@code SK...}) and its secret.
     *
     * @param apiKeySid    the API key SID, {@code "SK"} and 32 hexadecimal digits
     * @param apiKeySecret the key's secret: printable ASCII, no spaces
     * @return the credentials
     * @throws NullPointerException if either is {@code null} (message {@code "ApiKeySid is required"} or
     *         {@code "ApiKeySecret is required"})
     * @throws IllegalArgumentException if the SID is malformed ({@code "ApiKeySid must be 'SK' followed by 32
     *         hexadecimal digits (...)"}) or the secret blank ({@code "ApiKeySecret is required"}) or not printable
     *         ASCII ({@code "ApiKeySecret must be printable ASCII without spaces"})
     */
    public static Credentials apiKey(String apiKeySid, String apiKeySecret) {
        return new Credentials(setting("ApiKeySid", apiKeySid, ApiKeySid::of).value(), null, "ApiKeySecret", apiKeySecret);
    }

    /**
     * A SID given as configuration: the SID type's rule, as a configuration error ({@code "AccountSid must be
     * 'AC' followed by ..."}) rather than the {@link InvalidRequestException} of a SID in a request.
     */
    private static <T> T setting(String name, String value, Function<String, T> parse) {
        if (value == null) {
            throw new NullPointerException(name + " is required");
        }
        try {
            return parse.apply(value);
        } catch (InvalidRequestException e) {
            throw new IllegalArgumentException(e.field() + " " + e.rule());
        }
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
