package io.syncfanout.sqs;

/**
 * A record to be delivered again later: what ChangeMessageVisibility needs of it.
 *
 * @param receiveCount its ApproximateReceiveCount, 1 on its first receive
 * @param queueArn the {@code eventSourceARN} of its record
 */
public record Redelivery(String messageId, String receiptHandle, String queueArn, int receiveCount) {
}
