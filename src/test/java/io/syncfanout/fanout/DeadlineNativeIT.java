package io.syncfanout.fanout;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link DeadlineTest}, against the native binary: the time budget and what it had no time for. */
@QuarkusIntegrationTest
class DeadlineNativeIT extends DeadlineTest {
}
