package io.syncfanout.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ChannelModelTest {

    @Test
    void aUsersRecordsInABatchFollowItsRateOverTheBatchsSpan() {
        // No span: each user alone in its publish.
        assertEquals(1, ChannelModel.recordsPerUser(0, 5, 10), 1e-9);
        // 1 update a second over 2 s: x = 2, 2 / (1 − e^−2) = 2.3130.
        assertEquals(2.3130, ChannelModel.recordsPerUser(2, 1, 10), 1e-4);
        // Never more than the user sends.
        assertEquals(4, ChannelModel.recordsPerUser(1_000, 1, 4), 1e-9);
    }

    @Test
    void aPublishHoldsAtMost50ItemsAnd32KiB() {
        // (32,768 − 200) / 600 = 54 fit; the contract's 50 is the limit.
        assertEquals(50, ChannelModel.itemsPerPublish(600));
        assertEquals(16, ChannelModel.itemsPerPublish(2_000));
        // 1,000 records, 10 a user: 100 publishes. 100 a user at 600 bytes: 10 users × 2 publishes.
        assertEquals(100, ChannelModel.publishes(1_000, 10, 600), 1e-9);
        assertEquals(20, ChannelModel.publishes(1_000, 100, 600), 1e-9);
        assertEquals(1_000, ChannelModel.publishes(1_000, 1, 600), 1e-9);
    }

    @Test
    void pubNubBillsATransactionPerStarted2KiB() {
        assertEquals(1, ChannelModel.transactionsPerPublish(1, 600), 1e-9);
        // 3 × 600 + 200 = 2,000 bytes: one; 5 × 600 + 200 = 3,200: two.
        assertEquals(1, ChannelModel.transactionsPerPublish(3, 600), 1e-9);
        assertEquals(2, ChannelModel.transactionsPerPublish(5, 600), 1e-9);
    }

    @Test
    void batchingSlowsTheBusiestChannelByTheBatchesItsUpdatesShare() {
        // 5 updates a second, batches spanning 0.5 s: (1 − e^−2.5) / 0.5 = 1.8358 messages a second.
        assertEquals(1.8358, ChannelModel.channelRate(0.5, 5, 600), 1e-4);
        // Batches spanning nothing: a message an update.
        assertEquals(5, ChannelModel.channelRate(0, 5, 600), 1e-9);
        // Batches spanning 100 s: one message in 100 s would hold 500 updates; 50 a publish makes it 0.1 a second.
        assertEquals(0.1, ChannelModel.channelRate(100, 5, 600), 1e-9);
    }
}
