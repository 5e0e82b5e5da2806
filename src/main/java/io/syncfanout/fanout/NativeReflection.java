package io.syncfanout.fanout;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The AWS event types Jackson reads and writes by reflection. Funqy registers its function's
 * parameter and return types; the nested ones are listed here so the native image never meets a
 * class it cannot construct.
 */
@RegisterForReflection(targets = {
        SQSEvent.class, SQSEvent.SQSMessage.class, SQSEvent.MessageAttribute.class,
        SQSBatchResponse.class, SQSBatchResponse.BatchItemFailure.class })
final class NativeReflection {

    private NativeReflection() {
    }
}
