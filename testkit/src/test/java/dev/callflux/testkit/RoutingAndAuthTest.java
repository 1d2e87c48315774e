package dev.callflux.testkit;

import static dev.callflux.testkit.SimHttp.FORM;
import static dev.callflux.testkit.SimHttp.basic;
import static dev.callflux.testkit.SimHttp.newCallSid;
import static dev.callflux.testkit.SimHttp.post;
import static dev.callflux.testkit.SimHttp.send;
import static dev.callflux.testkit.TwilioErrorAssert.assertTwilioError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Steps 1 to 3: routing, authentication, content type. */
class RoutingAndAuthTest {

    static final String PARENT = "AC" + "a".repeat(32);
    static final String PARENT_TOKEN = "parent-token";
    static final String SUB = "AC" + "b".repeat(32);
    static final String OTHER = "AC" + "c".repeat(32);
    static final String OTHER_TOKEN = "other-token";
    static final String KEY = "SK" + "d".repeat(32);
    static final String KEY_SECRET = "key-secret";
    static final String SUB_KEY = "SK" + "e".repeat(32);
    static final String SUB_KEY_SECRET = "sub-key-secret";
    static final String HANGUP = "Status=completed";

    static TwilioSimulator sim;

    @BeforeAll
    static void start() {
        sim = TwilioSimulator.builder()
                .account(PARENT, PARENT_TOKEN)
                .account(OTHER, OTHER_TOKEN)
                .apiKey(KEY, KEY_SECRET, PARENT)
                .apiKey(SUB_KEY, SUB_KEY_SECRET, SUB)
                .subaccount(PARENT, SUB)
                .start();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static SimHttp.Response hangup(String account, String authorization) {
        return send(post(sim, account, newCallSid(), authorization, FORM, HANGUP));
    }

    @Test
    void firstAccountIsTheDefaultAndTheBaseUrlIsLoopback() {
        assertThat(sim.accountSid()).isEqualTo(PARENT);
        assertThat(sim.authToken()).isEqualTo(PARENT_TOKEN);
        assertThat(sim.baseUrl()).isEqualTo("http://127.0.0.1:" + sim.port());
        assertThat(sim.port()).isPositive();
    }

    @Test
    void missingCredentialsAre401WithChallenge() {
        SimHttp.Response r = hangup(PARENT, null);
        assertTwilioError(r, 401, 20003);
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Basic realm=\"Twilio API\"");
        assertThat(r.header("Twilio-Concurrent-Requests")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrong-token", "", "parent-token "})
    void wrongTokenIs401(String token) {
        SimHttp.Response r = hangup(PARENT, basic(PARENT, token));
        assertTwilioError(r, 401, 20003);
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Basic realm=\"Twilio API\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer abc", "Basic !!!notbase64", "Basic " + "bm9jb2xvbg==" /* "nocolon" */})
    void malformedAuthorizationIs401(String header) {
        assertTwilioError(hangup(PARENT, header), 401, 20003);
    }

    @Test
    void unknownUsernameIs401() {
        assertTwilioError(hangup(PARENT, basic(SimHttp.newAccountSid(), PARENT_TOKEN)), 401, 20003);
    }

    @Test
    void credentialsOfAnotherAccountAre401() {
        assertTwilioError(hangup(PARENT, basic(OTHER, OTHER_TOKEN)), 401, 20003);
        assertTwilioError(hangup(OTHER, basic(PARENT, PARENT_TOKEN)), 401, 20003);
    }

    @Test
    void schemeNameIsCaseInsensitive() {
        String h = basic(PARENT, PARENT_TOKEN).replace("Basic", "basic");
        assertThat(hangup(PARENT, h).status).isEqualTo(200);
    }

    @Test
    void ownTokenWorks() {
        SimHttp.Response r = hangup(OTHER, basic(OTHER, OTHER_TOKEN));
        assertThat(r.status).isEqualTo(200);
        assertThat(r.header("Twilio-Concurrent-Requests")).isEqualTo("1");
    }

    @Test
    void apiKeyWorksForItsAccountOnly() {
        assertThat(hangup(PARENT, basic(KEY, KEY_SECRET)).status).isEqualTo(200);
        assertTwilioError(hangup(PARENT, basic(KEY, "nope")), 401, 20003);
        assertTwilioError(hangup(OTHER, basic(KEY, KEY_SECRET)), 401, 20003);
    }

    @Test
    void parentCredentialsActOnTheSubaccountButNotTheOtherWayRound() {
        assertThat(hangup(SUB, basic(PARENT, PARENT_TOKEN)).status).isEqualTo(200);
        assertThat(hangup(SUB, basic(KEY, KEY_SECRET)).status).isEqualTo(200);
        assertThat(hangup(SUB, basic(SUB_KEY, SUB_KEY_SECRET)).status).isEqualTo(200);
        assertTwilioError(hangup(PARENT, basic(SUB_KEY, SUB_KEY_SECRET)), 401, 20003);
        assertTwilioError(hangup(OTHER, basic(PARENT, PARENT_TOKEN)), 401, 20003);
    }

    @Test
    void subaccountCallIsOwnedByTheSubaccount() {
        String sid = newCallSid();
        SimHttp.Response r = send(post(sim, SUB, sid, basic(PARENT, PARENT_TOKEN), FORM, HANGUP));
        assertThat(r.status).isEqualTo(200);
        assertThat(sim.ledger().call(sid).accountSid()).isEqualTo(SUB);
        assertThat(dev.callflux.core.encoding.CallJson.parse(r.body).accountSid()).isEqualTo(SUB);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Calls/CAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.json",   // 31 hex
        "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Calls/CAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.json", // 33 hex
        "/2010-04-01/Accounts/ACgaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Calls/CAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.json",  // not hex
        "/2010-04-01/Accounts/SKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Calls/CAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.json",  // wrong prefix
        "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Calls/CObbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.json",  // wrong prefix
        "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Calls/CAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.json",   // 31 hex
        "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Calls/CAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",       // no .json
        "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Calls/CAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.json/", // trailing slash
        "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Calls.json",
        "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Messages/CAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.json",
        "/",
    })
    void malformedSidsAndOtherPathsAre404(String path) {
        long before = sim.ledger().totalRequests();
        SimHttp.Response r = send(SimHttp.request(sim, path, basic(PARENT, PARENT_TOKEN))
                .header("Content-Type", FORM)
                .POST(HttpRequest.BodyPublishers.ofString(HANGUP)).build());
        assertTwilioError(r, 404, 20404);
        assertThat(sim.ledger().totalRequests()).isGreaterThan(before);
        assertThat(sim.ledger().requests("CA" + "b".repeat(32))).isZero();
    }

