package org.hypnostream.inference.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class ProvidersTest {
    private static final EnumSet<OrtProvider> CPU_ONLY = EnumSet.of(OrtProvider.CPU);
    private static final EnumSet<OrtProvider> WITH_CUDA = EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA);

    @Test
    void cpuIsCpu() {
        assertThat(Providers.choose(Providers.Device.CPU, WITH_CUDA, true).provider()).isEqualTo("CPU");
        assertThat(Providers.select(Providers.Device.CPU).provider()).isEqualTo("CPU");
    }

    @Test
    void autoUsesCudaOnlyWhenBuiltInAndADeviceIsPresent() {
        assertThat(Providers.choose(Providers.Device.AUTO, WITH_CUDA, true).provider()).isEqualTo("CUDA");
        assertThat(Providers.choose(Providers.Device.AUTO, WITH_CUDA, false).provider()).isEqualTo("CPU");
        assertThat(Providers.choose(Providers.Device.AUTO, CPU_ONLY, true).provider()).isEqualTo("CPU");
        assertThat(Providers.choose(Providers.Device.AUTO, CPU_ONLY, false).reason()).contains("no CUDA provider");
    }

    @Test
    void cudaFailsLoudlyWhenUnusable() {
        assertThatThrownBy(() -> Providers.choose(Providers.Device.CUDA, CPU_ONLY, true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inference.device=cuda but CUDA cannot be used")
                .hasMessageContaining("-Pgpu");
        assertThatThrownBy(() -> Providers.choose(Providers.Device.CUDA, WITH_CUDA, false))
                .hasMessageContaining("no NVIDIA device");
    }

    @Test
    void probeOnThisMachine() {
        boolean cuda = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA) && Providers.gpuDevicePresent();
        assertThat(Providers.select(Providers.Device.AUTO).provider()).isEqualTo(cuda ? "CUDA" : "CPU");
        if (!cuda) {
            assertThatThrownBy(() -> Providers.select(Providers.Device.CUDA)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void parsesTheConfiguredDevice() {
        assertThat(Providers.Device.parse(" Auto ")).isEqualTo(Providers.Device.AUTO);
        assertThatThrownBy(() -> Providers.Device.parse("tpu")).hasMessageContaining("not one of auto, cuda, cpu");
    }
}
