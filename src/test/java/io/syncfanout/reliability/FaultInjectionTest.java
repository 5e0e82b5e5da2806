package io.syncfanout.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;


import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.syncfanout.testing.DeliveryAudit;
import io.syncfanout.testing.FaultInjector;
import io.syncfanout.testing.Invoke;
import io.syncfanout.testing.LogCapture;
import io.syncfanout.testing.PubNubStandIn;
import io.syncfanout.testing.SqsEvents;
import io.syncfanout.testing.Updates;

/**
 * Nothing is lost under the faults real networks produce: for every record, an acknowledged publish
 * carried it (or the newer progress update that superseded it), or it is in batchItemFailures.
 */
@QuarkusTest
@QuarkusTestResource(value = PubNubStandIn.class, restrictToAnnotatedClass = true)
@TestProfile(FaultInjectionTest.Faults.class)
class FaultInjectionTest {

    static final long SEED = 20261127L;

    @PubNubStandIn.StandIn
    WireMockServer pubnub;

    static final int INVOCATIONS = 6;
    static final int RECORDS_PER_INVOCATION = 1_000;
    static final long BUDGET_MILLIS = 20_000;
    /**
     * The longer of the attempt timeouts in force: the test profile's 1.5 s, the packaged function's 2 s
     * (the native twin). An answer later than that the function never saw; the stalls (2.5 s) outlast both.
     */
    static final java.time.Duration ATTEMPT_TIMEOUT = java.time.Duration.ofMillis(2_000);

    public static class Faults implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Stalls (2.5 s) outlast the test profile's 1.5 s attempt timeout.
            return Map.of("sync.time-budget", BUDGET_MILLIS + "ms");
        }
    }

    @Test
    void everyRecordIsDeliveredOrReportedUnderInjectedFaults() throws IOException {
        PubNubStandIn.acknowledgeEverything(pubnub);
        FaultInjector faults = PubNubStandIn.FAULTS;
        warmUp();
        faults.reseed(SEED);
        faults.enabled(true);
        try {
            run(faults);
        } finally {
            faults.enabled(false);
        }
    }

    private void run(FaultInjector faults) throws IOException {
        Random random = new Random(SEED);
        int records = 0;
        int failed = 0;
        int lost = 0;
        int duplicates = 0;
        int acknowledgedPublishes = 0;
        int lateAnswers = 0;
        long slowest = 0;
        for (int invocation = 0; invocation < INVOCATIONS; invocation++) {
            DeliveryAudit batch = DeliveryAudit.randomBatch(random, RECORDS_PER_INVOCATION, 300,
                    1_764_237_600_000L + invocation * 10_000L);
            pubnub.resetRequests();

            long start = System.nanoTime();
            List<String> answer;
            List<String> lines;
            try (LogCapture log = new LogCapture()) {
                answer = invoke(batch.event());
                lines = log.lines();
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            slowest = Math.max(slowest, millis);
            assertTrue(millis < BUDGET_MILLIS, "answered after " + millis + " ms on a " + BUDGET_MILLIS + " ms budget");

            DeliveryAudit.Result result = batch.audit(answer, pubnub, ATTEMPT_TIMEOUT);
            records += result.records();
            failed += result.reported();
            lost += result.lost();
            duplicates += result.duplicates();
            acknowledgedPublishes += result.acknowledgedPublishes();
            lateAnswers += result.lateAnswers();
            // Section 4: acknowledged and reported only where the answer never reached the function.
            for (String id : result.duplicateIds()) {
                assertTrue(lines.stream().anyMatch(l -> l.contains("record " + id + " failed: ") && (l.contains("connection error")
                        || l.contains("no answer") || l.contains("Stream was closed"))),
                        () -> id + " was acknowledged in time and reported failed, and not for a lost answer:\n" + String.join("\n", lines));
            }
        }

        Map<?, Integer> injected = faults.injected();
        int injectedCount = injected.values().stream().mapToInt(Integer::intValue).sum();
        String figures = String.format("fault injection (seed %d): %d invocations, %d records, %d publish requests, %d faults injected %s;"
                + " %d acknowledged publishes (%d of them after the attempt had timed out); %d records reported failed, %d lost,"
                + " %d duplicates (acknowledged in time and reported, each for an answer a dropped connection lost);"
                + " slowest answer %d ms on a %d ms budget",
                SEED, INVOCATIONS, records, faults.requests(), injectedCount, injected,
                acknowledgedPublishes, lateAnswers, failed, lost, duplicates, slowest, BUDGET_MILLIS);
        Files.createDirectories(Path.of("target/reliability"));
        Files.writeString(Path.of("target/reliability/fault-injection.txt"), figures + "\n");
        org.jboss.logging.Logger.getLogger(FaultInjectionTest.class).info(figures);

        assertEquals(0, lost, figures);
        assertTrue(lateAnswers > 0, "stalled answers came after the attempt timeout, and did not count: " + figures);
        assertTrue(records >= 5_000, figures);
        assertTrue(injectedCount > 100, "faults were injected: " + figures);
    }

    /** A cold JVM answers its first publishes slowly; faults are what this test is about, not JIT. */
    private void warmUp() {
        SqsEvents event = SqsEvents.standard();
        for (int i = 0; i < 500; i++) {
            event.add(Updates.watchlist("warm-" + (i % 100), "c", "Add", i + 1));
        }
        assertEquals(List.of(), invoke(event));
    }

    private static List<String> invoke(SqsEvents event) {
        return Invoke.failedIds(event);
    }
}
