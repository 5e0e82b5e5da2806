package io.syncfanout.capacity;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import io.syncfanout.capacity.Simulation.Result;
import io.syncfanout.capacity.Simulation.Second;

/** The finale's chart: backlog and oldest message age by second, a line for each setting, as plain SVG. */
final class FinaleChart {

    private static final String[] COLOURS = { "#d62728", "#1f77b4", "#2ca02c", "#9467bd" };
    private static final int WIDTH = 900;
    private static final int PANEL = 220;
    private static final int LEFT = 80;
    private static final int TOP = 40;

    private FinaleChart() {
    }

    static String svg(List<Result> runs) {
        // Until a minute after the last backlog cleared: the burst, not the quiet baseline after it.
        double seconds = Math.max(180, runs.stream().mapToDouble(r -> r.seconds().stream().filter(x -> x.backlog() > 0).mapToInt(Second::t).max()
                .orElse(0) + 60).max().orElse(180));
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n"
                        + "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n"
                        + "<text x=\"%d\" y=\"20\" font-size=\"14\">The finale: 1,000,000 updates in 60 s (from second 60) on 2,000 a second</text>%n",
                WIDTH, TOP + 2 * PANEL + 110, LEFT));
        panel(svg, runs, seconds, TOP, "backlog (records)", Second::backlog);
        panel(svg, runs, seconds, TOP + PANEL + 40, "oldest message (s)", Second::oldestAgeSeconds);
        int y = TOP + 2 * PANEL + 75;
        for (int i = 0; i < runs.size(); i++) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"4\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>%n", LEFT,
                    y + i * 16 - 4, COLOURS[i % COLOURS.length], LEFT + 20, y + i * 16, escape(runs.get(i).settings().describe())));
        }
        return svg.append("</svg>\n").toString();
    }

    private static void panel(StringBuilder svg, List<Result> runs, double seconds, int top, String label, ToDoubleFunction<Second> value) {
        double max = runs.stream().flatMap(r -> r.seconds().stream()).filter(s -> s.t() <= seconds).mapToDouble(value).max().orElse(1);
        max = niceCeiling(Math.max(max, 1));
        int width = WIDTH - LEFT - 30;
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT, top - 6, label));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n", LEFT, top, width, PANEL));
        for (int tick = 0; tick <= 4; tick++) {
            double v = max * tick / 4;
            int y = top + PANEL - PANEL * tick / 4;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LEFT - 6, y + 4,
                    String.format(Locale.ROOT, "%,.0f", v)));
        }
        for (int t = 0; t <= seconds; t += seconds > 600 ? 120 : 60) {
            int x = LEFT + (int) (width * t / seconds);
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d s</text>%n", x, top + PANEL + 16, t));
        }
        for (int i = 0; i < runs.size(); i++) {
            StringBuilder points = new StringBuilder();
            for (Second s : runs.get(i).seconds()) {
                if (s.t() > seconds) {
                    break;
                }
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + width * s.t() / seconds, top + PANEL - PANEL * value.applyAsDouble(s) / max));
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n", COLOURS[i % COLOURS.length],
                    points.toString().trim()));
        }
    }

    private static double niceCeiling(double v) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] { 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 }) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;");
    }
}
