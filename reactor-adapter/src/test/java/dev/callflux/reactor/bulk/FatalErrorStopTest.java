package dev.callflux.reactor.bulk;

import static dev.callflux.reactor.bulk.BulkTestSupport.sids;
import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.error.CallFluxTransportException;
import dev.callflux.core.error.TwilioApiException;
import dev.callflux.core.http.Credentials;
import dev.callflux.reactor.CallFluxClient;
import dev.callflux.testkit.TwilioSimulator;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * The fatal-error rule: a batch whose credentials are refused, or whose endpoint cannot be reached at all,
 * stops sending within seconds, and every command still gets exactly one result that says it was not sent.
 */
class FatalErrorStopTest {

    /** Well within what a batch of 2,000 would take if every command were sent and retried (minutes). */
    private static final Duration SECONDS = Duration.ofSeconds(15);

    @Test
    void refusedCredentialsStopTheBatchAndTheRestAreNotSent() {
        List<String> sids = sids(901, 2_000);
        BulkProgress progress = new BulkProgress();
        try (TwilioSimulator sim = TwilioSimulator.builder().start();
             CallFluxClient client = CallFluxClient.builder()
                     .credentials(Credentials.authToken(sim.accountSid(), "0".repeat(32)))
                     .baseUrl(sim.baseUrl()).build()) {
            List<BulkResult<String>> results = client.hangupAll(Flux.fromIterable(sids),
                    BulkOptions.builder().listener(progress).build()).collectList().block(SECONDS);

            assertThat(results).hasSize(sids.size());
            assertThat(results).extracting(BulkResult::callSid).containsExactlyInAnyOrderElementsOf(sids);
            assertThat(results).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(BulkResult.Outcome.FAILED));
            // The adaptive limit starts at 8: at most a few rounds of requests before the tenth refusal.
            assertThat(sim.ledger().totalRequests()).isBetween((long) BulkOptions.DEFAULT_FATAL_ERROR_THRESHOLD, 100L);
            assertThat(sim.ledger().totalHangupsApplied()).isZero();
            List<BulkResult<String>> unsent = results.stream().filter(r -> r.attempts() == 0).toList();
            assertThat(unsent).hasSizeGreaterThan(sids.size() - 100);
            assertThat(unsent).allSatisfy(r -> {
                BatchStoppedException e = (BatchStoppedException) r.error().orElseThrow();
                assertThat(e.isFatal()).isTrue();
                assertThat(e.getCause()).isInstanceOf(TwilioApiException.class);
                assertThat(((TwilioApiException) e.getCause()).statusCode()).isEqualTo(401);
                assertThat(e.getMessage()).startsWith("not sent: the batch stopped: Twilio refused the credentials");
                assertThat(e.mayHaveBeenApplied()).isFalse();
            });
            assertThat(progress.snapshot().failed()).isEqualTo(sids.size());
        }
    }

    @Test
    void anEndpointWhereNothingListensStopsTheBatchWithinSecondsWithoutRetryingEveryCommand() throws IOException {
        List<String> sids = sids(902, 2_000);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        BulkProgress progress = new BulkProgress();
        try (CallFluxClient client = CallFluxClient.builder()
                .credentials(Credentials.authToken("AC" + "a".repeat(32), "b".repeat(32)))
                .baseUrl("http://127.0.0.1:" + port).build()) {
            List<BulkResult<String>> results = client.hangupAll(Flux.fromIterable(sids),
                    BulkOptions.builder().listener(progress).build()).collectList().block(SECONDS);

            assertThat(results).hasSize(sids.size());
            assertThat(results).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(BulkResult.Outcome.FAILED));
            long attempts = results.stream().mapToLong(BulkResult::attempts).sum();
            assertThat(attempts).isLessThan(200);
            assertThat(progress.snapshot().retries()).isLessThan(200);
            BulkResult<String> unsent = results.stream().filter(r -> r.attempts() == 0).findFirst().orElseThrow();
            BatchStoppedException e = (BatchStoppedException) unsent.error().orElseThrow();
            assertThat(e.isFatal()).isTrue();
            assertThat(((CallFluxTransportException) e.getCause()).kind()).isEqualTo(CallFluxTransportException.Kind.CONNECT);
            assertThat(e.getMessage()).startsWith("not sent: the batch stopped: the endpoint could not be reached");
        }
    }

    @Test
    void withTheRuleOffEveryCommandIsSent() {
        List<String> sids = sids(903, 300);
        try (TwilioSimulator sim = TwilioSimulator.builder().start();
             CallFluxClient client = CallFluxClient.builder()
                     .credentials(Credentials.authToken(sim.accountSid(), "0".repeat(32)))
                     .baseUrl(sim.baseUrl()).build()) {
            List<BulkResult<String>> results = client.hangupAll(Flux.fromIterable(sids),
                    BulkOptions.builder().fatalErrorThreshold(0).build()).collectList().block(SECONDS);

            assertThat(results).hasSize(sids.size()).allSatisfy(r -> {
                assertThat(r.httpStatus()).hasValue(401);
                assertThat(r.attempts()).isEqualTo(1);
            });
            assertThat(sim.ledger().totalRequests()).isEqualTo(sids.size());
        }
    }

    @Test
    void aThresholdBelowZeroIsRefusedNamingTheOption() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BulkOptions.builder().fatalErrorThreshold(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("FatalErrorThreshold must be 0 (off) or positive (got -1)");
    }
}
