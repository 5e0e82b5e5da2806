package io.syncfanout.capacity;

/**
 * How a batch turns into publishes, and how fast the busiest user's channel receives messages.
 *
 * <p>A batch of n records drawn while updates arrive at λ a second spans τ = n / λ seconds of arrivals
 * (whether one poller takes a slice of a backlog or each of several pollers takes a share of a window's
 * arrivals, the records of one user it holds are those sent in τ). A user sending r updates a second then
 * has Poisson(r·τ) records in it; given one, the expected count is x / (1 − e^−x) with x = r·τ, at most
 * the user's updates. Each user's records go out in one publish, split at 50 items or 32 KiB
 * (contract section 2). Coalescing of progress updates is left out: the model never counts on it.
 */
public final class ChannelModel {

    /** A batch envelope's own bytes around its items (type, ids, sent_at). */
    static final int ENVELOPE_BYTES = 200;
    static final int MAX_ITEMS = 50;
    static final int MAX_BYTES = 32_768;

    private ChannelModel() {
    }

    /** A user's expected records in a batch spanning {@code tau} seconds, given it holds one. */
    public static double recordsPerUser(double tau, double userRate, double updatesPerUser) {
        double x = userRate * tau;
        double given = x < 1e-9 ? 1 : x / (1 - Math.exp(-x));
        return Math.max(1, Math.min(updatesPerUser, given));
    }

    /** How many items fit in one publish of updates of {@code messageBytes}. */
    public static int itemsPerPublish(int messageBytes) {
        return (int) Math.max(1, Math.min(MAX_ITEMS, (MAX_BYTES - ENVELOPE_BYTES) / messageBytes));
    }

    /** Publishes for a batch of {@code records} holding {@code perUser} records of each of its users. */
    public static double publishes(double records, double perUser, int messageBytes) {
        return records / perUser * Math.ceil(perUser / itemsPerPublish(messageBytes) - 1e-9);
    }

    /** PubNub transactions one publish of {@code items} updates costs: one per started 2,048 bytes. */
    public static double transactionsPerPublish(double items, int messageBytes) {
        double bytes = items <= 1 ? messageBytes : items * messageBytes + ENVELOPE_BYTES;
        return Math.ceil(bytes / Prices.PUBNUB_TRANSACTION_BYTES - 1e-9);
    }

    /**
     * Messages a second on the channel of a user sending {@code userRate} updates a second, when each batch
     * spans {@code tau} seconds of arrivals: the batches that hold at least one of its updates,
     * (1 − e^−rτ) / τ, and never fewer than its updates over 50 items a publish.
     */
    public static double channelRate(double tau, double userRate, int messageBytes) {
        if (userRate <= 0) {
            return 0;
        }
        if (tau <= 1e-9) {
            return userRate;
        }
        double batched = (1 - Math.exp(-userRate * tau)) / tau;
        return Math.min(userRate, Math.max(batched, userRate / itemsPerPublish(messageBytes)));
    }
}
