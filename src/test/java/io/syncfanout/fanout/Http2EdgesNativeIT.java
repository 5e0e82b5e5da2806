package io.syncfanout.fanout;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link Http2EdgesTest}, against the native binary: TLS with a private CA, HTTP/2 by ALPN, GOAWAY. */
@QuarkusIntegrationTest
class Http2EdgesNativeIT extends Http2EdgesTest {
}
