package org.pfmeter.pf.states;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Counts added in ascending key order, as a {@link SortedMap} to hand to {@code new TreeMap<>(map)}:
 * TreeMap builds a copy of a sorted map in linear time, without comparing keys, where putting the
 * same keys one by one compares each with a dozen others. The breakdown's thousands of labels come
 * out of {@link RuleLabels} already in order. Only what that copy reads is direct; the views ask
 * a TreeMap.
 */
final class AscendingCounts<K extends Comparable<? super K>> extends AbstractMap<K, Long> implements SortedMap<K, Long> {

    private final Object[] keys;
    private final long[] counts;
    private int size;

    AscendingCounts(int capacity) {
        keys = new Object[capacity];
        counts = new long[capacity];
    }

    /** Adds the next key, which must follow the last one added. */
    void add(K key, long count) {
        assert size == 0 || key(size - 1).compareTo(key) < 0 : key + " does not follow " + key(size - 1);
        keys[size] = key;
        counts[size++] = count;
    }

    @SuppressWarnings("unchecked")
    private K key(int i) {
        return (K) keys[i];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<Entry<K, Long>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<K, Long>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < size;
                    }

                    @Override
                    public Entry<K, Long> next() {
                        if (i >= size) {
                            throw new NoSuchElementException();
                        }
                        Entry<K, Long> e = new SimpleImmutableEntry<>(key(i), counts[i]);
                        i++;
                        return e;
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    @Override
    public Comparator<? super K> comparator() {
        return null;                                   // natural order, as TreeMap's default
    }

    @Override
    public K firstKey() {
        if (size == 0) {
            throw new NoSuchElementException();
        }
        return key(0);
    }

    @Override
    public K lastKey() {
        if (size == 0) {
            throw new NoSuchElementException();
        }
        return key(size - 1);
    }

    @Override
    public SortedMap<K, Long> subMap(K fromKey, K toKey) {
        return new TreeMap<>(this).subMap(fromKey, toKey);
    }

    @Override
    public SortedMap<K, Long> headMap(K toKey) {
        return new TreeMap<>(this).headMap(toKey);
    }

    @Override
    public SortedMap<K, Long> tailMap(K fromKey) {
        return new TreeMap<>(this).tailMap(fromKey);
    }

    @Override
    public String toString() {
        return Arrays.toString(Arrays.copyOf(keys, size));
    }
}
