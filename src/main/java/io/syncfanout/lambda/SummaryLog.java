package io.syncfanout.lambda;

import java.util.logging.Handler;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;

import io.quarkus.runtime.StartupEvent;

/**
 * The invocation summary's log category, written unformatted to the console. CloudWatch reads
 * Embedded Metric Format only from a log event that is the JSON document itself, so the summary
 * must not be wrapped by the JSON or text formatter every other line goes through.
 */
@Singleton
class SummaryLog {

    static final String CATEGORY = "sync-fanout.summary";

    void rawConsole(@Observes StartupEvent event) {
        java.util.logging.Logger summary = java.util.logging.Logger.getLogger(CATEGORY);
        for (Handler handler : summary.getHandlers()) {
            summary.removeHandler(handler);
        }
        summary.addHandler(new ConsoleHandler(ConsoleHandler.Target.SYSTEM_OUT, new PatternFormatter("%s%n")));
        summary.setUseParentHandlers(false);
    }
}
