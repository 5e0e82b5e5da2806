package io.syncfanout.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;

import io.syncfanout.testing.RedeliverySettings;
import org.junit.jupiter.params.provider.ValueSource;

class StartupChecksTest {

    @ParameterizedTest
    @ValueSource(strings = { "https://ps.pndsn.com", "http://127.0.0.1:8090", "http://localhost:1", "http://[::1]:80",
            "http://127.8.9.10" })
    void acceptsHttpsAndLoopbackHttp(String origin) {
        assertTrue(StartupChecks.originProblem(URI.create(origin)).isEmpty(), origin);
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://ps.pndsn.com", "http://10.0.0.1", "http://localhost.evil.example", "ftp://ps.pndsn.com",
            "ps.pndsn.com" })
    void refusesAnythingThatWouldSendKeysInTheClear(String origin) {
        String problem = StartupChecks.originProblem(URI.create(origin)).orElseThrow();
        assertTrue(problem.startsWith("pubnub.origin"), problem);
        assertEquals(-1, problem.indexOf("secret"));
    }

    private static List<String> problems(SyncConfig.Redelivery settings) {
        List<String> problems = new ArrayList<>();
        StartupChecks.redeliveryProblems(settings, problems);
        return problems;
    }

    /** Settings that would quietly undo the outage delays are refused at start-up, each naming its property. */
    @org.junit.jupiter.api.Test
    void refusesRedeliverySettingsThatWouldUndoTheDelays() {
        RedeliverySettings d = RedeliverySettings.defaults();
        assertEquals(List.of(), problems(d));
        List<RedeliverySettings> bad = List.of(d.base(Duration.ofMillis(500)), d.multiplier(0), d.max(Duration.ofHours(13)),
                d.parkLimit(Duration.ofDays(15)), d.maxReceiveCount(0), d.concurrency(0));
        List<String> named = List.of("sync.redelivery.backoff-base", "sync.redelivery.backoff-multiplier", "sync.redelivery.backoff-max",
                "sync.redelivery.park-limit", "sync.redelivery.max-receive-count", "sync.redelivery.concurrency");
        for (int i = 0; i < bad.size(); i++) {
            List<String> problems = problems(bad.get(i));
            assertEquals(1, problems.size(), bad.get(i) + ": " + problems);
            assertTrue(problems.get(0).startsWith(named.get(i)), problems.get(0));
        }
        assertEquals(List.of(), problems(d.enabled(false).base(Duration.ZERO).multiplier(0).max(Duration.ZERO)),
                "turned off, its settings are not used");
    }
}
