package dev.hone.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EngineDefaultsTest {

    @Test
    void theLauncherTheTestsAndTheBenchmarkStartTheJvmWithTheSameAllocatorSettings() throws Exception {
        for (String file : new String[] {"hone", "pom.xml", "tools/bench-augment.sh", "tools/bench-allocator.sh"}) {
            assertThat(Files.readString(Path.of(file))).as(file).contains(EngineDefaults.GLIBC_TUNABLES);
        }
    }

    @Test
    void aLinuxJvmWithoutTheSettingsIsToldOnceAndNoOtherIs() {
        assertThat(EngineDefaults.tellAllocator("Mac OS X", null)).isFalse();
        assertThat(EngineDefaults.tellAllocator("Linux", "glibc.malloc.arena_max=2")).isFalse();
        EngineDefaults.told = false; // whatever an earlier test in this JVM started without the settings
        assertThat(EngineDefaults.tellAllocator("Linux", null)).isTrue();
        assertThat(EngineDefaults.tellAllocator("Linux", null)).isFalse();
    }
}
