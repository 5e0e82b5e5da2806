package io.syncfanout.sqs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;

/**
 * Delays records of a FIFO queue in place (contract, amendment 20: re-sending one would break its
 * group's order): ChangeMessageVisibility on its receipt handle, the delay growing with its receive
 * count, so that an outage does not burn the receives that send a valid record to the dead-letter
 * queue.
 */
final class RedeliveryDelays {

    private RedeliveryDelays() {
    }

    /** One ChangeMessageVisibilityBatch of at most 10 records; entry ids are the records' indexes in {@code chunk}. */
    static ChangeMessageVisibilityBatchResponse delay(SqsClient sqs, QueueArn queue, List<Redelivery> chunk, RedeliveryBackoff backoff,
            Duration callTimeout) {
        List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
                    .receiptHandle(chunk.get(i).receiptHandle())
                    .visibilityTimeout((int) backoff.after(chunk.get(i).receiveCount()).toSeconds()).build());
        }
        return sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queue.url()).entries(entries)
                .overrideConfiguration(o -> o.apiCallTimeout(callTimeout)));
    }
}
