package io.syncfanout.sqs;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Parks records of a standard queue (contract, amendment 20): each is sent back to its own queue as a
 * new message that SQS holds back for {@code DelaySeconds}, with its {@code message_id} made explicit
 * so that a device drops a repeat, and two message attributes saying how often and since when it has
 * been parked. A delayed message is not in flight, so a long outage no longer fills SQS's in-flight
 * quota (about 120,000 messages) and stops the queue; and a new message starts with no receives, so it
 * does not walk towards the dead-letter queue while it waits. The attributes are {@link Redelivery.Park}'s.
 */
final class RecordParking {

    private static final JsonFactory JSON = new JsonFactory();

    private RecordParking() {
    }

    /**
     * One SendMessageBatch of at most 10 records to one queue; entry ids are the records' indexes in
     * {@code chunk}.
     */
    static SendMessageBatchResponse send(SqsClient sqs, QueueArn queue, List<Redelivery> chunk, RedeliveryBackoff backoff,
            long nowMillis, Duration callTimeout) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            Redelivery record = chunk.get(i);
            long since = record.park().count() == 0 ? nowMillis : record.park().sinceMillis();
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
                    .messageBody(withMessageId(record.body(), record.messageId()))
                    .delaySeconds((int) backoff.park(record.park().count()).toSeconds())
                    .messageAttributes(Map.of(
                            Redelivery.Park.COUNT_ATTRIBUTE, number(record.park().count() + 1),
                            Redelivery.Park.SINCE_ATTRIBUTE, number(since)))
                    .build());
        }
        return sqs.sendMessageBatch(b -> b.queueUrl(queue.url()).entries(entries)
                .overrideConfiguration(o -> o.apiCallTimeout(callTimeout)));
    }

    /**
     * The body with its {@code message_id} made explicit: unchanged when it has one, else the SQS
     * {@code messageId} it was published under, written in front of the body's own members, which
     * stay as they were sent, byte for byte (amendment 4). Only valid bodies are parked: a JSON object
     * with at least one member.
     */
    static String withMessageId(String body, String messageId) {
        if (hasMessageId(body)) {
            return body;
        }
        int brace = body.indexOf('{');
        return body.substring(0, brace + 1) + "\"message_id\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(messageId))
                + "\"," + body.substring(brace + 1);
    }

    private static boolean hasMessageId(String body) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                if (parser.currentName().equals("message_id")) {
                    return true;
                }
                parser.nextToken();
                parser.skipChildren();
            }
            return false;
        } catch (IOException notReadable) {
            return false;
        }
    }

    private static MessageAttributeValue number(long value) {
        return MessageAttributeValue.builder().dataType("Number").stringValue(Long.toString(value)).build();
    }
}
