package io.syncfanout.sqs;

/**
 * A record that failed for an outage of PubNub's (contract, amendment 20), and what sending it back or
 * delaying it needs.
 *
 * @param receiveCount its {@code ApproximateReceiveCount}, 1 on its first receive
 * @param queueArn the {@code eventSourceARN} of its record
 * @param body its body as the producer sent it
 * @param park how often it has been parked before, read from its message attributes
 */
public record Redelivery(String messageId, String receiptHandle, String queueArn, int receiveCount, String body, Park park) {

    /** A standard queue's record is parked; a FIFO queue's is delayed in place (amendment 20). */
    public boolean fifo() {
        return queueArn != null && queueArn.endsWith(".fifo");
    }

    /**
     * How many times, and since when, a record has been parked: the message attributes a park puts on
     * the message it sends ({@link #COUNT_ATTRIBUTE}, {@link #SINCE_ATTRIBUTE}).
     *
     * @param sinceMillis when it was first parked (Unix milliseconds); 0 when never
     */
    public record Park(int count, long sinceMillis) {

        public static final Park NONE = new Park(0, 0);
        /** How many times the record has been parked (Number). */
        public static final String COUNT_ATTRIBUTE = "sync-fanout-parked";
        /** When it was first parked, in Unix milliseconds (Number). */
        public static final String SINCE_ATTRIBUTE = "sync-fanout-parked-since";

        /**
         * From the attributes' string values, whatever a producer put there: anything that is not a
         * count and a time counts as never parked (a forged attribute only changes when the park ends).
         */
        public static Park of(String count, String sinceMillis) {
            if (count == null || sinceMillis == null) {
                return NONE;
            }
            try {
                int parks = Integer.parseInt(count.trim());
                long since = Long.parseLong(sinceMillis.trim());
                return parks > 0 && since > 0 ? new Park(parks, since) : NONE;
            } catch (NumberFormatException notOurs) {
                return NONE;
            }
        }
    }
}
