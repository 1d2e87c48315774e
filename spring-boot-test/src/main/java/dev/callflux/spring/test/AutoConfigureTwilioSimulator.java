package dev.callflux.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@code @SpringBootTest} class: starts a {@link dev.callflux.testkit.TwilioSimulator} on loopback for the
 * test's application context and points the auto-configured {@code CallFluxClient} at it, through the
 * {@code Environment} ({@code callflux.base-url}, {@code callflux.account-sid}, {@code callflux.auth-token}; any
 * {@code TWILIO_*} credentials of the machine are hidden). The simulator and its
 * {@link dev.callflux.testkit.Ledger} are beans, to autowire for assertions; the simulator stops when the context
 * closes. Contexts with the same attributes are cached and share their simulator, as Spring's test contexts do.
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureTwilioSimulator
 * class HangupTest {
 *     @Autowired CallFluxClient client;
 *     @Autowired Ledger ledger;
 *
 *     @Test
 *     void hangsUp() {
 *         client.hangup("CA0123456789abcdef0123456789abcdef").block();
 *         assertThat(ledger.totalHangupsApplied()).isEqualTo(1);
 *     }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureTwilioSimulator {

    /**
     * The simulated account's SID; empty (the default) for a random one.
     *
     * @return {@code AC} and 32 hex digits, or empty
     */
    String accountSid() default "";

    /**
     * The simulated account's auth token; empty (the default) for a random one.
     *
     * @return the token, or empty
     */
    String authToken() default "";

    /**
     * Whether only the calls given in {@link #liveCalls()} exist (others answer 404, as Twilio does); by default every
     * well-formed call SID is a live call.
     *
     * @return whether unknown calls are 404
     */
    boolean knownCallsOnly() default false;

    /**
     * Call SIDs that exist and are in progress.
     *
     * @return the SIDs
     */
    String[] liveCalls() default {};
}