    @Test
    void routingComesBeforeAuthentication() {
        SimHttp.Response r = send(SimHttp.request(sim, "/nope", null).GET().build());
        assertTwilioError(r, 404, 20404);
        assertThat(r.header("WWW-Authenticate")).isNull();
    }

    @Test
    void queryStringIsIgnored() {
        String sid = newCallSid();
        SimHttp.Response r = send(SimHttp.request(sim, SimHttp.path(PARENT, sid) + "?foo=bar", basic(PARENT, PARENT_TOKEN))
                .header("Content-Type", FORM).POST(HttpRequest.BodyPublishers.ofString(HANGUP)).build());
        assertThat(r.status).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "DELETE", "PATCH"})
    void otherMethodsAre405AndCountedForTheSid(String method) {
        String sid = newCallSid();
        SimHttp.Response r = send(SimHttp.request(sim, SimHttp.path(PARENT, sid), basic(PARENT, PARENT_TOKEN))
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
        assertTwilioError(r, 405, 20004);
        assertThat(r.header("Allow")).isEqualTo("POST");
        assertThat(sim.ledger().requests(sid)).isEqualTo(1);
        assertThat(sim.ledger().call(sid).updatesApplied()).isZero();
    }

    @Test
    void unauthenticatedRequestsAreCountedButApplyNothing() {
        String sid = newCallSid();
        assertTwilioError(send(post(sim, PARENT, sid, null, FORM, HANGUP)), 401, 20003);
        CallRecord c = sim.ledger().call(sid);
        assertThat(c.requestsReceived()).isEqualTo(1);
        assertThat(c.updatesApplied()).isZero();
        assertThat(c.exists()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/json", "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded; charset=ISO-8859-1", "application/x-www-form-urlencodedx"})
    void wrongContentTypeIs400(String contentType) {
        SimHttp.Response r = send(post(sim, PARENT, newCallSid(), basic(PARENT, PARENT_TOKEN), contentType, HANGUP));
        assertTwilioError(r, 400, 20001);
        assertThat(r.message()).contains("Content-Type");
    }

    @Test
    void missingContentTypeIs400() {
        SimHttp.Response r = send(post(sim, PARENT, newCallSid(), basic(PARENT, PARENT_TOKEN), null, HANGUP));
        assertTwilioError(r, 400, 20001);
        assertThat(r.message()).contains("Content-Type");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8",
        "Application/X-WWW-Form-Urlencoded;charset=\"utf-8\""})
    void formContentTypesAreAccepted(String contentType) {
        SimHttp.Response r = send(post(sim, PARENT, newCallSid(), basic(PARENT, PARENT_TOKEN), contentType, HANGUP));
        assertThat(r.status).as("%s", r).isEqualTo(200);
    }

    @Test
    void authenticationComesBeforeContentType() {
        assertTwilioError(send(post(sim, PARENT, newCallSid(), null, "text/plain", HANGUP)), 401, 20003);
    }
}
