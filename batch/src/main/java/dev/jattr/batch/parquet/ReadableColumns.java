package dev.jattr.batch.parquet;

import dev.jattr.batch.parquet.Footer.SchemaElement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a file's schema tree onto the top-level columns this package can read, and says why the
 * others cannot be read. A readable column has exactly one leaf: a primitive, or a list of
 * numbers in any of the common layouts (the standard three levels, the legacy two levels, or a
 * bare repeated primitive). Logical annotations on INT32/INT64 are ignored; any BYTE_ARRAY reads
 * as a UTF-8 string.
 */
final class ReadableColumns {
    private static final int MAX_DEPTH = 64;
    private static final int REQUIRED = 0;
    private static final int OPTIONAL = 1;
    private static final int REPEATED = 2;

    /**
     * How to read one column: its leaf's index among the column chunks, and the definition levels
     * below which the value is null ({@code nullBelow}) or the list empty ({@code emptyBelow}).
     */
    record Plan(ParquetColumn column, int leaf, int maxDef, int maxRep, int nullBelow, int emptyBelow) {}

    private record Node(SchemaElement element, List<Node> children) {}

    final List<Plan> plans = new ArrayList<>();
    final Map<String, String> unsupported = new LinkedHashMap<>();
    int leafCount;

    ReadableColumns(List<SchemaElement> schema, String file) {
        if (schema.isEmpty()) {
            throw new ParquetException(file + ": the schema is empty");
        }
        int[] next = {0};
        Node root = node(schema, next, 0, file);
        if (next[0] != schema.size()) {
            throw new ParquetException(file + ": the schema has " + (schema.size() - next[0]) + " elements outside its tree");
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Node field : root.children()) {
            if (!names.add(field.element().name())) {
                throw new ParquetException(file + ": column '" + field.element().name() + "' appears twice in the schema");
            }
            int first = leafCount;
            List<Node> path = new ArrayList<>();
            int leaves = countLeaves(field);
            leafCount += leaves;
            String name = field.element().name();
            if (leaves != 1) {
                unsupported.put(name, "a group of " + leaves + " leaf columns (struct or map)");
                continue;
            }
            for (Node n = field; ; n = n.children().getFirst()) {
                path.add(n);
                if (n.children().isEmpty()) {
                    break;
                }
            }
            String why = plan(path, first);
            if (why != null) {
                unsupported.put(name, why);
            }
        }
    }

    private static Node node(List<SchemaElement> schema, int[] next, int depth, String file) {
        if (depth > MAX_DEPTH) {
            throw new ParquetException(file + ": the schema is nested deeper than " + MAX_DEPTH + " levels");
        }
        if (next[0] >= schema.size()) {
            throw new ParquetException(file + ": the schema tree declares more than its " + schema.size() + " elements");
        }
        SchemaElement e = schema.get(next[0]++);
        int n = depth == 0 ? Math.max(e.numChildren(), 0) : e.numChildren();
        if (n > schema.size() - next[0]) {
            throw new ParquetException(file + ": schema element '" + e.name() + "' declares " + n
                    + " children, but only " + (schema.size() - next[0]) + " elements follow");
        }
        if (n <= 0) {
            if (e.type() < 0 && depth > 0) {
                throw new ParquetException(file + ": schema element '" + e.name() + "' has neither a type nor children");
            }
            return new Node(e, List.of());
        }
        List<Node> children = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            children.add(node(schema, next, depth + 1, file));
        }
        return new Node(e, children);
    }

    private static int countLeaves(Node n) {
        if (n.children().isEmpty()) {
            return 1;
        }
        int sum = 0;
        for (Node c : n.children()) {
            sum += countLeaves(c);
        }
        return sum;
    }

    /** Adds the plan for a single-leaf field, or returns why it cannot be read. */
    private String plan(List<Node> path, int leaf) {
        int def = 0;
        int repeated = 0;
        int emptyBelow = 0;
        for (Node n : path) {
            int rep = n.element().repetition();
            if (rep == OPTIONAL || rep == REPEATED) {
                def++;
            }
            if (rep == REPEATED) {
                repeated++;
                emptyBelow = def;
            } else if (rep != REQUIRED && rep != OPTIONAL) {
                return "repetition type " + rep + " of '" + n.element().name() + "' is unknown";
            }
        }
        SchemaElement top = path.getFirst().element();
        SchemaElement leafElement = path.getLast().element();
        ParquetType scalar = ParquetType.scalarOf(leafElement.type());
        if (scalar == null) {
            return "physical type " + physicalName(leafElement.type()) + " is not supported";
        }
        boolean nullable = top.repetition() == OPTIONAL;
        int nullBelow = nullable ? 1 : 0;
        if (repeated == 0) {
            if (path.size() > 1) {
                return "a struct wrapping one column";
            }
            plans.add(new Plan(new ParquetColumn(top.name(), scalar, nullable), leaf, def, 0, def, def));
            return null;
        }
        if (repeated > 1) {
            return "a list nested " + repeated + " deep (only flat lists of numbers are read)";
        }
        ParquetType list = ParquetType.listOf(scalar);
        if (list == null) {
            return "a list of strings (only lists of numbers are read)";
        }
        plans.add(new Plan(new ParquetColumn(top.name(), list, nullable), leaf, def, 1, nullBelow, emptyBelow));
        return null;
    }

    static String physicalName(int type) {
        return switch (type) {
            case 0 -> "BOOLEAN";
            case 1 -> "INT32";
            case 2 -> "INT64";
            case 3 -> "INT96";
            case 4 -> "FLOAT";
            case 5 -> "DOUBLE";
            case 6 -> "BYTE_ARRAY";
            case 7 -> "FIXED_LEN_BYTE_ARRAY";
            default -> "#" + type;
        };
    }
}
