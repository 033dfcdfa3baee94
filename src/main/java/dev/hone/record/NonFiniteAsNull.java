package dev.hone.record;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * Writes a NaN or infinite number as JSON {@code null}, for the fields of user-facing files where "no value" is
 * expected (an empty bin's mean): strict JSON has no NaN, and Jackson's default, the string {@code "NaN"}, reads as a
 * string in Python or JavaScript. Used per field, not on the whole mapper, because a {@code null} read back into a
 * {@code double} becomes 0.
 */
public final class NonFiniteAsNull extends StdSerializer<Double> {
    public NonFiniteAsNull() {
        super(Double.class);
    }

    @Override
    public void serialize(Double value, JsonGenerator out, SerializerProvider provider) throws IOException {
        if (value == null || !Double.isFinite(value)) {
            out.writeNull();
        } else {
            out.writeNumber(value);
        }
    }
}
