package io.syncfanout.capacity;

/**
 * PubNub's transaction prices, and how a keyset uses them. List prices by default
 * (https://www.pubnub.com/docs/resources/pricing, transaction-based pricing), each overridable with your contract's.
 * Replicated and edge transactions are counted per started 2,048 bytes of payload
 * (https://www.pubnub.com/pricing/: "an 8KB payload would incur 4 Transactions"); a message published to a channel
 * with d subscribers online is one replicated transaction and d edge ones ("How are messages counted",
 * support.pubnub.com).
 *
 * @param replicated a publish, per started 2 KiB
 * @param edge each delivery of it to a subscribed device, per started 2 KiB
 * @param signal a Signal API call (payload at most 64 bytes; not stored)
 * @param storageGbMonth stored messages (the function publishes with {@code store=1}), per GB a month
 * @param devicesOnline a user's devices subscribed to their channel when an update is published
 * @param retentionDays how long the keyset's Message Persistence keeps a message
 */
public record PubNubPrices(double replicated, double edge, double signal, double storageGbMonth, double devicesOnline, double retentionDays) {

    /** List prices; two devices online a user (a phone and a TV); 7 days' retention. */
    public static final PubNubPrices LIST = new PubNubPrices(0.000123, 0.000033, 0.000008, 8.0, 2, 7);

    public PubNubPrices {
        if (replicated < 0 || edge < 0 || signal < 0 || storageGbMonth < 0 || devicesOnline < 0 || retentionDays < 0) {
            throw new IllegalArgumentException("prices, devices and retention are never negative");
        }
    }

    /** What storing {@code bytes} for the retention costs: GB-months at the storage price (a GB is 10^9 bytes, a month 30 days). */
    public double storage(double bytes) {
        return bytes / 1e9 * storageGbMonth * retentionDays / 30;
    }

    public PubNubPrices withDevices(double devices) {
        return new PubNubPrices(replicated, edge, signal, storageGbMonth, devices, retentionDays);
    }

    public PubNubPrices withRetentionDays(double days) {
        return new PubNubPrices(replicated, edge, signal, storageGbMonth, devicesOnline, days);
    }
}
