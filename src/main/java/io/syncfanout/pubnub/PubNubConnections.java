package io.syncfanout.pubnub;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableBean;
import io.quarkus.arc.InjectableContext;
import io.quarkus.arc.InstanceHandle;

/**
 * The REST client's pooled connections to PubNub, closed before a SnapStart snapshot: a connection
 * kept in a snapshot is dead after the restore, however long ago the snapshot was taken.
 * <p>
 * The client is an application-scoped bean. Destroying its instance closes it, and its connections with
 * it; the gateway holds the bean's proxy, which makes a new client for the next publish.
 */
@Singleton
public class PubNubConnections {

    /** Closes the client and every connection it pooled; the next publish opens its own. */
    public void closeAll() {
        try (InstanceHandle<PubNubPublishApi> handle = Arc.container().instance(PubNubPublishApi.class, RestClient.LITERAL)) {
            InjectableBean<PubNubPublishApi> bean = handle.getBean();
            InjectableContext context = Arc.container().getActiveContext(bean.getScope());
            if (context != null) {
                context.destroy(bean);
            }
        }
    }
}
