package io.syncfanout.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

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
        InvocationSummary summary = new InvocationSummary(2000, 3, 1000, 1, 200, 7, 4, 2, 265_000, 1490, latencies);

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
        assertEquals(265_000, emf.path("BytesPublished").asLong());
        assertEquals(100, emf.path("PublishLatency").size(), "EMF takes at most 100 values");
        assertEquals(1, emf.path("PublishLatency").get(0).asLong());
        assertEquals(250, emf.path("PublishLatency").get(99).asLong());
        assertEquals("req-1", emf.path("requestId").asText());
        assertTrue(emf.path("message").asText().startsWith("sync-fanout invocation: records=2000 invalid=3"));
    }

    @Test
    void withoutPublishesThereIsNoLatencyMetric() throws Exception {
        InvocationSummary summary = new InvocationSummary(1, 1, 0, 0, 0, 0, 1, 0, 0, 3, List.of());
        JsonNode emf = JSON.readTree(EmbeddedMetrics.document(summary, "NS", "f", null, 1L));
        assertTrue(emf.path("PublishLatency").isMissingNode());
        for (JsonNode metric : emf.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics")) {
            assertTrue(!metric.path("Name").asText().equals("PublishLatency"));
        }
        assertTrue(emf.path("requestId").isMissingNode());
    }
}
