package io.syncfanout.pubnub;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

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
 * Each new connection is logged once at DEBUG. Each answer is labelled with it ({@link #HEADER}) for the
 * gateway, which counts it for the invocation whose publish it answers (the summary's {@code protocol=h2}),
 * so on-call can see which one PubNub gave.
 */
public class NegotiatedProtocol implements ResteasyReactiveClientResponseFilter {

    private static final Logger LOG = Logger.getLogger(NegotiatedProtocol.class);
    /**
     * Added to the answer as the client hands it on: a filter sees the connection, the caller only the
     * answer. Never sent anywhere; PubNub's own headers have no such name.
     */
    static final String HEADER = "X-Sync-Fanout-Negotiated";
    private static final Set<HttpConnection> SEEN = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    @Override
    public void filter(ResteasyReactiveClientRequestContext request, ClientResponseContext response) {
        RestClientRequestContext context = request.unwrap(RestClientRequestContext.class);
        HttpClientResponse answer = context == null ? null : context.getVertxClientResponse();
        if (answer == null) {
            return;
        }
        HttpVersion version = answer.version();
        response.getHeaders().putSingle(HEADER, name(version));
        HttpConnection connection = answer.request().connection();
        if (connection != null && SEEN.add(connection) && LOG.isDebugEnabled()) {
            LOG.debugf("PubNub connection %s negotiated %s", connection.remoteAddress(), name(version));
        }
    }

    private static String name(HttpVersion version) {
        return version == HttpVersion.HTTP_2 ? "h2" : version == HttpVersion.HTTP_1_0 ? "http/1.0" : "http/1.1";
    }
}
