package io.syncfanout.record;

/**
 * A valid sync update, ready to be published.
 *
 * @param source the SQS record it came from
 * @param channel {@code user.{user_id}.sync}, not yet percent-encoded
 * @param type watchlist or progress
 * @param messageId the item's {@code message_id} (the producer's, or the SQS messageId)
 * @param timestamp the hybrid logical clock: only compared, larger is newer
 * @param deviceId the device that made the update: breaks a progress tie (amendment 19)
 * @param contentId what the update is about; progress updates coalesce per channel and content
 * @param json the item as published: the input object without {@code user_id}, with
 *        {@code message_id} and {@code operation_type} filled in, UTF-8 encoded
 */
public record SyncItem(SqsRecord source, String channel, UpdateType type, String messageId, long timestamp, String deviceId,
        String contentId, byte[] json) implements ReadResult {

    public boolean isProgress() {
        return type == UpdateType.PROGRESS_UPDATE;
    }

    public int bytes() {
        return json.length;
    }
}
