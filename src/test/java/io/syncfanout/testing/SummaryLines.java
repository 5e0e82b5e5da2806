package io.syncfanout.testing;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The function's summary lines ("sync-fanout invocation: records=… publishes=…"), read as an on-call engineer reads them. */
public final class SummaryLines {

    private SummaryLines() {
    }

    /** One figure of every summary line among {@code lines}, summed: {@code sum(lines, "publishes")}. */
    public static int sum(List<String> lines, String field) {
        Pattern figure = Pattern.compile("sync-fanout invocation: .*\\b" + Pattern.quote(field) + "=(\\d+)");
        int sum = 0;
        for (String line : lines) {
            Matcher m = figure.matcher(line);
            if (m.find()) {
                sum += Integer.parseInt(m.group(1));
            }
        }
        return sum;
    }
}
