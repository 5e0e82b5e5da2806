package io.syncfanout.plan;

import java.util.List;

/** Everything one channel gets in one invocation, in the order of the SQS records. */
public record ChannelQueue(String channel, List<PlannedItem> items) {

    public ChannelQueue {
        items = List.copyOf(items);
    }
}
