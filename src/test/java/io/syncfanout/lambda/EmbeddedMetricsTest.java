package io.syncfanout.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.syncfanout.fanout.FailureKind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The summary line is a valid CloudWatch Embedded Metric Format document. */
class EmbeddedMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyDeclaredMetricHasANumericValueAtTheTopLevel() throws Exception {
        List<Long> latencies = new ArrayList<>();
        for (long i = 1; i <= 250; i++) {
            latencies.add(i);
        }
        InvocationSummary summary = new InvocationSummary(2000, 1000, 1, 200, 7, 265_000,
                Map.of(FailureKind.INVALID, 3, FailureKind.OUT_OF_TIME, 1), 1490, latencies, 12, 2_000, 1, true, true, "h2",
                new InvocationSummary.Redelivered(5, 4, 3, 2));

        JsonNode emf = JSON.readTree(EmbeddedMetrics.document(summary, "SyncFanout", "sync-fanout-prod", "req-1", 1_764_237_600_000L));

        JsonNode directive = emf.path("_aws").path("CloudWatchMetrics").get(0);
        assertEquals(1_764_237_600_000L, emf.path("_aws").path("Timestamp").asLong());
        assertEquals("SyncFanout", directive.path("Namespace").asText());
        assertEquals("FunctionName", directive.path("Dimensions").get(0).get(0).asText());
        assertEquals("sync-fanout-prod", emf.path("FunctionName").asText());
        for (JsonNode metric : directive.path("Metrics")) {
            JsonNode value = emf.path(metric.path("Name").asText());
            assertTrue(value.isNumber() || (value.isArray() && value.size() > 0), metric + " has no value");
        }
        assertEquals(2000, emf.path("RecordsReceived").asLong());
        assertEquals(4, emf.path("RecordsFailed").asLong());
        assertEquals(3, emf.path("RecordsInvalid").asLong());
        assertEquals(1, emf.path("RecordsOutOfTime").asLong());
        assertEquals(0, emf.path("RecordsRefused").asLong(), "every kind is reported, zero included, so graphs have no gaps");
        assertEquals(12, emf.path("RateLimitedAnswers").asLong());
        assertEquals(2_000, emf.path("RateLimitPause").asLong());
        assertEquals(1, emf.path("CircuitOpened").asLong());
        assertEquals(1, emf.path("CircuitOpen").asLong());
        assertEquals(5, emf.path("RecordsParked").asLong());
        assertEquals(4, emf.path("RedeliveriesDelayed").asLong());
        assertEquals(3, emf.path("RedeliveriesNotDelayed").asLong(), "the alarm's metric: records an outage may yet dead-letter");
        assertEquals(2, emf.path("ParksEnded").asLong());
        assertEquals(265_000, emf.path("BytesPublished").asLong());
        assertEquals(1, emf.path("DeadlineMissing").asLong(), "amendment 17: an invocation without Lambda's deadline is counted");
        assertEquals(100, emf.path("PublishLatency").size(), "EMF takes at most 100 values");
        assertEquals(1, emf.path("PublishLatency").get(0).asLong());
        assertEquals(250, emf.path("PublishLatency").get(99).asLong());
        assertEquals("req-1", emf.path("requestId").asText());
        assertEquals("sync-fanout invocation: records=2000 superseded=1000 duplicates=1 publishes=200 retries=7 bytes=265000 "
                + "failed=4 invalid=3 refused=0 undelivered=0 failed_fast=0 out_of_time=1 behind_failure=0 rate_limited=12 "
                + "paused_ms=2000 circuit_opened=1 circuit=open parked=5 redelivery_delayed=4 "
                + "redelivery_not_delayed=3 park_ended=2 deadline_missing=1 protocol=h2 ms=1490", emf.path("message").asText());
    }

    @Test
    void withoutPublishesThereIsNoLatencyMetric() throws Exception {
        InvocationSummary summary = new InvocationSummary(1, 0, 0, 0, 0, 0, Map.of(FailureKind.INVALID, 1), 3, List.of(), 0, 0, 0,
                false, false, "none", InvocationSummary.Redelivered.NONE);
        JsonNode emf = JSON.readTree(EmbeddedMetrics.document(summary, "NS", "f", null, 1L));
        assertTrue(emf.path("PublishLatency").isMissingNode());
        for (JsonNode metric : emf.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics")) {
            assertTrue(!metric.path("Name").asText().equals("PublishLatency"));
        }
        assertTrue(emf.path("requestId").isMissingNode());
    }
}
