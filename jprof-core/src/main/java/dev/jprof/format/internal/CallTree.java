package dev.jprof.format.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.jprof.internal.JsonStrings;
import dev.jprof.profile.Frame;
import dev.jprof.profile.Profile;
import dev.jprof.profile.Sample;
import dev.jprof.profile.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * The samples of a profile merged into one call tree, root to leaf, with frames of the same function
 * under the same parent merged into one node (lines are ignored).
 *
 * <p>The tree is encoded as compact JSON for the flame graph page:
 *
 * <pre>{@code
 * {"version":1,
 *  "types":[["samples","count",1],["cpu","nanoseconds",10000000]],
 *  "selected":1,
 *  "names":["all","com.acme.Main.main",...],
 *  "nodes":[name,depthStep,self_0,...,self_k-1, name,depthStep,self_0,... ]}
 * }</pre>
 *
 * <p>Each type is {@code [type, unit, scale]}. {@code nodes} lists the nodes in pre-order, each as
 * {@code 2 + types.length} numbers: the index of its function in {@code names}; its depth minus the
 * depth of the node before it (the root, {@code names[0] = "all"}, comes first with depth 0, so a
 * child right after its parent has step {@code 1}); and its <em>self</em> value for each sample type
 * (the values of the samples whose leaf it is), divided by that type's scale. A node's parent is the
 * nearest preceding node with a smaller depth; its total is its self value plus the totals of its
 * children. Children are sorted by function name.
 *
 * <p>A differential tree ({@link #diff}) has the shape of the profile after a change and, in each
 * node, also the self values of the profile before it: {@code "diff":true}, and each node then has
 * {@code 2 + 2 * types.length} numbers, the values after followed by the values before (of the
 * sample type of the same name; {@code 0} when the profile before lacks it), both divided by the
 * type's scale. Stacks only the profile before has are in the tree too, with values after {@code 0}.
 *
 * <p>All of this keeps files small: self values are mostly {@code 0} for inner nodes, depth steps
 * mostly {@code 1}; the scale is the greatest common divisor of a type's values, which is the sampling
 * interval for time profiles ({@code 10000000} ns rather than nine digits per value); names are
 * ordered by how many nodes use them, so frequent names get short indices.
 */
@API(status = INTERNAL, since = "0.1")
public final class CallTree {

    /** The name of the root node, which stands for all samples. */
    public static final String ROOT = "all";

    private final List<ValueType> types;
    /** Whether {@link #self} holds, after the values of {@link #types}, those of a profile before. */
    private final boolean diff;

    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> nameIds = new HashMap<>();
    /** Node id to name id; node 0 is the root. */
    private int[] nodeName = new int[64];

    private int[] nodeDepth = new int[64];
    private long[][] self;
    private int size;
    /** (parent id, name id) to child id. */
    private final Map<Long, Integer> childIds = new HashMap<>();

    private final Map<Integer, List<Integer>> children = new HashMap<>();

    private CallTree(List<ValueType> types, boolean diff) {
        this.types = types;
        this.diff = diff;
        this.self = new long[diff ? 2 * types.size() : types.size()][64];
        addNode(name(ROOT), 0);
    }

    /** Merges all samples of {@code profile}. */
    public static CallTree of(Profile profile) {
        CallTree tree = new CallTree(profile.sampleTypes(), false);
        int[] slots = new int[tree.types.size()];
        for (int t = 0; t < slots.length; t++) {
            slots[t] = t;
        }
        tree.add(profile, slots);
        return tree;
    }

    /**
     * The differential tree of {@code after} against {@code before}: the sample types of
     * {@code after}, each matched by name in {@code before}.
     */
    public static CallTree diff(Profile before, Profile after) {
        CallTree tree = new CallTree(after.sampleTypes(), true);
        int types = tree.types.size();
        int[] slots = new int[types];
        for (int t = 0; t < types; t++) {
            slots[t] = t;
        }
        tree.add(after, slots);
        int[] beforeSlots = new int[before.sampleTypes().size()];
        for (int b = 0; b < beforeSlots.length; b++) {
            beforeSlots[b] = -1;
            for (int t = 0; t < types; t++) {
                if (tree.types.get(t).type().equals(before.sampleTypes().get(b).type())) {
                    beforeSlots[b] = types + t;
                }
            }
        }
        tree.add(before, beforeSlots);
        return tree;
    }

    /** Adds the samples of {@code profile}, its value {@code i} to the self values {@code slots[i]} ({@code -1}: dropped). */
    private void add(Profile profile, int[] slots) {
        for (Sample sample : profile.samples()) {
            List<Frame> stack = sample.stack();
            int node = 0;
            for (int i = stack.size() - 1; i >= 0; i--) {
                node = child(node, stack.get(i).function());
            }
            for (int i = 0; i < slots.length; i++) {
                if (slots[i] >= 0) {
                    self[slots[i]][node] += sample.value(i);
                }
            }
        }
    }

    /** The number of nodes, including the root. */
    public int size() {
        return size;
    }

    private int name(String function) {
        Integer id = nameIds.get(function);
        if (id == null) {
            id = names.size();
            names.add(function);
            nameIds.put(function, id);
        }
        return id;
    }

    private int child(int parent, String function) {
        int name = name(function);
        long key = ((long) parent << 32) | name;
        Integer id = childIds.get(key);
        if (id == null) {
            id = addNode(name, nodeDepth[parent] + 1);
            childIds.put(key, id);
            children.computeIfAbsent(parent, p -> new ArrayList<>()).add(id);
        }
        return id;
    }

    private int addNode(int name, int depth) {
        if (size == nodeName.length) {
            int capacity = size * 2;
            nodeName = Arrays.copyOf(nodeName, capacity);
            nodeDepth = Arrays.copyOf(nodeDepth, capacity);
            for (int t = 0; t < self.length; t++) {
                self[t] = Arrays.copyOf(self[t], capacity);
            }
        }
        nodeName[size] = name;
        nodeDepth[size] = depth;
        return size++;
    }

    /**
     * Appends the tree as JSON (see the class comment) to {@code out}, with {@code selected} as the
     * index of the sample type shown first. The JSON is ASCII only and contains no {@code <}, {@code >}
     * or {@code &}, so it can be embedded in an HTML {@code <script>} element as is.
     */
    public void appendJson(StringBuilder out, int selected) {
        // Names ordered by use count (root first), so that frequent names get short indices.
        int[] uses = new int[names.size()];
        for (int n = 0; n < size; n++) {
            uses[nodeName[n]]++;
        }
        Integer[] order = new Integer[names.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order,
                1,
                order.length,
                (a, b) -> uses[a] != uses[b]
                        ? Integer.compare(uses[b], uses[a])
                        : names.get(a).compareTo(names.get(b)));
        int[] newId = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            newId[order[i]] = i;
        }

        // one scale per sample type; a diff's values before share the scale of their type
        long[] scale = new long[self.length];
        for (int t = 0; t < types.size(); t++) {
            long g = 0;
            for (int n = 0; n < size && g != 1; n++) {
                g = gcd(g, Math.abs(self[t][n]));
                if (diff) {
                    g = gcd(g, Math.abs(self[types.size() + t][n]));
                }
            }
            scale[t] = g == 0 ? 1 : g;
            if (diff) {
                scale[types.size() + t] = scale[t];
            }
        }

        out.append("{\"version\":1,\"types\":[");
        for (int t = 0; t < types.size(); t++) {
            if (t > 0) {
                out.append(',');
            }
            out.append('[');
            JsonStrings.quoteAscii(out, types.get(t).type());
            out.append(',');
            JsonStrings.quoteAscii(out, types.get(t).unit());
            out.append(',').append(scale[t]).append(']');
        }
        out.append("],\"selected\":").append(selected);
        if (diff) {
            out.append(",\"diff\":true");
        }
        out.append(",\"names\":[");
        for (int i = 0; i < order.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            JsonStrings.quoteAscii(out, names.get(order[i]));
        }
        out.append("],\"nodes\":[");

        // Iterative pre-order walk: Java stacks can be thousands of frames deep.
        int[] stack = new int[Math.max(16, size)];
        int top = 0;
        stack[top++] = 0;
        boolean first = true;
        int previousDepth = 0;
        while (top > 0) {
            int node = stack[--top];
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append(newId[nodeName[node]]).append(',').append(nodeDepth[node] - previousDepth);
            previousDepth = nodeDepth[node];
            for (int t = 0; t < self.length; t++) {
                out.append(',').append(self[t][node] / scale[t]);
            }
            List<Integer> kids = children.get(node);
            if (kids != null) {
                kids.sort((a, b) -> names.get(nodeName[a]).compareTo(names.get(nodeName[b])));
                for (int k = kids.size() - 1; k >= 0; k--) {
                    stack[top++] = kids.get(k);
                }
            }
        }
        out.append("]}");
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long r = a % b;
            a = b;
            b = r;
        }
        return a;
    }
}
