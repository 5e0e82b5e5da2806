package io.syncfanout.capacity;

import java.util.List;
import java.util.Locale;

import io.syncfanout.capacity.BillReport.Row;

/**
 * The levers' chart (docs/capacity-levers.svg): for each lever, a bar per setting, its height the publishes
 * per update (1 is a publish for every update), labelled with how long the oldest update waited (p99).
 */
final class LeversChart {

    private static final int PANEL_WIDTH = 460;
    private static final int PANEL_HEIGHT = 180;
    private static final int LEFT = 50;
    private static final int TOP = 75;
    private static final int GAP = 80;

    private LeversChart() {
    }

    record Panel(String title, List<Row> rows) {
    }

    static String svg(List<Panel> panels) {
        int columns = 2;
        int rows = (panels.size() + columns - 1) / columns;
        int width = LEFT + columns * (PANEL_WIDTH + GAP);
        int height = TOP + rows * (PANEL_HEIGHT + GAP) + 20;
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">%n"
                        + "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n"
                        + "<text x=\"%d\" y=\"22\" font-size=\"14\">Publishes per update (bars) and the oldest update's wait, p99 (labels), "
                        + "as each lever moves</text>%n",
                width, height, LEFT));
        for (int i = 0; i < panels.size(); i++) {
            panel(svg, panels.get(i), LEFT + (i % columns) * (PANEL_WIDTH + GAP), TOP + (i / columns) * (PANEL_HEIGHT + GAP));
        }
        return svg.append("</svg>\n").toString();
    }

    private static void panel(StringBuilder svg, Panel panel, int left, int top) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>%n", left, top - 18, FinaleChart.escape(panel.title())));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n", left, top,
                PANEL_WIDTH, PANEL_HEIGHT));
        for (double tick : List.of(0.0, 0.5, 1.0)) {
            int y = top + PANEL_HEIGHT - (int) Math.round(PANEL_HEIGHT * tick);
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.1f</text>%n", left - 6, y + 4, tick));
        }
        int n = panel.rows().size();
        double slot = (double) PANEL_WIDTH / n;
        for (int i = 0; i < n; i++) {
            Row row = panel.rows().get(i);
            double barHeight = PANEL_HEIGHT * Math.min(1, row.publishesPerUpdate());
            double x = left + slot * i + slot * 0.2;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#1f77b4\"/>%n", x,
                    top + PANEL_HEIGHT - barHeight, slot * 0.6, barHeight));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.0f s</text>%n", x + slot * 0.3,
                    top + PANEL_HEIGHT - barHeight - 4, row.oldestP99()));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x + slot * 0.3,
                    top + PANEL_HEIGHT + 16, FinaleChart.escape(row.value())));
        }
    }
}
