package io.syncfanout.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects every formatted log line while open, as an on-call engineer would read them. */
public final class LogCapture implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record.getMessage();
            Object[] parameters = record.getParameters();
            if (parameters != null && parameters.length > 0 && message != null) {
                try {
                    message = message.contains("%") ? String.format(message, parameters)
                            : java.text.MessageFormat.format(message, parameters);
                } catch (RuntimeException e) {
                    message = message + " " + java.util.Arrays.toString(parameters);
                }
            }
            lines.add(record.getLevel() + " " + record.getLoggerName() + " " + message
                    + (record.getThrown() == null ? "" : " " + record.getThrown()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    public LogCapture() {
        root.addHandler(handler);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public boolean anyContains(String text) {
        return lines.stream().anyMatch(line -> line.contains(text));
    }

    @Override
    public void close() {
        root.removeHandler(handler);
    }
}
