package dev.jprof.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileTest {

    @Test
    void builderInternsFrames() {
        Profile p = Profile.builder(ProfileKind.CPU)
                .addSample(List.of(new Frame("a.B.c", "a/B.java", 3)), new long[] {1, 1}, Map.of())
                .addSample(List.of(new Frame("a.B.c", "a/B.java", 3)), new long[] {1, 1}, Map.of())
                .build();
        assertThat(p.frames()).hasSize(1);
        assertThat(p.samples().get(0).stack().get(0))
                .isSameAs(p.samples().get(1).stack().get(0));
    }
}
