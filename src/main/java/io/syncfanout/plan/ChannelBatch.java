package io.syncfanout.plan;

import java.util.ArrayList;
import java.util.List;

import io.syncfanout.record.SqsRecord;

/**
 * One publish: a channel and the body to POST to it.
 *
 * @param channel the PubNub channel, not percent-encoded
 * @param items what the body carries, in channel order
 * @param body the JSON body: the lone item bare, or several in the batch envelope
 * @param messageId the lone item's {@code message_id}, or the envelope's derived one
 */
public record ChannelBatch(String channel, List<PlannedItem> items, byte[] body, String messageId) {

    public ChannelBatch {
        items = List.copyOf(items);
    }

    public List<SqsRecord> records() {
        List<SqsRecord> records = new ArrayList<>();
        items.forEach(item -> records.addAll(item.records()));
        return records;
    }

    @Override
    public String toString() {
        return "ChannelBatch[" + channel + ", " + items.size() + " items, " + body.length + " bytes, " + messageId + "]";
    }
}
