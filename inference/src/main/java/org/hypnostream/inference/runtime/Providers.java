package org.hypnostream.inference.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Chooses the ONNX Runtime execution provider from {@code inference.device} = auto | cuda | cpu.
 * {@code auto} probes cheaply (no session is created): the CUDA provider must be compiled into the ONNX Runtime
 * build on the class path (the {@code -Pgpu} profile) and an NVIDIA device node must exist; otherwise CPU.
 * {@code cuda} fails loudly when either is missing.
 */
public final class Providers {
    public static final String CPU = "CPU";
    public static final String CUDA = "CUDA";

    /** The configured device. */
    public enum Device {
        AUTO, CUDA, CPU;

        public static Device parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("inference.device=" + s + " is not one of auto, cuda, cpu", e);
            }
        }
    }

    /**
     * The provider chosen ("CPU" or "CUDA"), what was asked, why (for the startup log), and ONNX Runtime intra-op
     * threads per session (0 = ORT default, one per physical core; 1 = no spinning thread pool, best on shared CPUs).
     */
    public record Selection(Device requested, String provider, String reason, int intraOpThreads) {
        public Selection {
            if (intraOpThreads < 0) {
                throw new IllegalArgumentException("intra-op threads " + intraOpThreads + " < 0");
            }
        }

        public Selection(Device requested, String provider, String reason) {
            this(requested, provider, reason, 1);
        }

        public Selection withThreads(int threads) {
            return new Selection(requested, provider, reason, threads);
        }

        public boolean cuda() {
            return CUDA.equals(provider);
        }
    }

    private Providers() {
    }

    /** Probes this machine. Throws {@link IllegalStateException} when {@code cuda} is requested but unusable. */
    public static Selection select(Device requested) {
        if (requested == Device.CPU) {
            return new Selection(requested, CPU, "inference.device=cpu");
        }
        return choose(requested, OrtEnvironment.getAvailableProviders(), gpuDevicePresent());
    }

    /** The pure decision, for tests. */
    static Selection choose(Device requested, Set<OrtProvider> available, boolean gpuDevice) {
        boolean built = available.contains(OrtProvider.CUDA);
        if (requested == Device.CPU) {
            return new Selection(requested, CPU, "inference.device=cpu");
        }
        if (built && gpuDevice) {
            return new Selection(requested, CUDA, "CUDA provider in this ONNX Runtime build and an NVIDIA device present");
        }
        String why = !built
                ? "this ONNX Runtime build has no CUDA provider (available: " + available
                        + "); build with -Pgpu (onnxruntime_gpu) and install the CUDA and cuDNN libraries it needs"
                : "no NVIDIA device found (/dev/nvidia0 absent)";
        if (requested == Device.CUDA) {
            throw new IllegalStateException("inference.device=cuda but CUDA cannot be used: " + why);
        }
        return new Selection(requested, CPU, "auto: " + why + "; using CPU");
    }

    static boolean gpuDevicePresent() {
        return Files.exists(Path.of("/dev/nvidia0")) || Files.exists(Path.of("/dev/nvidiactl"));
    }

    /** Session options for the selection; appending CUDA throws if its native libraries cannot be loaded. */
    static OrtSession.SessionOptions options(Selection s) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        if (s.intraOpThreads() > 0) {
            o.setIntraOpNumThreads(s.intraOpThreads());
        }
        if (s.cuda()) {
            try {
                o.addCUDA(0);
            } catch (OrtException | RuntimeException e) {
                o.close();
                throw e;
            }
        }
        return o;
    }
}
