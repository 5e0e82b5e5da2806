package io.syncfanout.pubnub;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/**
 * PubNub's publish call (contract, section 3). Every parameter arrives percent-encoded: the
 * signature covers the path and query exactly as sent, so nothing may re-encode them. The path
 * after {@code /publish/} comes whole ({@code pub/sub/0/channel/0}): one template parameter to
 * resolve per publish instead of three, a cost the profile of a W1 showed.
 * The answer is read as text, since PubNub labels its JSON {@code text/javascript}.
 */
@RegisterRestClient(configKey = "pubnub")
@RegisterProvider(NegotiatedProtocol.class)
@Path("/publish")
public interface PubNubPublishApi {

    /** @param path {@code {publish_key}/{subscribe_key}/0/{channel}/0}, each part percent-encoded */
    @POST
    @Path("/{path}")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> publish(
            @PathParam("path") @Encoded String path,
            @QueryParam("uuid") @Encoded String uuid,
            @QueryParam("store") @Encoded String store,
            @QueryParam("auth") @Encoded String auth,
            @QueryParam("timestamp") @Encoded String timestamp,
            @QueryParam("signature") @Encoded String signature,
            byte[] body);
}
