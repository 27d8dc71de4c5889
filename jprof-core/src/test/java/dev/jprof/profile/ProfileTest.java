package dev.jprof.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileTest {

    private static List<Frame> stack(String... functions) {
        return java.util.Arrays.stream(functions).map(Frame::of).toList();
    }

    @Test
    void rootedAtDropsTheCallersOfTheOutermostOccurrence() {
        Profile p = Profile.builder(ProfileKind.CPU)
                .addSample(stack("leaf", "test", "helper", "test", "Junit.invoke", "Thread.run"), new long[] {1, 10}, Map.of("thread", "main"))
                .addSample(stack("worker", "Thread.run"), new long[] {2, 20}, Map.of("thread", "pool-1"))
                .comment("engine=x")
                .build();
        Profile rooted = p.rootedAt("test");
        assertThat(rooted.samples().get(0).stack()).extracting(Frame::function).containsExactly("leaf", "test", "helper", "test");
        assertThat(rooted.samples().get(1).stack()).extracting(Frame::function).containsExactly("worker", "Thread.run");
        assertThat(rooted.samples()).extracting(Sample::labels).containsExactly(Map.of("thread", "main"), Map.of("thread", "pool-1"));
        assertThat(rooted.total(1)).isEqualTo(30);
        assertThat(rooted.comments()).containsExactly("engine=x");
        assertThat(rooted.frames()).extracting(Frame::function).doesNotContain("Junit.invoke");
        assertThat(p.rootedAt("absent")).isSameAs(p);
    }

    @Test
    void builderInternsFrames() {
        Profile p = Profile.builder(ProfileKind.CPU)
                .addSample(List.of(new Frame("a.B.c", "a/B.java", 3)), new long[] {1, 1}, Map.of())
                .addSample(List.of(new Frame("a.B.c", "a/B.java", 3)), new long[] {1, 1}, Map.of())
                .build();
        assertThat(p.frames()).hasSize(1);
        assertThat(p.samples().get(0).stack().get(0)).isSameAs(p.samples().get(1).stack().get(0));
    }
}
