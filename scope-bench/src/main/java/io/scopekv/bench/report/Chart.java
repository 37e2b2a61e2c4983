package io.scopekv.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A line or scatter chart rendered with Java2D to PNG: axes with rounded ticks, axis labels, a
 * title and a legend beside the plot.
 */
public final class Chart {

    /** Point marker of a series; NONE draws a line through the points instead. */
    public enum Marker { NONE, CIRCLE, SQUARE, TRIANGLE, DIAMOND }

    /**
     * One series.
     *
     * @param name   legend entry
     * @param x      x values
     * @param y      y values, same length; NaN points are skipped
     * @param color  colour
     * @param marker marker, or NONE for a line
     */
    public record Series(String name, double[] x, double[] y, Color color, Marker marker) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series " + name + ": x and y lengths differ (" + x.length + " vs " + y.length + ")");
            }
        }
    }

    /** Distinguishable colours, assigned in order. */
    public static final Color[] PALETTE = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
        new Color(188, 189, 34), new Color(23, 190, 207), new Color(0, 0, 0), new Color(255, 187, 120)};

    private static final int WIDTH = 1100;
    private static final int HEIGHT = 640;
    private static final int LEFT = 90;
    private static final int TOP = 70;
    /** Least width of the legend column. */
    private static final int LEGEND = 300;
    private static final int BOTTOM = 70;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private String subtitle = "";
    private boolean yFromZero = true;

    public Chart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public Chart subtitle(String text) {
        this.subtitle = text;
        return this;
    }

    /** Whether the y axis starts at zero (default) or at the data's minimum. */
    public Chart yFromZero(boolean fromZero) {
        this.yFromZero = fromZero;
        return this;
    }

    public Chart add(Series s) {
        series.add(s);
        return this;
    }

    /** Renders the chart. */
    public BufferedImage render() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            draw(g);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Renders and writes a PNG. */
    public void write(Path file) throws IOException {
        if (!ImageIO.write(render(), "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }

    private void draw(Graphics2D g) {
        // the legend column widens to its longest entry (the plot narrows) rather than clipping it
        FontMetrics legendFont = g.getFontMetrics(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int legendW = Math.max(LEGEND, series.stream().mapToInt(s -> legendFont.stringWidth(s.name())).max().orElse(0) + 60);
        int plotW = WIDTH - LEFT - legendW;
        int plotH = HEIGHT - TOP - BOTTOM;
        double[] xr = range(true);
        double[] yr = range(false);
        if (yFromZero) {
            yr[0] = Math.min(0, yr[0]);
        } else {
            // keep a flat series at the extreme off the frame
            double margin = 0.05 * (yr[1] - yr[0]);
            yr[0] -= margin;
            yr[1] += margin;
        }
        // x spans exactly the data (steps end where the run ends); y is rounded out to whole ticks
        double pad = series.stream().anyMatch(s -> s.marker() != Marker.NONE) ? 0.05 * (xr[1] - xr[0]) : 0;
        double x0 = xr[0] - pad;
        double x1 = xr[1] + pad;
        double[] xt = java.util.Arrays.stream(ticks(x0, x1)).filter(t -> t >= x0 - 1e-9 && t <= x1 + 1e-9).toArray();
        double[] yt = ticks(yr[0], yr[1]);
        double y0 = yt[0];
        double y1 = yt[yt.length - 1];

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setColor(Color.DARK_GRAY);
        g.drawString(subtitle, LEFT, 52);

        Font tickFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        g.setFont(tickFont);
        FontMetrics fm = g.getFontMetrics();
        for (double t : xt) {
            int px = LEFT + (int) Math.round((t - x0) / (x1 - x0) * plotW);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(px, TOP, px, TOP + plotH);
            g.setColor(Color.BLACK);
            g.drawLine(px, TOP + plotH, px, TOP + plotH + 5);
            String label = format(t, xt);
            g.drawString(label, px - fm.stringWidth(label) / 2, TOP + plotH + 20);
        }
        for (double t : yt) {
            int py = TOP + plotH - (int) Math.round((t - y0) / (y1 - y0) * plotH);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(LEFT, py, LEFT + plotW, py);
            g.setColor(Color.BLACK);
            g.drawLine(LEFT - 5, py, LEFT, py);
            String label = format(t, yt);
            g.drawString(label, LEFT - 8 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        fm = g.getFontMetrics();
        g.drawString(xLabel, LEFT + plotW / 2 - fm.stringWidth(xLabel) / 2, HEIGHT - 22);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -(TOP + plotH / 2) - fm.stringWidth(yLabel) / 2, 22);
        g.setTransform(saved);

        g.clipRect(LEFT - 6, TOP - 6, plotW + 12, plotH + 12);
        for (Series s : series) {
            g.setColor(s.color());
            if (s.marker() == Marker.NONE) {
                g.setStroke(new BasicStroke(1.8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                Path2D.Double path = new Path2D.Double();
                boolean pen = false;
                for (int i = 0; i < s.x().length; i++) {
                    if (Double.isNaN(s.y()[i])) {
                        pen = false;
                        continue;
                    }
                    double px = LEFT + (s.x()[i] - x0) / (x1 - x0) * plotW;
                    double py = TOP + plotH - (s.y()[i] - y0) / (y1 - y0) * plotH;
                    if (pen) {
                        path.lineTo(px, py);
                    } else {
                        path.moveTo(px, py);
                        pen = true;
                    }
                }
                g.draw(path);
            } else {
                g.setStroke(new BasicStroke(1.5f));
                for (int i = 0; i < s.x().length; i++) {
                    if (Double.isNaN(s.y()[i]) || Double.isNaN(s.x()[i])) {
                        continue;
                    }
                    int px = LEFT + (int) Math.round((s.x()[i] - x0) / (x1 - x0) * plotW);
                    int py = TOP + plotH - (int) Math.round((s.y()[i] - y0) / (y1 - y0) * plotH);
                    marker(g, s.marker(), px, py, 6);
                }
            }
        }
        g.setClip(null);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        fm = g.getFontMetrics();
        int lx = LEFT + plotW + 20;
        int ly = TOP + 8;
        for (Series s : series) {
            g.setColor(s.color());
            if (s.marker() == Marker.NONE) {
                g.setStroke(new BasicStroke(3f));
                g.drawLine(lx, ly, lx + 22, ly);
            } else {
                g.setStroke(new BasicStroke(1.5f));
                marker(g, s.marker(), lx + 11, ly, 6);
            }
            g.setColor(Color.BLACK);
            g.drawString(s.name(), lx + 30, ly + fm.getAscent() / 2 - 1);
            ly += 20;
        }
    }

    private static void marker(Graphics2D g, Marker marker, int x, int y, int r) {
        switch (marker) {
            case CIRCLE -> g.fillOval(x - r, y - r, 2 * r, 2 * r);
            case SQUARE -> g.fillRect(x - r, y - r, 2 * r, 2 * r);
            case TRIANGLE -> g.fillPolygon(new Polygon(new int[] {x - r, x + r, x}, new int[] {y + r, y + r, y - r}, 3));
            case DIAMOND -> g.fillPolygon(new Polygon(new int[] {x - r, x, x + r, x}, new int[] {y, y - r, y, y + r}, 4));
            case NONE -> g.drawLine(x - r, y, x + r, y);
        }
    }

    private double[] range(boolean x) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : x ? s.x() : s.y()) {
                if (!Double.isNaN(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (min > max) {
            return new double[] {0, 1};
        }
        if (min == max) {
            double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
            return new double[] {min - pad, max + pad};
        }
        return new double[] {min, max};
    }

    /** Tick values covering [min, max] with a 1, 2 or 5 x 10^k step, about six of them. */
    static double[] ticks(double min, double max) {
        double raw = (max - min) / 6;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = magnitude;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            step = m * magnitude;
            if (step >= raw) {
                break;
            }
        }
        double first = Math.floor(min / step) * step;
        double last = Math.ceil(max / step) * step;
        int n = (int) Math.round((last - first) / step) + 1;
        double[] ticks = new double[n];
        for (int i = 0; i < n; i++) {
            ticks[i] = first + i * step;
        }
        return ticks;
    }

    private static String format(double v, double[] ticks) {
        double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
        double abs = Math.max(Math.abs(ticks[0]), Math.abs(ticks[ticks.length - 1]));
        if (abs >= 1e6 && step >= 1e5) {
            return trim(String.format(Locale.ROOT, "%.2f", v / 1e6)) + "M";
        }
        if (abs >= 1e4 && step >= 1e3) {
            return trim(String.format(Locale.ROOT, "%.1f", v / 1e3)) + "K";
        }
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9) + (step / Math.pow(10, Math.floor(Math.log10(step))) == 2.5 ? 1 : 0));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String trim(String s) {
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
