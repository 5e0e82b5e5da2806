package io.syncfanout.pubnub;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.ws.rs.client.ClientResponseContext;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.client.impl.RestClientRequestContext;
import org.jboss.resteasy.reactive.client.spi.ResteasyReactiveClientRequestContext;
import org.jboss.resteasy.reactive.client.spi.ResteasyReactiveClientResponseFilter;

import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpVersion;

/**
 * Which protocol PubNub answered over: HTTP/2 when the origin offers it by ALPN, HTTP/1.1 otherwise.
 * Each new connection is logged once at DEBUG; answers are counted by protocol for the invocation
 * summary ({@code protocol=h2}), so on-call can see which one PubNub gave.
 */
public class NegotiatedProtocol implements ResteasyReactiveClientResponseFilter {

    private static final Logger LOG = Logger.getLogger(NegotiatedProtocol.class);
    private static final AtomicLong HTTP2 = new AtomicLong();
    private static final AtomicLong HTTP1 = new AtomicLong();
    private static final Set<HttpConnection> SEEN = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    @Override
    public void filter(ResteasyReactiveClientRequestContext request, ClientResponseContext response) {
        RestClientRequestContext context = request.unwrap(RestClientRequestContext.class);
        HttpClientResponse answer = context == null ? null : context.getVertxClientResponse();
        if (answer == null) {
            return;
        }
        HttpVersion version = answer.version();
        (version == HttpVersion.HTTP_2 ? HTTP2 : HTTP1).incrementAndGet();
        HttpConnection connection = answer.request().connection();
        if (connection != null && SEEN.add(connection) && LOG.isDebugEnabled()) {
            LOG.debugf("PubNub connection %s negotiated %s", connection.remoteAddress(), name(version));
        }
    }

    private static String name(HttpVersion version) {
        return version == HttpVersion.HTTP_2 ? "h2" : version == HttpVersion.HTTP_1_0 ? "http/1.0" : "http/1.1";
    }

    /** Answers so far by protocol, since the instance started. */
    public static Counts counts() {
        return new Counts(HTTP2.get(), HTTP1.get());
    }

    /** @param http2 answers over HTTP/2; {@code http1} over HTTP/1.x */
    public record Counts(long http2, long http1) {

        public Counts since(Counts before) {
            return new Counts(http2 - before.http2, http1 - before.http1);
        }

        /** What the summary says: {@code h2}, {@code http/1.1}, {@code mixed}, or {@code none} without an answer. */
        public String label() {
            if (http2 == 0 && http1 == 0) {
                return "none";
            }
            return http1 == 0 ? "h2" : http2 == 0 ? "http/1.1" : "mixed";
        }
    }
}
