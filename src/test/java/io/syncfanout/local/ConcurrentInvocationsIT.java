package io.syncfanout.local;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.syncfanout.testing.PubNubStandIn.pubnub;
import static io.syncfanout.testing.Updates.watchlist;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.syncfanout.testing.PubNubStandIn;
import io.syncfanout.testing.Published;
import io.syncfanout.testing.SqsEvents;

/**
 * Several invocations at once in one process, as Lambda Managed Instances run the JVM build: AWS's
 * runtime interface client with {@code AWS_LAMBDA_MAX_CONCURRENCY} polls the Runtime API on that many
 * threads. Each invocation meets its own faults (refused channels, 429s, a 503 outage of some
 * channels, invalid records), and each answer and each summary must be exactly its own, with nothing
 * lost. The native build's poll loop takes one event at a time: under {@code -Dnative} the same
 * invocations run one after another, with the same answers.
 */
class ConcurrentInvocationsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CONCURRENCY = 4;
    /** Long enough that every invocation is still publishing when the last one starts. */
    private static final int ANSWER_DELAY_MS = 700;
    /** Each update's clock, and so its unique_tag, distinct across the invocations. */
    private static final java.util.concurrent.atomic.AtomicLong CLOCK = new java.util.concurrent.atomic.AtomicLong(1);

    @TempDir
    Path work;

    private WireMockServer pubnub;
    private LambdaRuntimeApi runtimeApi;
    private LambdaProcess function;

    @AfterEach
    void stop() throws Exception {
        if (function != null) {
            function.close();
        }
        if (runtimeApi != null) {
            runtimeApi.close();
        }
        if (pubnub != null) {
            pubnub.stop();
        }
    }

    /** One invocation's event and what the test knows of it. */
    private record Invocation(int index, SqsEvents event, Map<String, String> idByTag, Set<String> invalid) {
        String user(String kind, int i) {
            return "k" + index + "-" + kind + i;
        }
    }

    @Test
    void eachOfFourInvocationsAtOnceAnswersForItsOwnRecordsAndCountsOnlyWhatItsOwnPublishesMet() throws Exception {
        pubnub = PubNubStandIn.newServer(0, PubNubStandIn.Transport.HTTPS_H2);
        pubnub.start();
        stub("ok", PubNubStandIn.sent().withFixedDelay(ANSWER_DELAY_MS));
        stub("denied", pubnub(403, "{\"message\":\"Forbidden\",\"error\":true,\"service\":\"Access Manager\",\"status\":403}"));
        stub("limited", pubnub(429, "{\"status\":429,\"error\":true,\"message\":\"Too Many Requests\"}").withHeader("Retry-After", "1"));
        stub("down", pubnub(503, "{\"status\":503,\"error\":true,\"message\":\"Service Unavailable\"}"));
        runtimeApi = LambdaRuntimeApi.start(Duration.ofSeconds(30));
        Map<String, String> environment = new HashMap<>(PubNubStandIn.functionEnvironment(pubnub));
        environment.put("AWS_LAMBDA_MAX_CONCURRENCY", Integer.toString(CONCURRENCY));
        function = LambdaProcess.start(Path.of("target/function.zip"), work, runtimeApi.address(), LambdaProcess.HANDLER, environment);

        // A different number of records each, so that each summary is known by its RecordsReceived.
        List<Invocation> invocations = new ArrayList<>();
        for (int k = 0; k < CONCURRENCY; k++) {
            invocations.add(new Invocation(k, SqsEvents.standard("inv" + k + "-"), new HashMap<>(), new HashSet<>()));
        }
        add(invocations.get(0), "ok", 12);
        add(invocations.get(1), "ok", 10);
        add(invocations.get(1), "denied", 2);
        invocations.get(1).invalid().add(invocations.get(1).event().add("{\"user_id\":\"k1-broken\",\"type\":"));
        add(invocations.get(2), "ok", 10);
        add(invocations.get(2), "limited", 2);
        add(invocations.get(2), "ok", 2);
        add(invocations.get(3), "ok", 11);
        add(invocations.get(3), "down", 4);

        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (Invocation invocation : invocations) {
            answers.add(runtimeApi.invokeAsync(invocation.event().json()));
        }
        Map<Integer, List<String>> failedByInvocation = new HashMap<>();
        for (Invocation invocation : invocations) {
            HttpResponse<String> answer = answers.get(invocation.index()).get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), answer.body() + "\n" + function.tail());
            failedByInvocation.put(invocation.index(),
                    JSON.readTree(answer.body()).path("batchItemFailures").findValuesAsText("itemIdentifier"));
        }

        Set<String> acknowledged = delivered(invocations);
        Map<Integer, JsonNode> summaries = summaries();
        for (Invocation invocation : invocations) {
            int k = invocation.index();
            Set<String> own = new TreeSet<>(invocation.idByTag().values());
            own.addAll(invocation.invalid());
            Set<String> failed = new TreeSet<>(failedByInvocation.get(k));
            Set<String> delivered = new TreeSet<>(acknowledged);
            delivered.retainAll(own);
            assertTrue(own.containsAll(failed), "invocation " + k + " names only its own records: " + failed);
            Set<String> accounted = new TreeSet<>(failed);
            accounted.addAll(delivered);
            assertEquals(own, accounted, "invocation " + k + ": every record delivered or reported, nothing lost");

            JsonNode summary = summaries.get(invocation.event().size());
            assertTrue(summary != null, "a summary for invocation " + k + ": " + summaries.keySet());
            assertEquals(failed.size(), summary.path("RecordsFailed").asInt(), "invocation " + k + ": " + summary.path("message"));
            assertEquals(answersTo(invocation, "limited"), summary.path("RateLimitedAnswers").asInt(),
                    "invocation " + k + " counts the 429s its own publishes got: " + summary.path("message"));
            if (answersTo(invocation, "limited") == 0) {
                assertEquals(0, summary.path("RateLimitPause").asInt(), "invocation " + k + ": " + summary.path("message"));
            }
            assertTrue(summary.path("message").asText().contains("protocol=h2"), summary.path("message").asText());
        }
        assertEquals(List.of(), failedByInvocation.get(0), "the healthy invocation delivered everything, whatever the others met");
        assertEquals(2, summaries.get(invocations.get(1).event().size()).path("RecordsRefused").asInt());
        assertEquals(1, summaries.get(invocations.get(1).event().size()).path("RecordsInvalid").asInt());
        assertTrue(answersTo(invocations.get(2), "limited") > 0, "the 429s were met");

        List<long[]> spans = spans(invocations);
        long lastStart = spans.stream().mapToLong(span -> span[0]).max().orElseThrow();
        long firstEnd = spans.stream().mapToLong(span -> span[1]).min().orElseThrow();
        if (function.isNative()) {
            // Quarkus's poll loop asks for the next event once it has answered the last.
            assertTrue(lastStart >= firstEnd, "the native build ran one invocation at a time");
        } else {
            assertTrue(lastStart < firstEnd, "all " + CONCURRENCY + " invocations were publishing at once: " + describe(spans));
        }
    }

    private void stub(String kind, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
        pubnub.stubFor(post(urlPathMatching(path(kind))).atPriority(1).willReturn(answer));
    }

    private static String path(String kind) {
        return "/publish/demo-pub/demo-sub/0/user\\.k[0-9]+-" + kind + "[0-9]+\\.sync/0";
    }

    private static void add(Invocation invocation, String kind, int users) {
        int first = invocation.idByTag().size(); // user numbers go on across kinds
        for (int i = first; i < first + users; i++) {
            long hlc = CLOCK.getAndIncrement();
            invocation.idByTag().put("tag-" + hlc, invocation.event().add(watchlist(invocation.user(kind, i), "film", "Add", hlc)));
        }
    }

    /** The records PubNub acknowledged, found by their unique_tag. */
    private Set<String> delivered(List<Invocation> invocations) {
        Map<String, String> idByTag = new HashMap<>();
        invocations.forEach(invocation -> idByTag.putAll(invocation.idByTag()));
        Set<String> delivered = new HashSet<>();
        for (Published publish : Published.all(pubnub)) {
            if (!publish.channel().contains("-ok")) {
                continue; // refused, rate limited or down: not acknowledged
            }
            for (JsonNode item : publish.items()) {
                String id = idByTag.get(item.path("unique_tag").asText());
                assertTrue(id != null, "a message no invocation sent: " + item);
                delivered.add(id);
            }
        }
        return delivered;
    }

    /** The answers the stand-in gave this invocation's channels of a kind. */
    private int answersTo(Invocation invocation, String kind) {
        return pubnub.findAll(postRequestedFor(urlPathMatching(path(kind).replace("k[0-9]+", "k" + invocation.index())))).size();
    }

    /** The Embedded Metric Format summaries the function wrote, by RecordsReceived. */
    private Map<Integer, JsonNode> summaries() throws Exception {
        Map<Integer, JsonNode> summaries = new HashMap<>();
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (summaries.size() < CONCURRENCY && System.nanoTime() < until) {
            summaries.clear();
            for (String line : function.output()) {
                if (line.startsWith("{") && line.contains("\"_aws\"")) {
                    JsonNode summary = JSON.readTree(line);
                    summaries.put(summary.path("RecordsReceived").asInt(), summary);
                }
            }
            Thread.sleep(50);
        }
        return summaries;
    }

    /** When each invocation's first publish reached the stand-in and its last was answered, in ms. */
    private List<long[]> spans(List<Invocation> invocations) {
        List<long[]> spans = new ArrayList<>();
        for (Invocation invocation : invocations) {
            List<LoggedRequest> requests = pubnub.findAll(postRequestedFor(
                    urlPathMatching("/publish/demo-pub/demo-sub/0/user\\.k" + invocation.index() + "-ok[0-9]+\\.sync/0")));
            long start = requests.stream().mapToLong(r -> r.getLoggedDate().getTime()).min().orElseThrow();
            long end = requests.stream().mapToLong(r -> r.getLoggedDate().getTime()).max().orElseThrow() + ANSWER_DELAY_MS;
            spans.add(new long[] { start, end });
        }
        return spans;
    }

    private static String describe(List<long[]> spans) {
        long origin = spans.stream().mapToLong(span -> span[0]).min().orElseThrow();
        return spans.stream().map(span -> "[" + (span[0] - origin) + ", " + (span[1] - origin) + "] ms").toList().toString();
    }
}
