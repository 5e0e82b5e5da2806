package io.syncfanout.record;

/**
 * The parts of one SQS record the function uses.
 *
 * @param position index in the event, the order SQS delivered the records in
 * @param messageId SQS {@code messageId}: what {@code batchItemFailures} names
 * @param messageGroupId FIFO message group, or null on a standard queue
 * @param body the message body as sent by the producer
 */
public record SqsRecord(int position, String messageId, String messageGroupId, String body) {

    public boolean isFifo() {
        return messageGroupId != null;
    }
}
