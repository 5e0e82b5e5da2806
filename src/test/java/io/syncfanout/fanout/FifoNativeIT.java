package io.syncfanout.fanout;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link FifoTest}, against the native binary: FIFO order and the failure rule across channels. */
@QuarkusIntegrationTest
class FifoNativeIT extends FifoTest {
}
