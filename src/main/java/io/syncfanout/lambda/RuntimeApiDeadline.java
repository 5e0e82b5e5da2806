package io.syncfanout.lambda;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.runtime.StartupEvent;

/**
 * Takes Lambda's deadline off the Runtime API's next-invocation answer, for the native build.
 * <p>
 * Quarkus's poll loop reads {@code Lambda-Runtime-Deadline-Ms} into the invocation's context, but
 * Funqy does not pass the context on to the function. The poll loop asks for the next invocation
 * with a {@code HttpURLConnection}, which hands every answer's headers to the JDK's default
 * {@link CookieHandler}, on the thread that goes on to run the function. This handler is that
 * default: it reads the deadline header of that one answer, and stores and sends no cookie (it
 * passes both on to any handler it replaced).
 */
@Singleton
class RuntimeApiDeadline extends CookieHandler {

    static final String HEADER = "Lambda-Runtime-Deadline-Ms";
    private static final String NEXT_INVOCATION = "/runtime/invocation/next";

    private volatile CookieHandler replaced;

    /** Before the poll loop's first request: Quarkus starts the loop once start-up is over. */
    void install(@Observes StartupEvent event) {
        CookieHandler current = CookieHandler.getDefault();
        if (current != this) {
            replaced = current;
            CookieHandler.setDefault(this);
        }
    }

    @Override
    public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) throws IOException {
        return replaced == null ? Map.of() : replaced.get(uri, requestHeaders);
    }

    @Override
    public void put(URI uri, Map<String, List<String>> responseHeaders) throws IOException {
        if (uri.getPath() != null && uri.getPath().endsWith(NEXT_INVOCATION)) {
            responseHeaders.forEach((name, values) -> {
                if (HEADER.equalsIgnoreCase(name) && !values.isEmpty()) {
                    deadline(values.get(0));
                }
            });
        }
        if (replaced != null) {
            replaced.put(uri, responseHeaders);
        }
    }

    private static void deadline(String epochMillis) {
        try {
            LambdaDeadline.set(Long.parseLong(epochMillis.trim()));
        } catch (NumberFormatException notANumber) {
            // Not Lambda's: the time budget alone bounds the invocation.
        }
    }
}
