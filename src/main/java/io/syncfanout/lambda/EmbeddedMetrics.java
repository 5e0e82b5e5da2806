package io.syncfanout.lambda;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.syncfanout.fanout.FailureKind;

/**
 * The summary as a CloudWatch Embedded Metric Format document
 * (<a href="https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html">
 * specification</a>): CloudWatch turns the log line into metrics, with no API call and no agent.
 * The human summary rides along as {@code message}.
 */
final class EmbeddedMetrics {

    /** EMF takes at most 100 values per metric in one document. */
    static final int MAX_VALUES = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private EmbeddedMetrics() {
    }

    static String document(InvocationSummary summary, String namespace, String functionName, String requestId,
            long timestampMillis) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", timestampMillis);
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        directive.putArray("Dimensions").addArray().add("FunctionName");
        ArrayNode metrics = directive.putArray("Metrics");

        root.put("FunctionName", functionName);
        metric(root, metrics, "RecordsReceived", "Count", summary.records());
        metric(root, metrics, "RecordsSuperseded", "Count", summary.superseded());
        metric(root, metrics, "RecordsFailed", "Count", summary.failed());
        for (FailureKind kind : FailureKind.values()) {
            metric(root, metrics, kind.metric(), "Count", summary.failed(kind));
        }
        metric(root, metrics, "Publishes", "Count", summary.publishes());
        metric(root, metrics, "PublishRetries", "Count", summary.retries());
        metric(root, metrics, "BytesPublished", "Bytes", summary.bytes());
        metric(root, metrics, "RateLimitedAnswers", "Count", summary.rateLimitedAnswers());
        metric(root, metrics, "RateLimitPause", "Milliseconds", summary.rateLimitPausedMillis());
        metric(root, metrics, "CircuitOpened", "Count", summary.circuitOpened());
        metric(root, metrics, "CircuitOpen", "None", summary.circuitOpen() ? 1 : 0);
        metric(root, metrics, "RecordsParked", "Count", summary.redelivered().parked());
        metric(root, metrics, "RedeliveriesDelayed", "Count", summary.redelivered().delayed());
        metric(root, metrics, "RedeliveriesNotDelayed", "Count", summary.redelivered().notDelayed());
        metric(root, metrics, "ParksEnded", "Count", summary.redelivered().ended());
        metric(root, metrics, "DeadlineMissing", "Count", summary.deadlineMissing() ? 1 : 0);
        metric(root, metrics, "InvocationDuration", "Milliseconds", summary.millis());
        if (!summary.publishLatenciesMs().isEmpty()) {
            metrics.addObject().put("Name", "PublishLatency").put("Unit", "Milliseconds");
            ArrayNode values = root.putArray("PublishLatency");
            sample(summary.publishLatenciesMs()).forEach(values::add);
        }
        if (requestId != null) {
            root.put("requestId", requestId);
        }
        root.put("message", summary.text());
        return root.toString();
    }

    private static void metric(ObjectNode root, ArrayNode metrics, String name, String unit, long value) {
        metrics.addObject().put("Name", name).put("Unit", unit);
        root.put(name, value);
    }

    /** Evenly spaced values when there are more than EMF takes: the distribution, not every point. */
    static List<Long> sample(List<Long> values) {
        if (values.size() <= MAX_VALUES) {
            return values;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        List<Long> sampled = new ArrayList<>(MAX_VALUES);
        for (int i = 0; i < MAX_VALUES; i++) {
            sampled.add(sorted.get((int) ((long) i * (sorted.size() - 1) / (MAX_VALUES - 1))));
        }
        return sampled;
    }
}
