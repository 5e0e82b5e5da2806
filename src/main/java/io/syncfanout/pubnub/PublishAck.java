package io.syncfanout.pubnub;

/** PubNub's acknowledgement of a publish: {@code [1,"Sent","<timetoken>"]}. */
public record PublishAck(String timetoken) {
}
