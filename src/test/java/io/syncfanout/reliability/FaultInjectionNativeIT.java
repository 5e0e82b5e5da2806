package io.syncfanout.reliability;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link FaultInjectionTest}, against the native binary: nothing is lost under injected faults. */
@QuarkusIntegrationTest
class FaultInjectionNativeIT extends FaultInjectionTest {
}
