package org.hypnostream.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.hypnostream.common.config.ConfigReader;
import org.hypnostream.common.config.KafkaOverrides;
import org.hypnostream.dashboard.export.NightExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hypnostream export-edf}: one bed's night from the event topics as an EDF+ annotation file. */
@Command(name = "export-edf", mixinStandardHelpOptions = true,
        description = "Export a bed's night (hypnogram, leg movements, PLM series, alarms) as EDF+ TAL annotations.")
final class ExportEdfCommand implements Callable<Integer> {
    @Mixin
    ServiceOptions service;

    @Option(names = "--bed", required = true, description = "Bed id.")
    String bed;

    @Option(names = "--out", required = true, description = "Output EDF+ file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        ConfigReader r = ConfigReader.fromEnvironment(service.overrides());
        String bootstrap = r.string("kafka.bootstrap.servers", "127.0.0.1:9092", "Kafka bootstrap servers");
        r.validate();
        int n = NightExporter.export(bootstrap, KafkaOverrides.fromEnvironment(service.overrides()), bed, out,
                Duration.ofSeconds(60));
        System.out.println("wrote " + out + " with " + n + " annotations");
        return 0;
    }
}
