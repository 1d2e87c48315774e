package dev.callflux.examples.webflux;

/**
 * Where the service reads Twilio's credentials: the process environment ({@link #system()}), never Spring
 * properties. A test (or an application with a secret store) declares a bean of this type instead.
 *
 * <p>Variables: {@code TWILIO_ACCOUNT_SID} with {@code TWILIO_AUTH_TOKEN}, or {@code TWILIO_API_KEY} with
 * {@code TWILIO_API_SECRET} (and the account SID, from {@code TWILIO_ACCOUNT_SID} or
 * {@code callflux.account-sid}); {@code TWILIO_REGION} and {@code TWILIO_EDGE} when {@code callflux.region} and
 * {@code callflux.edge} are not set.
 */
@FunctionalInterface
public interface TwilioEnvironment {

    String ACCOUNT_SID = "TWILIO_ACCOUNT_SID";
    String AUTH_TOKEN = "TWILIO_AUTH_TOKEN";
    String API_KEY = "TWILIO_API_KEY";
    String API_SECRET = "TWILIO_API_SECRET";
    String REGION = "TWILIO_REGION";
    String EDGE = "TWILIO_EDGE";

    /** The variable's value, or {@code null} when it is not set. */
    String get(String name);

    /** The process environment. */
    static TwilioEnvironment system() {
        return System::getenv;
    }
}
