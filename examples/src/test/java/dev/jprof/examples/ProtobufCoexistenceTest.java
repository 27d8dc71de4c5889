package dev.jprof.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.jprof.capture.ProfileOptions;
import dev.jprof.capture.Profiler;
import dev.jprof.format.Pprof;
import dev.jprof.profile.Profile;
import dev.jprof.profile.ProfileKind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * This module puts protobuf-java 3.25 on the test classpath, as a user's project might; jprof uses
 * its own relocated protobuf 4, so both work side by side.
 */
class ProtobufCoexistenceTest {

    @Test
    void theUsersProtobufIsVersion3() {
        assertThat(Struct.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toString())
                .contains("protobuf-java-3.25.");
        // RuntimeVersion exists only from protobuf-java 4.26 on
        assertThatThrownBy(() -> Class.forName("com.google.protobuf.RuntimeVersion"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void usersProtobufAndJprofWorkTogether(@TempDir Path dir) throws Throwable {
        Struct struct = Struct.newBuilder()
                .putFields(
                        "route", Value.newBuilder().setStringValue("/users/{n}").build())
                .build();
        Profile cpu = Profiler.profile(ProfileOptions.of(ProfileKind.CPU), () -> {
                    for (int i = 0; i < 20_000; i++) {
                        roundTrip(struct);
                    }
                })
                .profile(ProfileKind.CPU);
        Path file = dir.resolve("cpu.pb.gz");
        Pprof.write(cpu, file);
        Profile back = Pprof.read(file);
        assertThat(back.samples()).hasSameSizeAs(cpu.samples());
        assertThat(back.total(1)).isEqualTo(cpu.total(1));
        assertThat(roundTrip(struct)).isEqualTo(struct);
    }

    private static Struct roundTrip(Struct s) throws InvalidProtocolBufferException {
        return Struct.parseFrom(s.toByteArray());
    }
}
