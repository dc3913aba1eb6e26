package org.pfmeter.pf.abi;

/**
 * A C type as the amd64 System V ABI lays it out (OpenBSD/amd64 uses it): a size and an alignment.
 * Primitives are named after the typedefs of OpenBSD's headers so that struct definitions read like the header.
 */
public sealed interface CType permits CType.Primitive, CType.Array, CStruct {

    int size();

    int alignment();

    /** A C scalar: integer, pointer or enum. */
    record Primitive(String name, int size) implements CType {
        @Override
        public int alignment() {
            return size;
        }
    }

    /** {@code T name[n]}; multi-dimensional arrays nest. */
    record Array(CType element, int length) implements CType {
        public Array {
            if (length < 0) {
                throw new IllegalArgumentException("array length " + length);
            }
        }

        @Override
        public int size() {
            return element.size() * length;
        }

        @Override
        public int alignment() {
            return element.alignment();
        }
    }

    Primitive U_INT8 = new Primitive("u_int8_t", 1);
    Primitive CHAR = new Primitive("char", 1);
    Primitive SA_FAMILY = new Primitive("sa_family_t", 1);
    Primitive U_INT16 = new Primitive("u_int16_t", 2);
    Primitive U_INT32 = new Primitive("u_int32_t", 4);
    Primitive INT = new Primitive("int", 4);
    Primitive U_INT = new Primitive("u_int", 4);
    Primitive UID = new Primitive("uid_t", 4);
    Primitive PID = new Primitive("pid_t", 4);
    Primitive U_INT64 = new Primitive("u_int64_t", 8);
    Primitive TIME = new Primitive("time_t", 8);
    Primitive SIZE = new Primitive("size_t", 8);
    Primitive POINTER = new Primitive("void *", 8);

    /** {@code element[dims[0]][dims[1]]…}. */
    static CType array(CType element, int... dims) {
        CType t = element;
        for (int i = dims.length - 1; i >= 0; i--) {
            t = new Array(t, dims[i]);
        }
        return t;
    }

    /** {@code char name[n]}. */
    static CType chars(int n) {
        return new Array(CHAR, n);
    }
}
