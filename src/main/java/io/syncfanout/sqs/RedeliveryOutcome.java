package io.syncfanout.sqs;

import java.util.Map;

/**
 * What became of the records that failed for an outage, each by its SQS messageId with a note for its
 * log line.
 *
 * @param parked sent back to their queue, accepted by SQS: left out of {@code batchItemFailures}
 * @param delayed FIFO records whose redelivery SQS delayed in place (still in {@code batchItemFailures})
 * @param notDelayed records that were to be parked or delayed and could not be, in the time there was or
 *        because SQS refused: they come back after the queue's visibility timeout
 * @param ended records whose park is over ({@code sync.redelivery.park-limit}) or whose receive is their
 *        queue's last: on their way to the dead-letter queue by the queue's own rules
 */
public record RedeliveryOutcome(Map<String, String> parked, Map<String, String> delayed, Map<String, String> notDelayed,
        Map<String, String> ended) {

    public static final RedeliveryOutcome NONE = new RedeliveryOutcome(Map.of(), Map.of(), Map.of(), Map.of());

    /** The note for a record's log line, or null where nothing was tried for it. */
    public String note(String messageId) {
        for (Map<String, String> notes : java.util.List.of(parked, delayed, notDelayed, ended)) {
            String note = notes.get(messageId);
            if (note != null) {
                return note;
            }
        }
        return null;
    }
}
