package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class TopKPropertiesTest {

    @Property(tries = 300)
    void selectSmallestMatchesASort(@ForAll @Size(min = 1, max = 200) List<@IntRange(min = -5, max = 5) Integer> scores,
                                    @ForAll @IntRange(min = 0, max = 200) int m) {
        int n = scores.size();
        long[] keys = new long[n];
        int[] payload = new int[n];
        for (int i = 0; i < n; i++) {
            keys[i] = TopK.key(scores.get(i), i);
            payload[i] = i;
        }
        long[] sorted = keys.clone();
        Arrays.sort(sorted);
        TopK.selectSmallest(keys, payload, n, m);
        int k = Math.min(m, n);
        long[] smallest = Arrays.copyOf(keys, k);
        Arrays.sort(smallest);
        assertThat(smallest).containsExactly(Arrays.copyOf(sorted, k));
        for (int i = 0; i < n; i++) {
            assertThat(keys[i]).isEqualTo(TopK.key(scores.get(payload[i]), payload[i]));
        }
    }
}
