package io.syncfanout.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.jboss.logging.MDC;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import io.quarkus.funqy.lambda.FunqyStreamHandler;

/**
 * The handler for Lambda's managed Java runtime: Funqy's own, with what Lambda's {@code Context}
 * says handed on first, since Funqy does not pass the context to the function: the request id, into
 * the log context as Quarkus's poll loop puts it on {@code provided.al2023}, and the invocation's
 * deadline (contract, amendment 1; {@link LambdaDeadline}).
 * {@code io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest} works too, but knows neither:
 * with it, only {@code sync.time-budget} bounds an invocation.
 */
public class RequestIdStreamHandler implements RequestStreamHandler {

    /** The MDC key Quarkus's Lambda poll loop uses, so logs look the same on either runtime. */
    static final String REQUEST_ID = "AWSRequestId";

    private final FunqyStreamHandler funqy = new FunqyStreamHandler();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        if (context != null && context.getAwsRequestId() != null) {
            MDC.put(REQUEST_ID, context.getAwsRequestId());
        }
        // Without Lambda's deadline header the runtime reports no time left at all: ignore that.
        if (context != null && context.getRemainingTimeInMillis() > 0) {
            LambdaDeadline.set(System.currentTimeMillis() + context.getRemainingTimeInMillis());
        }
        try {
            funqy.handleRequest(input, output, context);
        } finally {
            MDC.remove(REQUEST_ID);
        }
    }
}
