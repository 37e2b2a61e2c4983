package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The shared selection as a pure function: (positions, scores, keep) -> which candidates leave. */
class SelectorTest {

    @Test
    void evictsTheLowestScoresAndBreaksTiesTowardTheHigherPosition() {
        // positions 10..14 with scores 0.3, 0.1, 0.1, 0.9, 0.2; keep 2: evict 0.1@11, 0.1@12, 0.2@14.
        // keep 3: evict both 0.1s. keep 4: one 0.1 leaves, and the tie goes against the higher position.
        int[] positions = {10, 11, 12, 13, 14};
        float[] scores = {0.3f, 0.1f, 0.1f, 0.9f, 0.2f};
        assertThat(evicted(positions, scores, 2)).containsExactlyInAnyOrder(11, 12, 14);
        assertThat(evicted(positions, scores, 3)).containsExactlyInAnyOrder(11, 12);
        assertThat(evicted(positions, scores, 4)).containsExactly(12);
        assertThat(evicted(positions, scores, 5)).isEmpty();
        assertThat(evicted(positions, scores, 0)).containsExactlyInAnyOrder(10, 11, 12, 13, 14);
    }

    @Property(tries = 300)
    void matchesASortByScoreThenLowerPosition(@ForAll @Size(min = 0, max = 120) List<@IntRange(min = -3, max = 3) Integer> scoreSteps,
                                              @ForAll @IntRange(min = 0, max = 130) int keep) {
        int n = scoreSteps.size();
        int[] positions = IntStream.range(0, n).map(i -> 1000 - 7 * i).toArray();
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            scores[i] = scoreSteps.get(i) * 0.25f;
        }
        List<Integer> byRank = new ArrayList<>(IntStream.range(0, n).boxed().toList());
        byRank.sort(Comparator.<Integer>comparingDouble(i -> scores[i]).thenComparing(i -> -positions[i]));
        Set<Integer> expected = byRank.subList(0, Math.max(0, n - keep)).stream().map(i -> positions[i])
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(new TreeSet<>(evicted(positions, scores, keep))).isEqualTo(expected);
    }

    private static List<Integer> evicted(int[] positions, float[] scores, int keep) {
        Selector selector = new Selector();
        int evict = selector.evict(positions, scores, positions.length, keep);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < evict; i++) {
            out.add(positions[selector.evicted(i)]);
        }
        return out;
    }
}
