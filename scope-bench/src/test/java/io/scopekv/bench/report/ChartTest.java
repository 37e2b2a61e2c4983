package io.scopekv.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ChartTest {

    @Test
    void ticksAreRoundAndCoverTheRange() {
        assertThat(Chart.ticks(0, 1024)).containsExactly(0, 200, 400, 600, 800, 1000, 1200);
        double[] fractions = Chart.ticks(0.13, 0.87);
        assertThat(fractions).hasSize(6);
        assertThat(fractions[0]).isZero();
        assertThat(fractions[5]).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void drawsSeriesInTheirColours() {
        Chart chart = new Chart("t", "x", "y")
                .add(new Chart.Series("line", new double[] {0, 10}, new double[] {0, 10}, Color.RED, Chart.Marker.NONE));
        BufferedImage image = chart.render();
        int red = 0;
        for (int x = 0; x < image.getWidth(); x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                int rgb = image.getRGB(x, y);
                red += ((rgb >> 16) & 0xff) > 200 && ((rgb >> 8) & 0xff) < 60 ? 1 : 0;
            }
        }
        assertThat(red).isGreaterThan(500);
    }

    @Test
    void progressLineShowsPercentAndEta() {
        Progress progress = new Progress("sweep", 200, System.err);
        assertThat(progress.line(50, 10_000)).contains("[#######").contains(" 25% 50/200").contains("ETA 0:30");
        assertThat(progress.line(0, 10)).contains("ETA --:--");
    }
}
