package io.syncfanout.testing;

import java.time.Duration;
import java.util.Map;

import io.syncfanout.local.LambdaRuntimeApi;

/**
 * The Lambda Runtime API the Quarkus suites and their native twins run on: the project's own, which
 * sends {@code Lambda-Runtime-Deadline-Ms} with every event as Lambda does (Quarkus's mock event server
 * sends none, so every suite ran on the time budget alone). One for the test run, shared by the
 * suites' resources; {@link #FUNCTION_TIMEOUT} is the function timeout each invocation's deadline counts.
 */
public final class SuiteRuntimeApi {

    /** Lambda's function timeout for the suites: longer than any suite's time budget, so each suite's own budget still rules. */
    public static final Duration FUNCTION_TIMEOUT = Duration.ofSeconds(30);
    private static LambdaRuntimeApi api;

    private SuiteRuntimeApi() {
    }

    /** The configuration that points the function's poll loop, and the suites' invocations, at it. */
    public static synchronized Map<String, String> config() {
        if (api == null) {
            api = LambdaRuntimeApi.start(FUNCTION_TIMEOUT);
        }
        return Map.of("quarkus-internal.aws-lambda.test-api", api.address(),
                "quarkus.lambda.mock-event-server.test-port", Integer.toString(api.port()));
    }

    /** The function timeout the next invocations' deadlines count, as changing the function would. */
    public static synchronized void functionTimeout(Duration timeout) {
        config();
        api.functionTimeout(timeout);
    }
}
