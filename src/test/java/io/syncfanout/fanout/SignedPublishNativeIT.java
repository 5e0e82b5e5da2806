package io.syncfanout.fanout;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link SignedPublishTest}, against the native binary: HMAC signing as the SDK signs, and no key in any log line. */
@QuarkusIntegrationTest
class SignedPublishNativeIT extends SignedPublishTest {
}
