package io.syncfanout.pubnub;

import io.smallrye.mutiny.Uni;

/** What publishing needs of PubNub: one body to one channel, retried and guarded ({@link PubNubGateway}). */
public interface Publisher {

    /**
     * @param channel the channel, not yet percent-encoded
     * @param deadline no attempt starts that could not finish before it
     * @param attempts counts the publish's attempts, for the log and the retry figures, and keeps the first
     *        that went unanswered
     * @return PubNub's acknowledgement, or a failure saying why there is none
     */
    Uni<PublishAck> publish(String channel, byte[] body, Deadline deadline, PublishAttempts attempts);
}
