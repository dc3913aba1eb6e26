package org.pfmeter.pf.model;

import java.util.Optional;
import java.util.function.Function;

/**
 * A subsystem's value in one poll, why it could not be read, or that this kernel does not have it
 * (state limiters on 7.8, pfsync not configured): "not present" is not an error.
 */
public sealed interface SubsystemResult<T> permits SubsystemResult.Ok, SubsystemResult.Failed, SubsystemResult.NotPresent {

    record Ok<T>(T get) implements SubsystemResult<T> {
    }

    record Failed<T>(PfError cause) implements SubsystemResult<T> {
    }

    /** The kernel has no such subsystem; {@code why} says so in words ("pf of 7.8 has no state limiters"). */
    record NotPresent<T>(String why) implements SubsystemResult<T> {
    }

    static <T> SubsystemResult<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> SubsystemResult<T> failed(PfError error) {
        return new Failed<>(error);
    }

    static <T> SubsystemResult<T> notPresent(String why) {
        return new NotPresent<>(why);
    }

    /** True when the kernel lacks the subsystem (which is not a failure). */
    default boolean isNotPresent() {
        return this instanceof NotPresent;
    }

    default boolean isOk() {
        return this instanceof Ok;
    }

    default Optional<T> value() {
        return this instanceof Ok<T> ok ? Optional.of(ok.get()) : Optional.empty();
    }

    default Optional<PfError> error() {
        return this instanceof Failed<T> f ? Optional.of(f.cause()) : Optional.empty();
    }

    default <R> SubsystemResult<R> map(Function<T, R> f) {
        if (this instanceof Ok<T> ok) {
            return ok(f.apply(ok.get()));
        }
        if (this instanceof NotPresent<T> np) {
            return notPresent(np.why());
        }
        return failed(error().orElseThrow());
    }
}
