package dev.callflux.testkit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

/**
 * Checks HTTP Basic credentials: an account SID with its auth token, or an API key SID with its secret,
 * valid for the account in the path when it is that account or that account's parent. Immutable.
 */
final class Auth {

    /** The credentials of one principal: the secret and the account it acts for. */
    record Principal(String secret, String accountSid) {
    }

    private final Map<String, Principal> principals;
    private final Map<String, String> parentOf;

    /**
     * @param principals by username (account SID or API key SID)
     * @param parentOf   subaccount SID to parent account SID
     */
    Auth(Map<String, Principal> principals, Map<String, String> parentOf) {
        this.principals = Map.copyOf(principals);
        this.parentOf = Map.copyOf(parentOf);
    }

    /** Throws a 401 {@link Rejection} unless {@code authorization} may act on {@code pathAccountSid}'s calls. */
    void check(String authorization, String pathAccountSid) {
        if (authorization == null || authorization.isBlank()) {
            throw unauthorized("Authentication Error - No credentials provided");
        }
        String h = authorization.trim();
        if (h.length() < 6 || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw unauthorized("Authentication Error - Basic authentication is required");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw unauthorized("Authentication Error - malformed Basic credentials");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw unauthorized("Authentication Error - malformed Basic credentials");
        }
        String username = decoded.substring(0, colon);
        String secret = decoded.substring(colon + 1);
        Principal p = principals.get(username);
        if (p == null || !MessageDigest.isEqual(p.secret().getBytes(StandardCharsets.UTF_8),
                secret.getBytes(StandardCharsets.UTF_8))) {
            throw unauthorized("Authentication Error - invalid username or password");
        }
        if (!p.accountSid().equals(pathAccountSid) && !p.accountSid().equals(parentOf.get(pathAccountSid))) {
            throw unauthorized("Authentication Error - the credentials are not valid for account " + pathAccountSid);
        }
    }

    private static Rejection unauthorized(String message) {
        return new Rejection(401, TwilioErrors.AUTHENTICATE, message);
    }
}
