package io.syncfanout.fanout;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The function's checks against the native binary, which polls the Lambda Runtime API itself as it
 * does on {@code provided.al2023}. Every end-to-end suite has such a twin ({@code *NativeIT}); they
 * run under {@code ./mvnw verify -Dnative} (.ci/run, .github/workflows/native.yml). The JVM runner
 * jar does not poll, so in the JVM build the packaged function is checked by
 * {@link io.syncfanout.local.LocalRunIT} under AWS's runtime client instead.
 */
@QuarkusIntegrationTest
class FanoutNativeIT extends FanoutTest {
}
