package dev.hone.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.core.HoneException;
import org.junit.jupiter.api.Test;

/** Errors reach API users with the builder's method names, not the CLI's flags. */
class ApiTermsTest {
    @Test
    void knownFlagsBecomeBuilderMethodsAndOtherWordsStay() {
        assertThat(ApiTerms.of("--epochs 0 is out of range. Fix: give an integer from 1 to 10000"))
                .isEqualTo("optEpochs 0 is out of range. Fix: give an integer from 1 to 10000");
        assertThat(ApiTerms.of("Fix: add --resume to continue it, or delete /tmp/.x.partial"))
                .isEqualTo("Fix: add optResume(true) to continue it, or delete /tmp/.x.partial");
        assertThat(ApiTerms.of("--lr -1.0 is out of range; see --val-fraction and --frobnicate"))
                .isEqualTo("optLearningRate -1.0 is out of range; see optValidationFraction and --frobnicate");
    }

    @Test
    void onlyAPlainHoneExceptionNamingAFlagIsReplacedAndItKeepsTheOriginalAsCause() {
        HoneException flag = new HoneException("--optimizer foo is out of range. Fix: give one of sgd-nesterov, adamw");
        RuntimeException api = ApiTerms.translate(flag);
        assertThat(api).isInstanceOf(HoneException.class).hasMessageStartingWith("optOptimizer foo").hasCause(flag);
        HoneException none = new HoneException("no images in /data");
        assertThat(ApiTerms.translate(none)).isSameAs(none);
        IllegalStateException other = new IllegalStateException("--epochs");
        assertThat(ApiTerms.translate(other)).isSameAs(other);
    }
}
