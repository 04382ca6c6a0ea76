package org.hypnostream.dashboard.report;

import com.openhtmltopdf.util.Diagnostic;
import com.openhtmltopdf.util.XRLogger;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * openhtmltopdf's log routed to SLF4J (logger {@code com.openhtmltopdf.<where>}) instead of java.util.logging's console
 * handler, which printed its chatter ("Prepare to fly") between the demo's own lines. Its INFO and below are DEBUG here.
 */
final class Slf4jXrLogger implements XRLogger {
    @Override
    public void log(String where, Level level, String msg) {
        log(where, level, msg, null);
    }

    @Override
    public void log(String where, Level level, String msg, Throwable th) {
        Logger log = LoggerFactory.getLogger(where);
        int l = level.intValue();
        if (l >= Level.SEVERE.intValue()) {
            log.error(msg, th);
        } else if (l >= Level.WARNING.intValue()) {
            log.warn(msg, th);
        } else {
            log.debug(msg, th);
        }
    }

    @Override
    public void setLevel(String logger, Level level) {
        // levels are the logging configuration's (log4j2.xml), not openhtmltopdf's
    }

    @Override
    public boolean isLogLevelEnabled(Diagnostic diagnostic) {
        int l = diagnostic.getLevel().intValue();
        Logger log = LoggerFactory.getLogger("com.openhtmltopdf");
        return l >= Level.SEVERE.intValue() ? log.isErrorEnabled() : l >= Level.WARNING.intValue() ? log.isWarnEnabled() : log.isDebugEnabled();
    }
}
