package io.syncfanout.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

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
}
