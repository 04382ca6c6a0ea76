package org.hypnostream.app.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coverage-guided fuzz targets (Jazzer). In a plain {@code mvn verify} they run in regression mode: every input under
 * {@code src/test/resources/org/hypnostream/app/fuzz/DecoderFuzzTestInputs/<method>/} (seeds and the crashes found so
 * far) is replayed. To fuzz for real, see docs/PRODUCTION.md ("Fuzzing"): {@code JAZZER_FUZZ=1} with one method.
 */
class DecoderFuzzTest {

    @TempDir
    static Path dir;

    @FuzzTest(maxDuration = "30s")
    void sampleBlockDecoder(byte[] in) {
        FuzzTargets.sampleBlock(in);
    }

    @FuzzTest(maxDuration = "30s")
    void windowDecoders(byte[] in) {
        FuzzTargets.windows(in);
    }

    @FuzzTest(maxDuration = "30s")
    void edfReader(byte[] in) {
        FuzzTargets.edf(in);
    }

    @FuzzTest(maxDuration = "30s")
    void wfdbReader(byte[] in) throws Exception {
        FuzzTargets.wfdb(in, dir);
    }

    @FuzzTest(maxDuration = "30s")
    void jsonEvents(byte[] in) {
        FuzzTargets.jsonEvents(in);
    }
}
