package org.pfmeter.pf.model;

import java.util.Optional;
import java.util.function.Function;

/** A subsystem's value in one poll, or why it could not be read. */
public sealed interface SubsystemResult<T> permits SubsystemResult.Ok, SubsystemResult.Failed {

    record Ok<T>(T get) implements SubsystemResult<T> {
    }

    record Failed<T>(PfError cause) implements SubsystemResult<T> {
    }

    static <T> SubsystemResult<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> SubsystemResult<T> failed(PfError error) {
        return new Failed<>(error);
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
        return this instanceof Ok<T> ok ? ok(f.apply(ok.get())) : failed(error().orElseThrow());
    }
}
