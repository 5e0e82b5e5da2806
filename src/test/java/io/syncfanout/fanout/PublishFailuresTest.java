package io.syncfanout.fanout;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.syncfanout.testing.PubNubStandIn.pubnub;
import static io.syncfanout.testing.PubNubStandIn.sent;
import static io.syncfanout.testing.Updates.progress;
import static io.syncfanout.testing.Updates.watchlist;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncfanout.testing.LogCapture;
import io.syncfanout.testing.Invoke;
import io.syncfanout.testing.PubNubStandIn;
import io.syncfanout.testing.StandInSuite;
import io.syncfanout.testing.Published;
import io.syncfanout.testing.SqsEvents;

/** What PubNub's failures turn into: retried, given up on, or refused, and always accounted for. */
@QuarkusTest
@QuarkusTestResource(value = PubNubStandIn.class, restrictToAnnotatedClass = true)
class PublishFailuresTest extends StandInSuite {



    private static MappingBuilder publishTo(String user) {
        return post(urlPathEqualTo("/publish/test-pub/test-sub/0/user." + user + ".sync/0")).atPriority(1);
    }

    private List<LoggedRequest> requestsTo(String user) {
        return pubnub.findAll(postRequestedFor(urlPathEqualTo("/publish/test-pub/test-sub/0/user." + user + ".sync/0")));
    }

    private static SqsEvents oneUpdateFor(String user) {
        SqsEvents event = SqsEvents.standard();
        event.add(watchlist(user, "film", "Add", 42));
        return event;
    }

    @Test
    void aServerErrorIsRetriedAndThenSucceeds() {
        pubnub.stubFor(publishTo("ann").inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(pubnub(503, "{\"status\":503,\"error\":true,\"message\":\"Service Unavailable\"}"))
                .willSetStateTo("recovered"));
        pubnub.stubFor(publishTo("ann").inScenario("flaky").whenScenarioStateIs("recovered").willReturn(sent()));

        assertTrue(Invoke.failedIds(oneUpdateFor("ann")).isEmpty());
        assertEquals(2, requestsTo("ann").size());
    }

    /** Nothing a record holds may crash the function: not even what delaying its redelivery reads of it. */
    @Test
    void anOutagesRecordsWithAttributesLambdaWouldNeverWriteAreStillReportedFailed() {
        pubnub.stubFor(publishTo("ode").willReturn(pubnub(503, "{\"status\":503,\"error\":true,\"message\":\"Service Unavailable\"}")));
        SqsEvents event = SqsEvents.standard();
        String countNotANumber = event.add(watchlist("ode", "film", "Add", 44));
        String noReceiptHandle = event.add(watchlist("ode", "film", "Add", 45));
        String notAQueue = event.add(watchlist("ode", "film", "Add", 46));
        event.tamper(countNotANumber, "attributes.ApproximateReceiveCount", "many").tamper(noReceiptHandle, "receiptHandle", null)
                .tamper(noReceiptHandle, "attributes.ApproximateReceiveCount", null).tamper(notAQueue, "eventSourceARN", "arn:aws:kinesis:x");

        assertEquals(java.util.Set.of(countNotANumber, noReceiptHandle, notAQueue), java.util.Set.copyOf(Invoke.failedIds(event)));
    }

    @Test
    void aDroppedConnectionIsRetried() {
        pubnub.stubFor(publishTo("ari").inScenario("reset").whenScenarioStateIs(STARTED)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
                .willSetStateTo("up"));
        pubnub.stubFor(publishTo("ari").inScenario("reset").whenScenarioStateIs("up").willReturn(sent()));

        assertTrue(Invoke.failedIds(oneUpdateFor("ari")).isEmpty());
        assertEquals(2, requestsTo("ari").size());
    }

    @Test
    void anAnswerThatIsNotPubNubsIsRetried() {
        pubnub.stubFor(publishTo("abe").inScenario("proxy").whenScenarioStateIs(STARTED)
                .willReturn(pubnub(200, "<html>captive portal</html>")).willSetStateTo("direct"));
        pubnub.stubFor(publishTo("abe").inScenario("proxy").whenScenarioStateIs("direct").willReturn(sent()));

        assertTrue(Invoke.failedIds(oneUpdateFor("abe")).isEmpty());
        assertEquals(2, requestsTo("abe").size());
    }

