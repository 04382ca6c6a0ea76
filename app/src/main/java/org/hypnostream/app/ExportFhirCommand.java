package org.hypnostream.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.hypnostream.dashboard.report.FhirExport;
import org.hypnostream.dashboard.report.ReportPdf;
import org.hypnostream.dashboard.report.ReportWriter;
import org.hypnostream.dashboard.report.StudyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hypnostream export-fhir --study ID [--out FILE]}: the study as a FHIR R4 Bundle (JSON). */
@Command(name = "export-fhir", mixinStandardHelpOptions = true,
        description = "Export a study as a FHIR R4 Bundle: DiagnosticReport (LOINC 28633-6) with the PDF, one Observation per "
                + "statistic, the hypnogram.")
final class ExportFhirCommand implements Callable<Integer> {
    @Mixin
    ServiceOptions service;

    @Option(names = "--study", required = true, description = "Study id.")
    String study;

    @Option(names = "--out", description = "Output file (default: standard output).")
    Path out;

    @Override
    public Integer call() throws Exception {
        StudyReport r = ReportCommand.find(service, study);
        if (out == null) {
            System.out.println(FhirExport.json(r, ReportPdf.render(r)));
        } else {
            ReportWriter.writeFhir(r, out);
            System.out.println("wrote " + out + " for study " + study + " on bed " + r.bedId());
        }
        return 0;
    }
}
