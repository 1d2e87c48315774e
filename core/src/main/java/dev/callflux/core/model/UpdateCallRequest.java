package dev.callflux.core.model;

import dev.callflux.core.error.InvalidRequestException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An immutable, validated UpdateCall request: the form parameters of
 * {@code POST /2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json}.
 *
 * <p>Every instance is valid: {@link Builder#build()} checks every rule and throws
 * {@link InvalidRequestException} naming the parameter and the rule, so nothing invalid is ever sent.
 * The rules: at least one parameter; {@code Url} and {@code Twiml} mutually exclusive; every URL absolute
 * {@code http}/{@code https} with a valid host name (no underscores, no user info); {@code TimeLimit}
 * positive; {@code Twiml} not blank and at most 4,000 characters.
 *
 * <pre>{@code
 * UpdateCallRequest.hangup();                                   // Status=completed
 * UpdateCallRequest.redirect("https://example.com/hold.xml");   // Url=...
 * UpdateCallRequest.replaceTwiml("<Response><Say>Goodbye</Say><Hangup/></Response>");
 * UpdateCallRequest.builder().url("https://example.com/next.xml").method(CallbackMethod.GET).timeLimit(600).build();
 * }</pre>
 */
public final class UpdateCallRequest {

    private static final UpdateCallRequest HANGUP = builder().status(UpdateStatus.COMPLETED).build();
    private static final UpdateCallRequest CANCEL = builder().status(UpdateStatus.CANCELED).build();

    /** The checked values as sent, by parameter: what every accessor reads. */
    private final EnumMap<UpdateCallParameter, String> values;
    private final List<Map.Entry<UpdateCallParameter, String>> parameters;

    private UpdateCallRequest(Builder b) {
        values = new EnumMap<>(UpdateCallParameter.class);
        List<Map.Entry<UpdateCallParameter, String>> wire = new ArrayList<>(b.values.size());
        for (Map.Entry<UpdateCallParameter, String> e : b.values.entrySet()) { // wire order: the enum's
            String checked = e.getKey().check(e.getValue());
            values.put(e.getKey(), checked);
            wire.add(Map.entry(e.getKey(), checked));
        }
        if (values.containsKey(UpdateCallParameter.URL) && values.containsKey(UpdateCallParameter.TWIML)) {
            throw new InvalidRequestException(UpdateCallParameter.TWIML.wireName(),
                    "must not be set together with Url (Url and Twiml are mutually exclusive)");
        }
        if (wire.isEmpty()) {
            throw new InvalidRequestException("UpdateCallRequest", "must set at least one parameter");
        }
        parameters = Collections.unmodifiableList(wire);
    }

    /**
     * Hang up: {@code Status=completed}. Ends the call whatever its state.
     *
     * @return the shared {@code Status=completed} request
     */
    public static UpdateCallRequest hangup() {
        return HANGUP;
    }

    /**
     * Cancel: {@code Status=canceled}. Ends a call that is still queued or ringing.
     *
     * @return the shared {@code Status=canceled} request
     */
    public static UpdateCallRequest cancel() {
        return CANCEL;
    }

    /**
     * Redirect the call to the TwiML at {@code url}, fetched with Twilio's default method (POST).
     *
     * @param url absolute {@code http}/{@code https} URL of the TwiML
     * @return a new, validated request
     * @throws InvalidRequestException if {@code url} is {@code null} or breaks a URL rule (see the class description)
     */
    public static UpdateCallRequest redirect(String url) {
        return builder().url(url).build();
    }

    /**
     * Redirect the call to the TwiML at {@code url}, fetched with {@code method}.
     *
     * @param url absolute {@code http}/{@code https} URL of the TwiML
     * @param method how Twilio requests {@code url}; {@code null} for Twilio's default, POST
     * @return a new, validated request
     * @throws InvalidRequestException if {@code url} is {@code null} or breaks a URL rule (see the class description)
     */
    public static UpdateCallRequest redirect(String url, CallbackMethod method) {
        return builder().url(url).method(method).build();
    }

    /**
     * Replace the call's instructions with inline TwiML.
     *
     * @param twiml the TwiML document, e.g. {@code <Response><Hangup/></Response>}
     * @return a new, validated request
     * @throws InvalidRequestException if {@code twiml} is {@code null}, blank, longer than 4,000 characters or
     *         not valid Unicode
     */
    public static UpdateCallRequest replaceTwiml(String twiml) {
        return builder().twiml(twiml).build();
    }

    /**
     * Starts a request with no parameter set; {@link Builder#build()} needs at least one.
     *
     * @return a new, empty builder
     */
    public static Builder builder() {
        return new Builder(new EnumMap<>(UpdateCallParameter.class));
    }

    /**
     * A builder holding this request's values, to derive a changed copy.
     *
     * @return a new builder with this request's values; changing it leaves this request unchanged
     */
    public Builder mutate() {
        return new Builder(new EnumMap<>(values));
    }

    private Optional<String> value(UpdateCallParameter parameter) {
        return Optional.ofNullable(values.get(parameter));
    }

    /**
     * {@code Url}: where Twilio fetches the call's new TwiML.
     *
     * @return the absolute URL, or empty if not set
     */
    public Optional<String> url() {
        return value(UpdateCallParameter.URL);
    }

    /**
     * {@code Method}: how Twilio requests {@code Url}.
     *
     * @return the method, or empty for Twilio's default (POST)
     */
    public Optional<CallbackMethod> method() {
        return value(UpdateCallParameter.METHOD).map(CallbackMethod::valueOf);
    }

    /**
     * {@code Status}: ends the call.
     *
     * @return the status to set, or empty if this update does not end the call
     */
    public Optional<UpdateStatus> status() {
        return value(UpdateCallParameter.STATUS).map(UpdateStatus::parse);
    }

    /**
     * {@code FallbackUrl}: requested if requesting or running {@code Url} fails.
     *
     * @return the absolute URL, or empty if not set
     */
    public Optional<String> fallbackUrl() {
        return value(UpdateCallParameter.FALLBACK_URL);
    }

    /**
     * {@code FallbackMethod}: how Twilio requests {@code FallbackUrl}.
     *
     * @return the method, or empty for Twilio's default (POST)
     */
    public Optional<CallbackMethod> fallbackMethod() {
        return value(UpdateCallParameter.FALLBACK_METHOD).map(CallbackMethod::valueOf);
    }

    /**
     * {@code StatusCallback}: where Twilio sends status changes of the call.
     *
     * @return the absolute URL, or empty if not set
     */
    public Optional<String> statusCallback() {
        return value(UpdateCallParameter.STATUS_CALLBACK);
    }

    /**
     * {@code StatusCallbackMethod}: how Twilio requests {@code StatusCallback}.
     *
     * @return the method, or empty for Twilio's default (POST)
     */
    public Optional<CallbackMethod> statusCallbackMethod() {
        return value(UpdateCallParameter.STATUS_CALLBACK_METHOD).map(CallbackMethod::valueOf);
    }

    /**
     * {@code Twiml}: inline instructions that replace the call's current ones. May carry personal data.
     *
     * @return the TwiML, at most 4,000 characters, or empty if not set
     */
    public Optional<String> twiml() {
        return value(UpdateCallParameter.TWIML);
    }

    /**
     * The call's maximum duration in seconds.
     *
     * @return {@code TimeLimit}, a positive number of seconds, or empty if not set
     */
    public OptionalInt timeLimit() {
        String seconds = values.get(UpdateCallParameter.TIME_LIMIT);
        return seconds == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(seconds));
    }

    /**
     * The parameters that are set, in wire order, as Twilio names and string values (what the form body
     * carries before percent-encoding).
     *
     * @return an unmodifiable list, never empty
     */
    public List<Map.Entry<UpdateCallParameter, String>> parameters() {
        return parameters;
    }

    /**
     * Whether sending this request twice has the same effect as sending it once: true unless it redirects
     * the call ({@code Url} or {@code Twiml}), since a redirect restarts the call's instructions. Only
     * idempotent requests are resent when the outcome of an attempt is unknown.
     *
     * @return {@code true} if neither {@code Url} nor {@code Twiml} is set
     */
    public boolean isIdempotent() {
        return !values.containsKey(UpdateCallParameter.URL) && !values.containsKey(UpdateCallParameter.TWIML);
    }

    /**
     * Whether {@code answer}, the Call Twilio returned for this request, shows a call this request was to end
     * still live. Twilio applies {@code Status=canceled} to queued and ringing calls only: a call answered before
     * the cancel arrives is answered 200, unchanged and in progress. Counting that answer as "ended" leaves the
     * call running.
     *
     * @param answer the Call Twilio returned for this request
     * @return {@code true} if this request only ends the call ({@code Status}, no {@code Url} or {@code Twiml})
     *         and {@code answer} is queued, ringing or in progress
     */
    public boolean leftLive(Call answer) {
        CallStatus s = answer.status();
        return status().isPresent() && isIdempotent()
                && (s == CallStatus.QUEUED || s == CallStatus.RINGING || s == CallStatus.IN_PROGRESS);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof UpdateCallRequest && parameters.equals(((UpdateCallRequest) o).parameters));
    }

    @Override
    public int hashCode() {
        return parameters.hashCode();
    }

    /** The parameters, with inline TwiML shown only by its length (it may carry personal data). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("UpdateCallRequest{");
        for (int i = 0; i < parameters.size(); i++) {
            Map.Entry<UpdateCallParameter, String> e = parameters.get(i);
            sb.append(i == 0 ? "" : ", ").append(e.getKey().wireName()).append('=');
            if (e.getKey() == UpdateCallParameter.TWIML) {
                // Counted as the 4,000-character rule counts: in code points, not UTF-16 units.
                String v = e.getValue();
                sb.append('<').append(v.codePointCount(0, v.length())).append(" chars>");
            } else {
                sb.append(e.getValue());
            }
        }
        return sb.append('}').toString();
    }

    /**
     * Collects parameter values; {@link #build()} validates them all. Setting a value to {@code null}
     * clears it. Not thread-safe; the built request is.
     */
    public static final class Builder {
        private final EnumMap<UpdateCallParameter, String> values;

        private Builder(EnumMap<UpdateCallParameter, String> values) {
            this.values = values;
        }

        /** Sets (or, for {@code null}, clears) a value; {@link #build()} checks it. */
        private Builder set(UpdateCallParameter parameter, Object value) {
            if (value == null) {
                values.remove(parameter);
            } else {
                values.put(parameter, value.toString());
            }
            return this;
        }

        /**
         * {@code Url}: absolute URL of the TwiML to run. Excludes {@link #twiml(String)}.
         *
         * @param url absolute {@code http}/{@code https} URL, or {@code null} to clear
         * @return this builder
         */
        public Builder url(String url) {
            return set(UpdateCallParameter.URL, url);
        }

        /**
         * {@code Method}: how Twilio requests {@code Url}.
         *
         * @param method the method, or {@code null} for Twilio's default (POST)
         * @return this builder
         */
        public Builder method(CallbackMethod method) {
            return set(UpdateCallParameter.METHOD, method);
        }

        /**
         * {@code Method} by name, checked at {@link #build()}.
         *
         * @param method a method name in any case, e.g. {@code "get"}, or {@code null} to clear
         * @return this builder
         */
        public Builder method(String method) {
            return set(UpdateCallParameter.METHOD, method);
        }

        /**
         * {@code Status}: end the call.
         *
         * @param status the status, or {@code null} to clear
         * @return this builder
         */
        public Builder status(UpdateStatus status) {
            return set(UpdateCallParameter.STATUS, status == null ? null : status.value());
        }

        /**
         * {@code Status} by name ({@code canceled} or {@code completed}), checked at {@link #build()}.
         *
         * @param status the name in any case, or {@code null} to clear
         * @return this builder
         */
        public Builder status(String status) {
            return set(UpdateCallParameter.STATUS, status);
        }

        /**
         * {@code FallbackUrl}: requested if {@code Url} fails.
         *
         * @param fallbackUrl absolute {@code http}/{@code https} URL, or {@code null} to clear
         * @return this builder
         */
        public Builder fallbackUrl(String fallbackUrl) {
            return set(UpdateCallParameter.FALLBACK_URL, fallbackUrl);
        }

        /**
         * {@code FallbackMethod}: how Twilio requests {@code FallbackUrl}.
         *
         * @param fallbackMethod the method, or {@code null} for Twilio's default (POST)
         * @return this builder
         */
        public Builder fallbackMethod(CallbackMethod fallbackMethod) {
            return set(UpdateCallParameter.FALLBACK_METHOD, fallbackMethod);
        }

        /**
         * {@code FallbackMethod} by name, checked at {@link #build()}.
         *
         * @param fallbackMethod a method name in any case, or {@code null} to clear
         * @return this builder
         */
        public Builder fallbackMethod(String fallbackMethod) {
            return set(UpdateCallParameter.FALLBACK_METHOD, fallbackMethod);
        }

        /**
         * {@code StatusCallback}: where Twilio sends status changes of the call.
         *
         * @param statusCallback absolute {@code http}/{@code https} URL, or {@code null} to clear
         * @return this builder
         */
        public Builder statusCallback(String statusCallback) {
            return set(UpdateCallParameter.STATUS_CALLBACK, statusCallback);
        }

        /**
         * {@code StatusCallbackMethod}: how Twilio requests {@code StatusCallback}.
         *
         * @param statusCallbackMethod the method, or {@code null} for Twilio's default (POST)
         * @return this builder
         */
        public Builder statusCallbackMethod(CallbackMethod statusCallbackMethod) {
            return set(UpdateCallParameter.STATUS_CALLBACK_METHOD, statusCallbackMethod);
        }

        /**
         * {@code StatusCallbackMethod} by name, checked at {@link #build()}.
         *
         * @param statusCallbackMethod a method name in any case, or {@code null} to clear
         * @return this builder
         */
        public Builder statusCallbackMethod(String statusCallbackMethod) {
            return set(UpdateCallParameter.STATUS_CALLBACK_METHOD, statusCallbackMethod);
        }

        /**
         * {@code Twiml}: inline instructions, at most 4,000 characters. Excludes {@link #url(String)}.
         *
         * @param twiml the TwiML, or {@code null} to clear
         * @return this builder
         */
        public Builder twiml(String twiml) {
            return set(UpdateCallParameter.TWIML, twiml);
        }

        /**
         * {@code TimeLimit}: the call's maximum duration in seconds, positive.
         *
         * @param seconds the limit in seconds, or {@code null} to clear
         * @return this builder
         */
        public Builder timeLimit(Integer seconds) {
            return set(UpdateCallParameter.TIME_LIMIT, seconds);
        }

        /**
         * Validates every value and returns the immutable request.
         *
         * @return the validated request
         * @throws InvalidRequestException naming the first parameter that breaks a rule, and the rule
         */
        public UpdateCallRequest build() {
            return new UpdateCallRequest(this);
        }
    }
}
