package org.hypnostream.benchmarks;

import ai.onnxruntime.OrtEnvironment;

/**
 * Starts ONNX Runtime on a thread with a large stack before a benchmark touches it. The native library (onnxruntime
 * 1.29.0, linux-x64) reads {@code /proc/self/cmdline} when it starts, and its stack use grows with the length of the
 * command line (about 250 bytes per character, measured): above ~3-4 KB of command line it overflows the default 1 MiB
 * thread stack and the JVM dies with SIGSEGV (exit code 139) and no hs_err file. JMH's forked VM lists every jar of the
 * class path on its command line (~7.5 KB here), so StagerBenchmark and SequenceStagerBenchmark crashed when forked
 * and ran in the host VM (whose {@code lib/*} command line is short). Once started, the environment is shared by the
 * process, so sessions built later on any thread are not affected.
 */
final class OrtStartup {
    /** 64 MiB: room for a command line of ~250 KB. */
    static final long STACK_BYTES = 64L << 20;

    private OrtStartup() {
    }

    /** The process's ONNX Runtime environment, started on a large-stack thread the first time. */
    static synchronized OrtEnvironment environment() {
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                OrtEnvironment.getEnvironment();
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "ort-startup", STACK_BYTES);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting ONNX Runtime", e);
        }
        if (failure[0] != null) {
            throw new IllegalStateException("ONNX Runtime did not start: " + failure[0], failure[0]);
        }
        return OrtEnvironment.getEnvironment();
    }
}
