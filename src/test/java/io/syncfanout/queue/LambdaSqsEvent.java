package io.syncfanout.queue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The event Lambda builds from received SQS messages, field by field as AWS shows it
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html, "Example standard queue message event"
 * and "Example FIFO queue message event"): attribute values are strings, message attributes keep
 * their data type, and every record names its queue and region.
 */
final class LambdaSqsEvent {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The system attributes Lambda passes on, as SQS names them. */
    private static final List<MessageSystemAttributeName> PASSED_ON = List.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
            MessageSystemAttributeName.SENT_TIMESTAMP, MessageSystemAttributeName.SENDER_ID,
            MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP, MessageSystemAttributeName.MESSAGE_GROUP_ID,
            MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID, MessageSystemAttributeName.SEQUENCE_NUMBER,
            MessageSystemAttributeName.AWS_TRACE_HEADER);

    private LambdaSqsEvent() {
    }

    /** One record of the event, as Lambda writes it. */
    static ObjectNode record(Message message, String queueArn, String region) {
        ObjectNode record = JSON.createObjectNode();
        record.put("messageId", message.messageId());
        record.put("receiptHandle", message.receiptHandle());
        record.put("body", message.body());
        ObjectNode attributes = record.putObject("attributes");
        Map<MessageSystemAttributeName, String> received = message.attributes();
        for (MessageSystemAttributeName name : PASSED_ON) {
            if (received.containsKey(name)) {
                attributes.put(name.toString(), received.get(name));
            }
        }
        ObjectNode messageAttributes = record.putObject("messageAttributes");
        message.messageAttributes().forEach((name, value) -> messageAttributes.set(name, attribute(value)));
        record.put("md5OfBody", message.md5OfBody());
        if (message.md5OfMessageAttributes() != null) {
            record.put("md5OfMessageAttributes", message.md5OfMessageAttributes());
        }
        record.put("eventSource", "aws:sqs");
        record.put("eventSourceARN", queueArn);
        record.put("awsRegion", region);
        return record;
    }

    private static ObjectNode attribute(MessageAttributeValue value) {
        ObjectNode node = JSON.createObjectNode();
        node.put("stringValue", value.stringValue());
        if (value.binaryValue() != null) {
            node.put("binaryValue", value.binaryValue().asByteArray());
        } else {
            node.putNull("binaryValue");
        }
        node.putArray("stringListValues");
        node.putArray("binaryListValues");
        node.put("dataType", value.dataType());
        return node;
    }

    /** The event: {@code {"Records":[…]}}. */
    static String of(List<ObjectNode> records) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode array = event.putArray("Records");
        records.forEach(array::add);
        return event.toString();
    }

    /** A record's share of the event's size: its JSON and the comma before it. */
    static int size(ObjectNode record) {
        return record.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
    }
}
