package io.syncfanout.fanout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.jboss.logging.MDC;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import io.quarkus.funqy.lambda.FunqyStreamHandler;

/**
 * The handler for Lambda's managed Java runtime: Funqy's own, with the invocation's request id put
 * in the log context first, as Quarkus's poll loop does on {@code provided.al2023}. Funqy does not
 * pass Lambda's {@code Context} on, so this is the one place the request id can be had.
 * {@code io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest} works too, without the id.
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
        try {
            funqy.handleRequest(input, output, context);
        } finally {
            MDC.remove(REQUEST_ID);
        }
    }
}
