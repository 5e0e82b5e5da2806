package io.syncfanout.fanout;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link Http2StreamLimitTest}, against the native binary: publishes wait for a free stream. */
@QuarkusIntegrationTest
class Http2StreamLimitNativeIT extends Http2StreamLimitTest {
}
