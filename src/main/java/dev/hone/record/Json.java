package dev.hone.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The one JSON configuration hone reads and writes with.
 *
 * <p>Unknown fields are ignored on read so that records written by newer versions still load in
 * older tools, and records of earlier versions load in newer ones. Durations are ISO-8601 strings.
 */
public final class Json {
    private static final ObjectMapper MAPPER = create();

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static ObjectMapper create() {
        SimpleModule durations = new SimpleModule("durations");
        durations.addSerializer(Duration.class, ToStringSerializer.instance);
        durations.addDeserializer(Duration.class, new FromStringDeserializer<>(Duration.class) {
            @Override
            protected Duration _deserialize(String value, com.fasterxml.jackson.databind.DeserializationContext ctxt) {
                return Duration.parse(value);
            }
        });
        return new ObjectMapper()
                .registerModule(durations)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** Writes {@code value} as indented JSON to {@code file}. */
    public static void write(Path file, Object value) {
        try {
            MAPPER.writeValue(file.toFile(), value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * As {@link #write}, through a temporary file renamed over {@code file}, so that a kill mid-write leaves the old file
     * or none, never a truncated one (for the files a resume reads).
     *
     * @throws UncheckedIOException when the file cannot be written or renamed
     */
    public static void writeAtomically(Path file, Object value) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        write(tmp, value);
        try {
            java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static <T> T read(Path file, Class<T> type) {
        try {
            return MAPPER.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + describe(e), e);
        }
    }

    /**
     * What went wrong reading JSON, for a person: a parse error's own message and where (line and column), without the
     * parser's source excerpt and reference chain; other errors' message.
     */
    public static String describe(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j) {
            com.fasterxml.jackson.core.JsonLocation at = j.getLocation();
            String where = at == null || at.getLineNr() < 0 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            // a message may point at another place ("start marker at [Source: ...; line: 1, column: 1]"): its line and column stay
            String message = j.getOriginalMessage().lines().findFirst().orElse("").replaceAll("\\[Source: [^;]*; ", "[");
            return message + where;
        }
        return String.valueOf(e.getMessage());
    }

    /** {@link #describe} of the reading error behind {@code e}, thrown by {@link #read}. */
    public static String problem(UncheckedIOException e) {
        return describe(e.getCause());
    }

    /** One compact line, for JSON Lines files and logs. */
    public static String line(Object value) {
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Appends {@code value} as one line to a JSON Lines file. */
    public static void appendLine(Path file, Object value) {
        try {
            Files.writeString(file, line(value) + "\n", java.nio.charset.StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }
}
