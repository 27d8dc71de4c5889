package dev.jprof.it.gamma;

/** Encodes into a buffer; with -Dfixture.regress=true it also allocates a 64 KiB scratch array (the "allocation regression"). */
public final class Codec {

    private static final boolean REGRESS = Boolean.getBoolean("fixture.regress");
    /** Keeps what was allocated reachable, so the JIT cannot remove it. */
    public static volatile Object sink;

    private Codec() {}

    public static int encode(byte[] in) {
        byte[] out = new byte[in.length * 2];
        if (REGRESS) {
            sink = new byte[64 * 1024];
        }
        for (int i = 0; i < in.length; i++) {
            out[2 * i] = (byte) (in[i] >>> 4);
            out[2 * i + 1] = (byte) (in[i] & 15);
        }
        sink = out;
        return out.length;
    }
}
