package io.syncfanout.config;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link KeysFromSecretsManagerTest}, against the native binary: the key source's HTTP client and JSON in the image. */
@QuarkusIntegrationTest
class KeysFromSecretsManagerNativeIT extends KeysFromSecretsManagerTest {
}
