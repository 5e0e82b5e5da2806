package io.syncfanout.queue;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * For the tools ./dev runs in a JVM of their own (dev-logging.properties): drops JBoss LogManager's
 * complaint, reached through ElasticMQ's SLF4J binding, that it is not the JVM's log manager. There it is
 * not, on purpose, and an ERROR saying so would send a newcomer looking for a fault that is not there.
 */
public final class DevLogFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        return record.getMessage() == null || !record.getMessage().startsWith("The LogManager accessed before");
    }
}