    @Test
    void afterThreeRetriesTheRecordIsReportedFailedWithItsReason() {
        pubnub.stubFor(publishTo("ben").willReturn(pubnub(500, "[0,\"Internal Server Error\"]")));
        SqsEvents event = oneUpdateFor("ben");
        String healthy = event.add(watchlist("bea", "film", "Add", 43));

        try (LogCapture log = new LogCapture()) {
            assertEquals(List.of("m0"), Invoke.failedIds(event));
            assertTrue(log.anyContains("record m0 failed: publish to user.ben.sync failed after 4 attempts: HTTP 500: Internal Server Error"),
                    () -> String.join("\n", log.lines()));
            // An outage's failure is parked on its queue; here no SQS can be reached (no credentials, no network), and
            // that is a WARN: the record is reported failed all the same.
            assertTrue(log.anyContains("1 records that failed for an outage could not be parked or delayed"), () -> String.join("\n", log.lines()));
        }
        assertEquals(4, requestsTo("ben").size(), "the first attempt and 3 retries");
        assertEquals(1, requestsTo("bea").size(), healthy + " is published regardless");
    }

    @Test
    void aForbiddenPublishIsNotRetried() {
        pubnub.stubFor(publishTo("cat").willReturn(pubnub(403,
                "{\"message\":\"Forbidden\",\"payload\":{\"channels\":[\"user.cat.sync\"]},\"error\":true,\"service\":\"Access Manager\",\"status\":403}")));

        try (LogCapture log = new LogCapture()) {
            assertEquals(List.of("m0"), Invoke.failedIds(oneUpdateFor("cat")));
            assertTrue(log.anyContains("HTTP 403: Forbidden"));
        }
        assertEquals(1, requestsTo("cat").size());
    }

    @Test
    void aBadRequestIsNotRetried() {
        pubnub.stubFor(publishTo("cid").willReturn(pubnub(400, "[0,\"Invalid JSON\"]")));

        assertEquals(List.of("m0"), Invoke.failedIds(oneUpdateFor("cid")));
        assertEquals(1, requestsTo("cid").size());
    }

