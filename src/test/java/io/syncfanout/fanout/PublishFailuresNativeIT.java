package io.syncfanout.fanout;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link PublishFailuresTest}, against the native binary: every failure reason, the circuit breaker's state changes, 429 pacing. */
@QuarkusIntegrationTest
class PublishFailuresNativeIT extends PublishFailuresTest {
}
