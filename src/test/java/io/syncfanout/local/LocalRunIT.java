package io.syncfanout.local;

import static io.syncfanout.testing.Updates.hlc;
import static io.syncfanout.testing.Updates.progress;
import static io.syncfanout.testing.Updates.watchlist;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.syncfanout.testing.SqsEvents;

/**
 * The packaged function ({@code target/function.zip}) run as Lambda runs it against the PubNub
 * stand-in, through the same runner as {@code ./run-sample}: the JVM build under AWS's Lambda Java
 * runtime client in {@code ./mvnw verify}, the native build as {@code bootstrap} under {@code -Dnative}.
 */
class LocalRunIT {

    private static final long T0 = 1_764_237_600_000L;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @TempDir
    Path work;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private RunReport run(Path sample) throws Exception {
        return run(sample, LambdaProcess.HANDLER);
    }

    private RunReport run(Path sample, String handler) throws Exception {
        // No keys from the developer's shell: always the stand-in here.
        LocalRun runner = new LocalRun(new PrintStream(printed, true, StandardCharsets.UTF_8), Path.of("target/function.zip"),
                work, Map.of(), handler);
        return runner.run(sample);
    }

    private Path write(SqsEvents event) throws Exception {
        Path file = work.resolve("event.json");
        Files.writeString(file, event.json());
        return file;
    }

    @Test
    void twoThousandRecordsForTwoHundredUsersGoOutInOnePublishPerChannelAndNothingIsLost() throws Exception {
        SqsEvents event = SqsEvents.standard();
        Set<String> watchlistTags = new HashSet<>();
        for (int round = 0; round < 10; round++) {
            for (int u = 0; u < 200; u++) {
                long clock = hlc(T0 + round * 1_000L, u);
                if (round % 3 == 0) {
                    event.add(watchlist("viewer-" + u, "show-" + round, "Add", clock));
                    watchlistTags.add("tag-" + clock);
                } else {
                    event.add(progress("viewer-" + u, "title-" + (round % 2), clock, round * 30L));
                }
            }
        }

        RunReport report = run(write(event));

        assertTrue(report.failedIds().isEmpty(), () -> report.failedIds().size() + " failed");
        assertEquals(200, report.channels().size());
        assertEquals(200, report.publishes(), "at most one publish per channel");
        Set<String> seenTags = new HashSet<>();
        report.messages().values().forEach(list -> list.forEach(m -> m.path("messages").forEach(
                item -> seenTags.add(item.path("unique_tag").asText()))));
        seenTags.remove("");
        assertEquals(watchlistTags, seenTags, "every watchlist change reached its channel");
        assertTrue(report.summary().contains("records=2000"), report.summary());
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("What reached each channel (200 channels, 200 publishes"));
    }

    @Test
    void everyLogLineIsJsonAndTheSummaryIsAnEmbeddedMetricFormatDocumentCloudWatchCanRead() throws Exception {
        RunReport report = run(Path.of("samples/invalid-among-valid.json"));

        List<String> lines = java.nio.file.Files.readAllLines(work.resolve("function.log"));
        List<JsonNode> documents = new java.util.ArrayList<>();
        for (String line : lines) {
            JsonNode json = JSON.readTree(line); // every line the function writes in production parses
            if (json.has("_aws")) {
                documents.add(json);
            } else if ("WARN".equals(json.path("level").asText())) {
                assertFalse(json.path("mdc").path("AWSRequestId").asText().isEmpty(), "a WARN line carries the request id: " + line);
            }
        }
        assertEquals(1, documents.size(), "one Embedded Metric Format document per invocation:\n" + String.join("\n", lines));
        JsonNode emf = documents.get(0);
        JsonNode directive = emf.path("_aws").path("CloudWatchMetrics").get(0);
        assertEquals("SyncFanout", directive.path("Namespace").asText());
        Set<String> declared = new HashSet<>();
        directive.path("Metrics").forEach(metric -> declared.add(metric.path("Name").asText()));
        assertTrue(declared.containsAll(Set.of("RecordsReceived", "RecordsFailed", "RecordsInvalid", "RecordsRefused", "Publishes",
                "RateLimitedAnswers", "CircuitOpen")), declared.toString());
        declared.forEach(name -> assertTrue(emf.path(name).isNumber() || emf.path(name).isArray(), name + " has no value"));
        assertEquals(report.failedIds().size(), emf.path("RecordsFailed").asInt());
        assertEquals(7, emf.path("RecordsInvalid").asInt());
        assertEquals(1, emf.path("RecordsRefused").asInt());
        assertEquals("sync-fanout-local", emf.path("FunctionName").asText());
        assertFalse(emf.path("requestId").asText().isEmpty(), "the summary names its invocation");
    }

    @Test
    void theJvmBuildRunsOnJava25WithTheJavaOptionsInfraSets() throws Exception {
        if (isNativeZip()) {
            return; // the native build brings its own runtime
        }
        assertEquals(25, LambdaProcess.javaFeatureVersion(), "infra/ deploys java25: the JVM build is tested on it");
        assertTrue(Files.readString(Path.of("infra/main.tf")).contains("\"" + LambdaProcess.INFRA_JAVA_OPTIONS + "\""),
                "the local runtime sets the JAVA_TOOL_OPTIONS infra/ deploys with");
    }

    private static boolean isNativeZip() throws Exception {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile("target/function.zip")) {
            return zip.getEntry("bootstrap") != null && zip.getEntry("runner") != null;
        }
    }

    @Test
    void aLoneUpdateGoesOutBareUnderFunqysOwnHandler() throws Exception {
        SqsEvents event = SqsEvents.standard();
        event.add(watchlist("solo", "film", "Add", hlc(T0, 1)));

        RunReport report = run(write(event), LambdaProcess.FUNQY_HANDLER);

        assertTrue(report.failedIds().isEmpty());
        List<JsonNode> messages = report.messages().get("user.solo.sync");
        assertEquals(1, messages.size());
        assertEquals("watchlist_update", messages.get(0).path("type").asText());
        assertFalse(messages.get(0).has("messages"));
        assertFalse(messages.get(0).has("user_id"));
    }

    @Test
    void theInvalidSampleReportsEachFailedRecordWithItsReason() throws Exception {
        RunReport report = run(Path.of("samples/invalid-among-valid.json"));

        assertEquals(8, report.failedIds().size());
        for (String id : report.failedIds()) {
            assertTrue(report.reasons().containsKey(id), "no reason logged for " + id);
        }
        assertTrue(report.reasons().containsValue("user_id contains '.' (not allowed in a PubNub channel name)"));
        assertTrue(report.reasons().values().stream().anyMatch(r -> r.endsWith("HTTP 403: Forbidden")));
        assertEquals(Set.of("user.ivy.sync", "user.jon.sync", "user.kim.sync"), report.channels().keySet());
        String printedText = printed.toString(StandardCharsets.UTF_8);
        assertTrue(printedText.contains("Failed records (8):"), printedText);
        assertTrue(printedText.contains("user.denied-lee.sync  HTTP 403"), printedText);
    }
}
