package io.syncfanout.fanout;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.syncfanout.testing.PubNubStandIn.pubnub;
import static io.syncfanout.testing.Updates.watchlist;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncfanout.lambda.SyncFanoutFunction;
import io.syncfanout.testing.LogCapture;
import io.syncfanout.testing.PubNubStandIn;
import io.syncfanout.testing.SqsEvents;
import io.syncfanout.testing.StandInSuite;

/**
 * Invocations that overlap in one process, as Lambda Managed Instances run them: the function is
 * called on several threads at once, and each answer names only its own records.
 */
@QuarkusTest
@QuarkusTestResource(value = PubNubStandIn.class, restrictToAnnotatedClass = true)
class OverlappingInvocationsTest extends StandInSuite {

    private static final String DOWN = "/publish/test-pub/test-sub/0/user\\.down[0-9]+\\.sync/0";

    @Inject
    SyncFanoutFunction function;

    /**
     * An outage's evidence is not wiped by invocations that start while it is in flight: before the
     * circuit was shared on purpose, each of them reset it and the outage never opened it.
     */
    @Test
    void anInvocationStartingMeanwhileDoesNotEmptyTheCircuitOfOneInFlight() throws Exception {
        pubnub.stubFor(post(urlPathMatching(DOWN)).atPriority(1)
                .willReturn(pubnub(502, "<html>502 Bad Gateway</html>").withFixedDelay(150)));
        SqsEvents outage = SqsEvents.standard("outage-");
        for (int i = 0; i < 24; i++) {
            outage.add(watchlist("down" + i, "film", "Add", i + 1));
        }

        ExecutorService thread = Executors.newSingleThreadExecutor();
        List<String> overlapping = new ArrayList<>();
        try (LogCapture log = new LogCapture()) {
            Future<List<String>> outageFailed = thread.submit(() -> failedIds(function.fanout(outage.event())));
            while (!outageFailed.isDone()) {
                SqsEvents one = SqsEvents.standard("steady" + overlapping.size() + "-");
                String id = one.add(watchlist("up" + overlapping.size(), "film", "Add", 1));
                List<String> failed = failedIds(function.fanout(one.event()));
                assertTrue(List.of(id).containsAll(failed), "an answer names only its own records: " + failed);
                overlapping.add(id);
                Thread.sleep(50);
            }

            assertEquals(IntStream.range(0, 24).mapToObj(i -> "outage-" + i).sorted().toList(),
                    outageFailed.get().stream().sorted().toList(), "every record of the outage reported, and only those");
            assertTrue(log.anyContains("not attempted: the circuit breaker is open"), () -> String.join("\n", log.lines()));
            // The opening is the outage's, in its summary alone, though the steady ones ran as it opened.
            List<String> summaries = log.lines().stream().filter(line -> line.contains("sync-fanout invocation: records=")).toList();
            assertEquals(overlapping.size() + 1, summaries.size(), String.join("\n", summaries));
            summaries.forEach(line -> assertTrue(line.contains(line.contains("records=24 ") ? "circuit_opened=1 " : "circuit_opened=0 "),
                    line));
        } finally {
            thread.shutdownNow();
        }
        assertTrue(overlapping.size() >= 3, "invocations overlapped the outage: " + overlapping.size());
        int sent = pubnub.findAll(postRequestedFor(urlPathMatching(DOWN))).size();
        assertTrue(sent <= 24 * 4 * 3 / 4, "the open circuit spared PubNub: " + sent + " of 96 attempts were sent");
    }

    private static List<String> failedIds(SQSBatchResponse answer) {
        return answer.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }
}
