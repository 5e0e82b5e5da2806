package io.syncfanout.local;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.syncfanout.testing.Updates.watchlist;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.syncfanout.testing.PubNubStandIn;
import io.syncfanout.testing.SqsEvents;

/**
 * Lambda's own deadline bounds an invocation (contract, amendment 1), as each runtime hands it to
 * the packaged function: the managed Java runtime through its Context ({@code ./mvnw verify}), the
 * Runtime API's {@code Lambda-Runtime-Deadline-Ms} header to the native {@code bootstrap}
 * ({@code -Dnative}). No {@code SYNC_TIME_BUDGET} is set, as in a deployment that forgot it.
 */
class LambdaDeadlineIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FUNCTION_TIMEOUT = Duration.ofSeconds(4);

    @TempDir
    Path work;

    private WireMockServer pubnub;
    private LambdaRuntimeApi runtimeApi;
    private LambdaProcess function;

    @BeforeEach
    void start() throws Exception {
        pubnub = PubNubStandIn.newServer(0);
        pubnub.start();
        runtimeApi = LambdaRuntimeApi.start(FUNCTION_TIMEOUT);
        function = LambdaProcess.start(Path.of("target/function.zip"), work, runtimeApi.address(), LambdaProcess.HANDLER,
                PubNubStandIn.functionEnvironment(pubnub));
        SqsEvents warm = SqsEvents.standard();
        warm.add(watchlist("warm", "film", "Add", 1));
        assertEquals(200, runtimeApi.invoke(warm.json()).statusCode(), "the function answers at all");
    }

    @AfterEach
    void stop() throws Exception {
        function.close();
        runtimeApi.close();
        pubnub.stop();
    }

    @Test
    void withPubNubStallingTheAnswerComesBeforeLambdasDeadline() throws Exception {
        pubnub.stubFor(post(urlPathMatching("/publish/.*")).atPriority(1).willReturn(PubNubStandIn.sent().withFixedDelay(10_000)));
        SqsEvents event = SqsEvents.standard();
        for (int i = 0; i < 20; i++) {
            event.add(watchlist("stuck" + i, "film", "Add", i + 1));
        }

        long start = System.nanoTime();
        HttpResponse<String> answer = runtimeApi.invoke(event.json());
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(millis < FUNCTION_TIMEOUT.toMillis(), "answered after " + millis + " ms; Lambda stops the function at "
                + FUNCTION_TIMEOUT.toMillis());
        List<String> failed = JSON.readTree(answer.body()).path("batchItemFailures").findValuesAsText("itemIdentifier");
        assertEquals(20, failed.size(), "every stalled record is reported, for SQS to deliver again");
        assertTrue(function.output().stream().anyMatch(line -> line.contains("before Lambda's deadline")),
                "the reason names Lambda's deadline:\n" + String.join("\n", function.output()));
    }
}
