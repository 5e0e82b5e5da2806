package io.syncfanout.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.arc.Arc;

/**
 * Collects every log line the function writes while open, as an on-call engineer would read them:
 * {@code LEVEL category message}. A {@code @QuarkusTest} runs the function in this JVM, so its log
 * records are taken as they are written; a {@code @QuarkusIntegrationTest} runs the packaged
 * function (the native binary) in its own process, which Quarkus's launcher has log to
 * {@code target/quarkus.log} in the production format, JSON lines.
 */
public final class LogCapture implements AutoCloseable {

    /** Where Quarkus's integration-test launcher has the function write its log. */
    private static final Path INTEGRATION_TEST_LOG = Path.of("target/quarkus.log");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");
    /** The summary's category writes raw and skips the root's handlers (SummaryLog): watched on its own. */
    private final Logger summary = Logger.getLogger("sync-fanout.summary");
    private final boolean inProcess = Arc.container() != null;
    private final long fileOffset;
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
            // The whole record, as a log line could show it: the message, the MDC, every cause and frame.
            StringBuilder line = new StringBuilder().append(record.getLevel()).append(' ').append(record.getLoggerName()).append(' ');
            if (record instanceof org.jboss.logmanager.ExtLogRecord ext && !ext.getMdcCopy().isEmpty()) {
                line.append("mdc=").append(ext.getMdcCopy()).append(' ');
            }
            line.append(message);
            if (record.getThrown() != null) {
                java.io.StringWriter trace = new java.io.StringWriter();
                record.getThrown().printStackTrace(new java.io.PrintWriter(trace));
                line.append(' ').append(trace);
            }
            lines.add(line.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    public LogCapture() {
        if (inProcess) {
            root.addHandler(handler);
            summary.addHandler(handler);
            fileOffset = 0;
        } else {
            fileOffset = fileSize();
        }
    }

    /** Whether the function runs in this JVM (a {@code @QuarkusTest}), where every record, the summary's too, is seen. */
    public static boolean inProcess() {
        return Arc.container() != null;
    }

    public List<String> lines() {
        return inProcess ? List.copyOf(lines) : fileLines();
    }

    public boolean anyContains(String text) {
        return lines().stream().anyMatch(line -> line.contains(text));
    }

    @Override
    public void close() {
        root.removeHandler(handler);
        summary.removeHandler(handler);
    }

    private static long fileSize() {
        try {
            return Files.exists(INTEGRATION_TEST_LOG) ? Files.size(INTEGRATION_TEST_LOG) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The lines the function appended since this capture opened, read as the JSON documents they are. */
    private List<String> fileLines() {
        List<String> read = new ArrayList<>();
        try (RandomAccessFile file = new RandomAccessFile(INTEGRATION_TEST_LOG.toFile(), "r")) {
            file.seek(Math.min(fileOffset, file.length()));
            byte[] rest = new byte[(int) (file.length() - file.getFilePointer())];
            file.readFully(rest);
            for (String line : new String(rest, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    read.add(readable(line));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the function's log at " + INTEGRATION_TEST_LOG, e);
        }
        return read;
    }

    private static String readable(String line) {
        try {
            JsonNode json = JSON.readTree(line);
            JsonNode exception = json.path("exception");
            return json.path("level").asText() + " " + json.path("loggerName").asText() + " " + json.path("message").asText()
                    + (exception.isMissingNode() ? "" : " " + exception.path("exceptionType").asText() + ": "
                            + exception.path("message").asText());
        } catch (IOException notJson) {
            return line;
        }
    }
}
