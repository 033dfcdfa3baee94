package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.EngineException;
import dev.hone.core.HoneException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** What each kind of failure prints, and its exit status; a stack trace only under hone.debug. */
class ErrorReportTest {

    private record Printed(int status, String text) {}

    private static Printed report(Throwable t) {
        StringWriter s = new StringWriter();
        int status = ErrorReport.report(t, new PrintWriter(s));
        return new Printed(status, s.toString());
    }

    private static void assertNoTrace(Printed p) {
        assertThat(p.text()).doesNotContain("\tat ").doesNotContain("Caused by").doesNotContain("java.lang.");
    }

    @Test
    void userErrorsAreOneLineWithStatusTwo() {
        Printed p = report(new RuntimeException("wrapped", HoneException.of("bad thing", "/x", "do y")));
        assertThat(p.status()).isEqualTo(2);
        assertThat(p.text()).isEqualTo("hone: error: bad thing: /x. Fix: do y" + System.lineSeparator());

        Printed io = report(new UncheckedIOException("cannot write /out", new NoSuchFileException("/out")));
        assertThat(io.status()).isEqualTo(2);
        assertThat(io.text()).contains("cannot write /out").contains("Fix");
        assertNoTrace(io);
    }

    @Test
    void outOfMemoryNamesTheFix() {
        Printed heap = report(new OutOfMemoryError("Java heap space"));
        assertThat(heap.status()).isEqualTo(2);
        assertThat(heap.text()).contains("out of memory (Java heap space)").contains("HONE_JAVA_OPTS=-Xmx").contains("--batch-size");
        assertNoTrace(heap);
        Printed nativeMemory = report(new EngineException("[enforce fail at alloc_cpu.cpp:116] DefaultCPUAllocator: not enough"
                + " memory: you tried to allocate 123456789 bytes."));
        assertThat(nativeMemory.status()).isEqualTo(2);
        assertThat(nativeMemory.text()).contains("out of memory");
    }

    @Test
    void illegalArgumentsAreOneLineWithTheFlagHint() {
        Printed p = report(new IllegalArgumentException("width must be >= 0 (0 = default): -3"));
        assertThat(p.status()).isEqualTo(2);
        assertThat(p.text()).contains("hone: error: width must be >= 0").contains("--help");
        assertNoTrace(p);
    }

    @Test
    void engineFailuresAndBugsSayBugWithoutATrace() {
        Printed engine = report(new EngineException("The following operation failed in the TorchScript interpreter.\n"
                + "RuntimeError: shape '[2, 3]' is invalid for input of size 7\n"));
        assertThat(engine.status()).isEqualTo(1);
        assertThat(engine.text()).contains("the PyTorch engine failed: shape '[2, 3]' is invalid for input of size 7")
                .contains("this is a bug").contains("HONE_DEBUG=1");
        assertNoTrace(engine);

        Printed bug = report(new NullPointerException("plan is null"));
        assertThat(bug.status()).isEqualTo(1);
        assertThat(bug.text()).contains("hone: internal error: NullPointerException: plan is null (in ErrorReportTest.java:")
                .contains("please report it");
        assertNoTrace(bug);
    }

    @Test
    void debugAddsTheStackTrace() {
        System.setProperty("hone.debug", "true");
        try {
            Printed bug = report(new IllegalStateException("broken"));
            assertThat(bug.status()).isEqualTo(1);
            assertThat(bug.text()).contains("(below)").contains("java.lang.IllegalStateException: broken").contains("\tat ");
        } finally {
            System.clearProperty("hone.debug");
        }
    }
}
