package io.syncfanout.plan;

import java.util.List;

import io.syncfanout.record.InvalidRecord;

/**
 * The planner's answer for one invocation.
 *
 * @param channels what each channel gets, channels in order of first appearance
 * @param invalid records that will never be published, with their reasons
 * @param superseded progress updates replaced by a newer one for the same content
 * @param duplicates records whose {@code message_id} was already on the channel
 */
public record PublishPlan(List<ChannelQueue> channels, List<InvalidRecord> invalid, int superseded, int duplicates) {

    public PublishPlan {
        channels = List.copyOf(channels);
        invalid = List.copyOf(invalid);
    }

    public int itemCount() {
        return channels.stream().mapToInt(c -> c.items().size()).sum();
    }
}