    @Test
    void rateLimitingIsHonouredForAsLongAsRetryAfterAsks() {
        pubnub.stubFor(publishTo("dan").inScenario("limited").whenScenarioStateIs(STARTED)
                .willReturn(pubnub(429, "{\"status\":429,\"error\":true,\"message\":\"Too Many Requests\"}")
                        .withHeader("Retry-After", "1"))
                .willSetStateTo("allowed"));
        pubnub.stubFor(publishTo("dan").inScenario("limited").whenScenarioStateIs("allowed").willReturn(sent()));

        assertTrue(Invoke.failedIds(oneUpdateFor("dan")).isEmpty());
        List<LoggedRequest> requests = requestsTo("dan");
        assertEquals(2, requests.size());
        long waited = requests.get(1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime();
        assertTrue(waited >= 950, "retried after " + waited + " ms; Retry-After asked for 1 s");
    }

    @Test
    void aStalledAnswerIsCutOffByTheTimeoutAndRetried() {
        pubnub.stubFor(publishTo("dot").inScenario("stall").whenScenarioStateIs(STARTED)
                .willReturn(sent().withFixedDelay(4_000)).willSetStateTo("fast"));
        pubnub.stubFor(publishTo("dot").inScenario("stall").whenScenarioStateIs("fast").willReturn(sent()));

        long start = System.nanoTime();
        assertTrue(Invoke.failedIds(oneUpdateFor("dot")).isEmpty());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(2, requestsTo("dot").size());
        assertTrue(millis < 3_900, "answered in " + millis + " ms: the stalled attempt was not waited out");
    }

    @Test
    void aPublishThatAlwaysStallsFailsWithTheTimeoutAsItsReason() {
        pubnub.stubFor(publishTo("eli").willReturn(sent().withFixedDelay(4_000)));

        try (LogCapture log = new LogCapture()) {
            assertEquals(List.of("m0"), Invoke.failedIds(oneUpdateFor("eli")));
            // The test profile's 1.5 s, or the packaged function's default: the reason names the one in force.
            assertTrue(log.lines().stream().anyMatch(line -> line.matches(
                    ".*record m0 failed: publish to user.eli.sync failed after 4 attempts: no answer from PubNub within the \\d+ ms attempt "
                            + "timeout \\(sync.publish.attempt-timeout-ms\\)(; .*)?")), () -> String.join("\n", log.lines()));
        }
    }

    @Test
    void aPublishTooLargeForPubNubIsSplitInHalves() {
        pubnub.stubFor(post(urlPathMatching("/publish/.*")).atPriority(1).withRequestBody(containing("\"type\":\"batch\""))
                .withRequestBody(containing("\"content_id\":\"c3\""))
                .willReturn(pubnub(413, "{\"status\":413,\"error\":true,\"message\":\"Request Entity Too Large\"}")));
        SqsEvents event = SqsEvents.standard();
        for (int i = 0; i < 6; i++) {
            event.add(watchlist("fen", "c" + i, "Add", i + 1));
        }

        assertTrue(Invoke.failedIds(event).isEmpty());
        List<Published> published = Published.distinct(pubnub).stream()
                .filter(p -> !p.items().stream().anyMatch(i -> i.path("content_id").asText().equals("c3")) || !p.isEnvelope())
                .toList();
        List<String> order = published.stream().flatMap(p -> p.items().stream()).map(i -> i.path("content_id").asText()).toList();
        assertEquals(List.of("c0", "c1", "c2", "c3", "c4", "c5"), order, "every item once, in order");
    }

    @Test
    void anOutageOpensTheCircuitTheRestFailsFastAndTheNextInvocationPublishesNormally() {
        pubnub.stubFor(post(urlPathMatching("/publish/.*")).atPriority(1)
                .willReturn(pubnub(502, "<html>502 Bad Gateway</html>")));
        SqsEvents event = SqsEvents.standard();
        for (int i = 0; i < 24; i++) {
            event.add(watchlist("out" + i, "film", "Add", i + 1));
        }

        List<String> failed;
        try (LogCapture log = new LogCapture()) {
            failed = Invoke.failedIds(event);
            assertTrue(log.anyContains("PubNub circuit breaker 'pubnub-publish' is now OPEN"), () -> String.join("\n", log.lines()));
            assertTrue(log.anyContains("not attempted: the circuit breaker is open"), () -> String.join("\n", log.lines()));
        }
        assertEquals(24, failed.size(), "every record is reported, none lost");
        int requests = pubnub.findAll(postRequestedFor(urlPathMatching("/publish/.*"))).size();
        assertTrue(requests <= 24 * 4 * 3 / 4, "the open circuit spared PubNub: " + requests + " of 96 attempts were sent");

        // PubNub is back at once: the next invocation publishes normally (amendment 2).
        PubNubStandIn.acknowledgeEverything(pubnub);
        try (LogCapture log = new LogCapture()) {
            assertEquals(List.of(), Invoke.failedIds(oneUpdateFor("late")));
            assertTrue(log.anyContains("is now CLOSED for a new invocation"), () -> String.join("\n", log.lines()));
        }
        assertEquals(1, requestsTo("late").size());
    }

    /** An invocation's failures stay its own: the next starts with an empty window, even while closed. */
    @Test
    void theCircuitsFailuresAreNotCarriedIntoTheNextInvocation() {
        pubnub.stubFor(post(urlPathMatching("/publish/test-pub/test-sub/0/user\\.flaky[0-9]+\\.sync/0")).atPriority(1)
                .willReturn(pubnub(502, "<html>502 Bad Gateway</html>")));
        // 10 acknowledged publishes and 7 that fail 4 times each: 28 outage failures in 38 attempts,
        // short of the 40 attempts the circuit needs before it may open.
        SqsEvents first = SqsEvents.standard();
        for (int i = 0; i < 10; i++) {
            first.add(watchlist("steady" + i, "film", "Add", i + 1));
        }
        for (int i = 0; i < 7; i++) {
            first.add(watchlist("flaky" + i, "film", "Add", i + 11));
        }
        try (LogCapture log = new LogCapture()) {
            assertEquals(7, Invoke.failedIds(first).size());
            assertTrue(!log.anyContains("is now OPEN"), () -> String.join("\n", log.lines()));
        }

        // One more failing publish: counted on top of the first invocation's, its second attempt would
        // make 30 failures in the last 40 and open the circuit.
        try (LogCapture log = new LogCapture()) {
            assertEquals(1, Invoke.failedIds(oneUpdateFor("flaky99")).size());
            assertTrue(!log.anyContains("is now OPEN"), () -> String.join("\n", log.lines()));
            assertTrue(log.anyContains("failed after 4 attempts: HTTP 502"), () -> String.join("\n", log.lines()));
        }
    }

    @Test
    void aRateLimitStormDoesNotOpenTheCircuitAndTheNextInvocationPublishesEverything() {
        pubnub.stubFor(post(urlPathMatching("/publish/.*")).atPriority(1)
                .willReturn(pubnub(429, "{\"status\":429,\"error\":true,\"message\":\"Too Many Requests\"}").withHeader("Retry-After", "1")));
        SqsEvents storm = SqsEvents.standard();
        for (int i = 0; i < 8; i++) {
            storm.add(watchlist("busy" + i, "film", "Add", i + 1));
        }

        try (LogCapture log = new LogCapture()) {
            assertEquals(8, Invoke.failedIds(storm).size(), "PubNub never let them through");
            assertTrue(!log.anyContains("is now OPEN") && !log.anyContains("circuit breaker is open"), () -> String.join("\n", log.lines()));
            assertTrue(log.anyContains("failed after 4 attempts: HTTP 429: Too Many Requests"), () -> String.join("\n", log.lines()));
        }

        PubNubStandIn.acknowledgeEverything(pubnub);
        assertEquals(List.of(), Invoke.failedIds(storm), "the storm is over: everything goes out");
        assertEquals(8, pubnub.findAll(postRequestedFor(urlPathMatching("/publish/.*"))).size());
    }

    @Test
    void a429HoldsEveryPublishOfTheFunctionNotOnlyTheOneRefused() {
        // FIFO groups make the order visible: each group's second record starts only after its first.
        pubnub.stubFor(publishTo("lim").inScenario("limited").whenScenarioStateIs(STARTED)
                .willReturn(pubnub(429, "[0,\"Too Many Requests\"]").withHeader("Retry-After", "1")).willSetStateTo("allowed"));
        pubnub.stubFor(publishTo("lim").inScenario("limited").whenScenarioStateIs("allowed").willReturn(sent()));
        pubnub.stubFor(publishTo("calm").willReturn(sent().withFixedDelay(300)));
        SqsEvents event = SqsEvents.fifo();
        event.add(watchlist("lim", "a", "Add", 1), "g1");
        event.add(watchlist("calm", "b", "Add", 2), "g2");
        event.add(watchlist("next", "c", "Add", 3), "g2");

        assertEquals(List.of(), Invoke.failedIds(event));

        long limited = requestsTo("lim").get(0).getLoggedDate().getTime();
        long next = requestsTo("next").get(0).getLoggedDate().getTime();
        assertTrue(next - limited >= 900, "an unrelated publish waited out Retry-After: it started " + (next - limited)
                + " ms after the 429, where calm's answer came after 300");
    }

    @Test
    void attemptTimeoutsAloneDoNotOpenTheCircuit() {
        pubnub.stubFor(post(urlPathMatching("/publish/.*")).atPriority(1).willReturn(sent().withFixedDelay(4_000)));
        SqsEvents event = SqsEvents.standard();
        for (int i = 0; i < 16; i++) {
            event.add(watchlist("stall" + i, "film", "Add", i + 1));
        }

        try (LogCapture log = new LogCapture()) {
            assertEquals(16, Invoke.failedIds(event).size());
            assertTrue(!log.anyContains("is now OPEN") && !log.anyContains("circuit breaker is open"), () -> String.join("\n", log.lines()));
            assertEquals(16, log.lines().stream().filter(l -> l.contains("failed after 4 attempts: no answer from PubNub")).count(),
                    () -> String.join("\n", log.lines()));
        }
    }

    @Test
    void progressSupersededByAFailedItemIsReportedWithIt() {
        pubnub.stubFor(publishTo("gil").willReturn(pubnub(403, "[0,\"Forbidden\"]")));
        SqsEvents event = SqsEvents.standard();
        event.add(progress("gil", "film", 1, 10));
        event.add(progress("gil", "film", 2, 20));
        event.add(progress("gia", "film", 1, 10));

        assertEquals(List.of("m0", "m1"), FanoutTest.sorted(Invoke.failedIds(event)));
    }
}
