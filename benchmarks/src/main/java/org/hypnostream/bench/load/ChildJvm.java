package org.hypnostream.bench.load;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM like this one: the same {@code java}, the same JVM options (heap, {@code --add-opens}, system
 * properties: {@code RuntimeMXBean.getInputArguments()}, less a debugger agent and a flight recording, which would
 * clash with the parent's), the same class path, and {@code ORT_DISABLE_TELEMETRY=1} as {@code bin/hypnostream} sets
 * it. The class path goes in the {@code CLASSPATH} variable, not on the command line: ONNX Runtime's start overflows
 * a 1 MiB thread stack on a command line of more than a few KB (benchmarks/README.md, ADR 0030), and the expanded class
 * path of this module is ~7.5 KB.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    /** The command and environment that run {@code mainClass} with {@code args} in a child JVM. */
    static ProcessBuilder of(String mainClass, List<String> args) {
        return of(ProcessHandle.current().info().command().orElse("java"),
                ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getProperty("java.class.path"), mainClass, args);
    }

    static ProcessBuilder of(String java, List<String> jvmOptions, String classPath, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        for (String o : jvmOptions) {
            if (!o.startsWith("-agentlib:jdwp") && !o.startsWith("-XX:StartFlightRecording") && !o.startsWith("-XX:FlightRecorderOptions")) {
                cmd.add(o);
            }
        }
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("CLASSPATH", classPath);
        pb.environment().put("ORT_DISABLE_TELEMETRY", "1");
        return pb;
    }
}
