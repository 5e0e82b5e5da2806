package io.syncfanout.fanout;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.syncfanout.testing.PubNubStandIn.pubnub;
import static io.syncfanout.testing.Updates.watchlist;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.pubnub.internal.PubNubUtil;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.syncfanout.testing.LogCapture;
import io.syncfanout.testing.Invoke;
import io.syncfanout.testing.PubNubStandIn;
import io.syncfanout.testing.StandInSuite;
import io.syncfanout.testing.Published;
import io.syncfanout.testing.SqsEvents;

/** With a secret key, requests are signed as the official SDK signs them; no key ever reaches a log line. */
@QuarkusTest
@QuarkusTestResource(value = PubNubStandIn.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = PubNubStandIn.SECRET_KEY, value = SignedPublishTest.SECRET))
@TestProfile(SignedPublishTest.WithKeys.class)
class SignedPublishTest extends StandInSuite {

    static final String SECRET = "sec-c-ZmFrZS1zZWNyZXQtZm9yLXRlc3Rz";
    static final String AUTH = "auth+token/with=special~chars";

    public static class WithKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pubnub.secret-key", SECRET, "pubnub.auth-key", AUTH, "pubnub.uuid", "fanout 1");
        }
    }



    @Test
    void everyRequestCarriesTheSignatureTheOfficialSdkComputes() {
        SqsEvents event = SqsEvents.standard();
        event.add(watchlist("ann@example", "film", "Add", 1));
        event.add(watchlist("ann@example", "show", "Add", 2));

        assertTrue(Invoke.failedIds(event).isEmpty());

        Published publish = Published.all(pubnub).get(0);
        Map<String, String> params = new HashMap<>();
        for (String pair : publish.query().split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        assertEquals(AUTH, params.get("auth"));
        assertEquals("fanout 1", params.get("uuid"));
        assertEquals("1", params.get("store"));
        int timestamp = Integer.parseInt(params.remove("timestamp"));
        assertTrue(Math.abs(System.currentTimeMillis() / 1000 - timestamp) < 60, "timestamp is Unix seconds, now");
        String signature = params.remove("signature");

        String expected = PubNubUtil.INSTANCE.generateSignature(publish.rawPath(), params, "POST",
                publish.message().toString(), timestamp, "test-sub", "test-pub", SECRET);
        assertEquals(expected, signature);
        assertEquals("/publish/test-pub/test-sub/0/user.ann%40example.sync/0", publish.rawPath());
    }

    /** A retry is a request of its own: signed again, with its own timestamp, or PubNub refuses it. */
    @Test
    void aRetriedPublishIsSignedAgain() {
        pubnub.stubFor(post(urlPathMatching("/publish/.*/user\\.flaky\\.sync/0")).atPriority(1).inScenario("flaky")
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(pubnub(503, "[0,\"Service Unavailable\"]")).willSetStateTo("up"));
        SqsEvents event = SqsEvents.standard();
        event.add(watchlist("flaky", "film", "Add", 1));

        assertEquals(List.of(), Invoke.failedIds(event), "the stand-in checks the signature of every request, retries included");
        assertEquals(2, pubnub.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                urlPathMatching("/publish/.*/user\\.flaky\\.sync/0"))).size());
    }

    @Test
    void noKeyAppearsInAnyLogLineOnSuccessOrFailure() {
        pubnub.stubFor(post(urlPathMatching("/publish/.*/user\\.denied\\.sync/0")).atPriority(1)
                .willReturn(pubnub(403, "{\"status\":403,\"error\":true,\"message\":\"Forbidden\",\"payload\":{\"channels\":[\"user.denied.sync\"]}}")));
        pubnub.stubFor(post(urlPathMatching("/publish/.*/user\\.down\\.sync/0")).atPriority(1)
                .willReturn(pubnub(503, "[0,\"Service Unavailable\"]")));
        pubnub.stubFor(post(urlPathMatching("/publish/.*/user\\.reset\\.sync/0")).atPriority(1)
                .willReturn(WireMock.aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        pubnub.stubFor(post(urlPathMatching("/publish/.*/user\\.slow\\.sync/0")).atPriority(1)
                .willReturn(PubNubStandIn.sent().withFixedDelay(2_500)));
        // A proxy's error page that echoes the request: keys in the path, auth and signature in the query.
        pubnub.stubFor(post(urlPathMatching("/publish/.*/user\\.echo\\.sync/0")).atPriority(1)
                .willReturn(pubnub(502, "{{request.url}} failed upstream").withTransformers("response-template")));
        SqsEvents event = SqsEvents.standard();
        for (String user : List.of("ok", "denied", "down", "slow", "echo")) {
            event.add(watchlist(user, "film", "Add", 1));
        }
        event.add("{\"user_id\":\"bad.user\"}");
        // On its own: over HTTP/2 a reset connection takes every stream on it down, and the others'
        // own answers (the echo above all) would not be seen.
        SqsEvents reset = SqsEvents.standard();
        reset.add(watchlist("reset", "film", "Add", 1));

        List<String> lines;
        String answer;
        String resetAnswer;
        try (LogCapture log = new LogCapture()) {
            answer = Invoke.lambda(event).prettify();
            resetAnswer = Invoke.lambda(reset).prettify();
            lines = log.lines();
        }

        assertEquals(5, io.restassured.path.json.JsonPath.from(answer).getList("batchItemFailures").size(), answer);
        assertEquals(1, io.restassured.path.json.JsonPath.from(resetAnswer).getList("batchItemFailures").size(), resetAnswer);
        assertTrue(lines.stream().filter(l -> l.contains(" record m")).count() >= 6, "the six failures were logged: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("HTTP 502: /publish/[redacted]/[redacted]/0/user.echo.sync/0?[redacted] failed upstream")),
                () -> "the echoed request is logged, redacted: " + lines);
        String encodedAuth = java.net.URLEncoder.encode(AUTH, StandardCharsets.UTF_8);
        for (String line : lines) {
            assertTrue(!line.contains(SECRET) && !line.contains(AUTH) && !line.contains(encodedAuth) && !line.contains("test-pub")
                    && !line.contains("signature="), "a key reached the log: " + line);
        }
        assertTrue(!answer.contains(SECRET) && !answer.contains(AUTH) && !resetAnswer.contains(SECRET) && !resetAnswer.contains(AUTH));
    }
}
