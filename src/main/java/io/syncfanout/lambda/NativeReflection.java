package io.syncfanout.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

import io.quarkus.amazon.lambda.runtime.FunctionError;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The types Jackson reads and writes by reflection in the native image. Funqy registers its
 * function's parameter and return types; the nested ones are listed here so the native image never
 * meets a class it cannot construct.
 * <p>
 * {@link FunctionError} is what Quarkus's poll loop posts to Lambda's
 * <a href="https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html#runtimes-api-invokeerror">invocation
 * error</a> endpoint when the event is not an SQS event. Quarkus 3.32 does not register it; without it
 * the native function cannot report the error, the poll loop stops the application, and Lambda sees
 * a timeout instead of a function error.
 */
@RegisterForReflection(targets = {
        SQSEvent.class, SQSEvent.SQSMessage.class, SQSEvent.MessageAttribute.class,
        SQSBatchResponse.class, SQSBatchResponse.BatchItemFailure.class, FunctionError.class })
final class NativeReflection {

    private NativeReflection() {
    }
}
