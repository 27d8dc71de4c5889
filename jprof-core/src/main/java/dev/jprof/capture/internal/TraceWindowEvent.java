package dev.jprof.capture.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import org.apiguardian.api.API;

/**
 * The span of one trace, written into its JFR recording: JDK Mission Control shows it, and
 * {@link JfrTimelineReader} takes the trace's window from it, on the same clock as every other event.
 */
@API(status = INTERNAL, since = "0.1")
@Name(TraceWindowEvent.NAME)
@Label("jprof trace")
@Category("jprof")
@Description("The span of a jprof trace, for example one test method")
@StackTrace(false)
public final class TraceWindowEvent extends jdk.jfr.Event {

    public static final String NAME = "dev.jprof.Trace";

    @Label("Label")
    public String label;

    @Label("Thread id")
    @Description("The Java id of the thread that started the trace")
    public long ownerThreadId;

    @Label("Trace id")
    @Description("Which trace of this JVM it is: traces on one thread may nest or follow each other closely")
    public long traceId;
}
