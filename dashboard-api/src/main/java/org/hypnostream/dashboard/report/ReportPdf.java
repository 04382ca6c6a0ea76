package org.hypnostream.dashboard.report;

import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The report's XHTML page rendered to PDF by openhtmltopdf (PDFBox); no network: images are data URIs. */
public final class ReportPdf {
    static {
        com.openhtmltopdf.util.XRLog.setLoggerImpl(new Slf4jXrLogger());
    }

    private ReportPdf() {
    }

    public static byte[] render(StudyReport r) {
        return fromHtml(ReportHtml.render(r));
    }

    static byte[] fromHtml(String xhtml) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PdfRendererBuilder b = new PdfRendererBuilder();
            b.useFastMode();
            b.withHtmlContent(xhtml, null);
            b.toStream(out);
            b.run();
        } catch (IOException e) {
            throw new UncheckedIOException("PDF report could not be rendered", e);
        }
        return out.toByteArray();
    }
}
