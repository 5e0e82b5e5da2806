package io.syncfanout.reliability;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link HostileInputTest}, against the native binary: whatever a record holds, it fails alone with its reason. */
@QuarkusIntegrationTest
class HostileInputNativeIT extends HostileInputTest {
}
