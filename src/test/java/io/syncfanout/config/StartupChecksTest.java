package io.syncfanout.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.params.ParameterizedTest;
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

    /** The redelivery settings, as SyncConfig gives them; the defaults unless a case changes one. */
    record Redelivery(boolean backoffEnabled, Duration backoffBase, int backoffMultiplier, Duration backoffMax, Duration parkLimit,
            OptionalInt maxReceiveCount, int concurrency, Duration callTimeout, Duration reserve, long reserveMicrosPerRecord)
            implements SyncConfig.Redelivery {
        static Redelivery defaults() {
            return new Redelivery(true, Duration.ofSeconds(60), 6, Duration.ofMinutes(15), Duration.ofHours(6), OptionalInt.empty(), 16,
                    Duration.ofSeconds(1), Duration.ofMillis(300), 250);
        }
    }

    private static List<String> problems(SyncConfig.Redelivery settings) {
        List<String> problems = new ArrayList<>();
        StartupChecks.redeliveryProblems(settings, problems);
        return problems;
    }

    /** Settings that would quietly undo the outage delays are refused at start-up, each naming its property. */
    @org.junit.jupiter.api.Test
    void refusesRedeliverySettingsThatWouldUndoTheDelays() {
        assertEquals(List.of(), problems(Redelivery.defaults()));
        Redelivery d = Redelivery.defaults();
        List<Redelivery> bad = List.of(
                new Redelivery(true, Duration.ofMillis(500), 6, d.backoffMax(), d.parkLimit(), d.maxReceiveCount(), 16, d.callTimeout(), d.reserve(), 250),
                new Redelivery(true, d.backoffBase(), 0, d.backoffMax(), d.parkLimit(), d.maxReceiveCount(), 16, d.callTimeout(), d.reserve(), 250),
                new Redelivery(true, d.backoffBase(), 6, Duration.ofHours(13), d.parkLimit(), d.maxReceiveCount(), 16, d.callTimeout(), d.reserve(), 250),
                new Redelivery(true, d.backoffBase(), 6, d.backoffMax(), Duration.ofDays(15), d.maxReceiveCount(), 16, d.callTimeout(), d.reserve(), 250),
                new Redelivery(true, d.backoffBase(), 6, d.backoffMax(), d.parkLimit(), OptionalInt.of(0), 16, d.callTimeout(), d.reserve(), 250),
                new Redelivery(true, d.backoffBase(), 6, d.backoffMax(), d.parkLimit(), d.maxReceiveCount(), 0, d.callTimeout(), d.reserve(), 250));
        List<String> named = List.of("sync.redelivery.backoff-base", "sync.redelivery.backoff-multiplier", "sync.redelivery.backoff-max",
                "sync.redelivery.park-limit", "sync.redelivery.max-receive-count", "sync.redelivery.concurrency");
        for (int i = 0; i < bad.size(); i++) {
            List<String> problems = problems(bad.get(i));
            assertEquals(1, problems.size(), bad.get(i) + ": " + problems);
            assertTrue(problems.get(0).startsWith(named.get(i)), problems.get(0));
        }
        Redelivery off = new Redelivery(false, Duration.ZERO, 0, Duration.ZERO, d.parkLimit(), d.maxReceiveCount(), 16, d.callTimeout(),
                d.reserve(), 250);
        assertEquals(List.of(), problems(off), "turned off, its settings are not used");
    }
}
