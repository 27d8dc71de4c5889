package dev.jprof.assertj.error;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** A function's share grew more than allowed compared with a baseline profile. */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ShouldNotGrow extends BasicErrorMessageFactory {

    private ShouldNotGrow(String metric, double points, int count, String table) {
        super(
                "%nExpecting no function's %s share to grow by more than %s points over the baseline%nbut %s did:%n%s",
                Describe.text(metric), Describe.points(points), count, Describe.text(table));
    }

    /**
     * <pre>
     * Expecting no function's flat cpu share to grow by more than 5.00 points over the baseline
     * but 1 did:
     *  base%    now%   points  function
     * 10.00%  25.00%   +15.00  com.acme.Parser.parse
     * </pre>
     *
     * @param count how many functions grew too much
     * @param table the largest changes, as the assertion formats them
     */
    public static ErrorMessageFactory shouldNotGrow(String metric, double points, int count, String table) {
        return new ShouldNotGrow(metric, points, count, table);
    }
}
